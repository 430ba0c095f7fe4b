// (A .js file like the benches it runs: ESLint lints *.js without type information.)
// `npm run bench`: every benchmark in bench/, one after the other (they would share the two
// cores otherwise), each in its own Node process as its header says to run it. Prints one JSON
// object: each bench's own JSON under its name, with the wall time it took; progress on stderr.
// Run: npm run build && node bench/run.js [--only parse,fold] [--quick]
//   --quick: small sizes (a smoke run of a few minutes; the figures are not the README's).
// A bench that fails is reported with its exit code and the end of its stderr, and the others
// still run; the exit code is 1 if any failed.
import { spawn } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';
import process from 'node:process';
import { flag, textArg } from './lib.js';

const QUICK = flag('--quick');
const ONLY = textArg('--only')?.split(',');

/** name → [node flags, bench flags, quick bench flags]. */
const BENCHES = {
  parse: [[], [], ['--lines', '50000', '--runs', '3']],
  ingest: [[], [], ['--lines', '50000', '--runs', '1', '--udp-seconds', '2']],
  log: [[], [], ['--records', '10000', '--runs', '1']],
  fold: [
    ['--expose-gc'],
    [],
    ['--sas', '100000', '--steady', '200000', '--log-observations', '50000'],
  ],
  metrics: [['--expose-gc'], [], ['--tunnels', '20000', '--runs', '3', '--baseline-runs', '1']],
  snmp: [[], [], ['--agents', '20', '--sas', '50']],
};

const unknown = (ONLY ?? []).filter((name) => !(name in BENCHES));
if (unknown.length) {
  process.stderr.write(
    `bench/run.js: unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}\n`,
  );
  process.exit(2);
}

function run(name, args) {
  return new Promise((resolve) => {
    const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
    const child = spawn(process.execPath, [...args[0], script, ...args[1]], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const names = Object.keys(BENCHES).filter((name) => !ONLY || ONLY.includes(name));
const out = { benchmark: 'all', quick: QUICK, node: process.version, results: {} };
let failed = 0;
for (const [i, name] of names.entries()) {
  const [nodeFlags, full, quick] = BENCHES[name];
  process.stderr.write(`[bench] ${i + 1}/${names.length} ${name} … `);
  const started = Date.now();
  const { code, stdout, stderr } = await run(name, [nodeFlags, QUICK ? quick : full]);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  let result;
  try {
    result = code === 0 ? JSON.parse(stdout) : undefined;
  } catch {
    result = undefined;
  }
  if (result === undefined) {
    failed++;
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    process.stderr.write(`FAILED (exit ${code}) after ${seconds} s\n${tail}\n`);
    out.results[name] = { failed: true, exitCode: code, seconds, stderr: tail };
  } else {
    process.stderr.write(`${seconds} s\n`);
    out.results[name] = { seconds, ...result };
  }
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
