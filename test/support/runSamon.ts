import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SAMON_BIN } from './samonProcess.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface SamonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI once to completion, as an operator would, with `stdin` fed and closed. */
export function runSamon(
  args: readonly string[],
  options: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<SamonRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SAMON_BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
