import { isIPv6 } from 'node:net';
import type { Command } from 'commander';
import { SnmpTargetConfig } from '../../config/schema.js';
import { pollTarget, targetAddress } from '../../collect/snmp/poll.js';
import { CliExit } from '../exit.js';

// `samon poll --target HOST[:PORT] …` (contracts.md): one SNMP poll of one router → its
// observations as NDJSON on stdout (`snmp-system`, the rows, `snmp-counters`, then one
// `snmp-poll`). Exit 0 when the poll succeeded, 1 when it failed (the `snmp-poll` line says
// why), 2 for unusable arguments. Credentials never reach stdout or stderr.

interface PollOptions {
  target: string;
  community?: string;
  v3User?: string;
  v3AuthKey?: string;
  v3PrivKey?: string;
  v3AuthProtocol: string;
  v3PrivProtocol: string;
  v3Context?: string;
  platform: string;
  name?: string;
  timeout: string;
  retries: string;
  maxRepetitions: string;
}

function usage(message: string): CliExit {
  return new CliExit(2, `samon poll: ${message}`);
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address (no port). */
export function parseTargetOption(text: string): { address: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: bracketed[1]!, port: portOf(bracketed[2], text) };
  if (isIPv6(text)) return { address: text, port: 161 };
  const hostPort = /^([^:\s]+)(?::(\d+))?$/.exec(text);
  if (!hostPort) {
    throw usage(`--target ${JSON.stringify(text)}: expected HOST, HOST:PORT or [IPv6]:PORT`);
  }
  return { address: hostPort[1]!, port: portOf(hostPort[2], text) };
}

function portOf(text: string | undefined, target: string): number {
  if (text === undefined) return 161;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw usage(`--target ${JSON.stringify(target)}: the port must be 1–65535`);
  }
  return port;
}

function integer(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw usage(`--${name} ${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}

export function registerPollCommand(program: Command): void {
  program
    .command('poll')
    .description(
      'one SNMP poll of one router → observations as NDJSON on stdout (snmp-* kinds, then one snmp-poll); exit 1 when the poll fails (docs/snmp-collector.md)',
    )
    .requiredOption(
      '--target <host[:port]>',
      'the agent: HOST, HOST:PORT or [IPv6]:PORT (port 161)',
    )
    .option('--community <community>', 'SNMPv2c community')
    .option('--v3-user <user>', 'SNMPv3 user (authPriv with both keys; recommended)')
    .option('--v3-auth-key <key>', 'SNMPv3 authentication key')
    .option('--v3-priv-key <key>', 'SNMPv3 privacy key')
    .option('--v3-auth-protocol <protocol>', 'md5|sha|sha224|sha256|sha384|sha512', 'sha')
    .option('--v3-priv-protocol <protocol>', 'des|aes|aes256b|aes256r', 'aes')
    .option('--v3-context <name>', 'SNMPv3 context name (default: the default context)')
    .option('--platform <platform>', 'srx (flow-mon MIB) or mx (service-set MIB)', 'srx')
    .option('--name <router>', 'router name of the observations (default: the target host)')
    .option('--timeout <ms>', 'milliseconds to wait for each answer', '5000')
    .option('--retries <n>', 'retries of an unanswered request', '1')
    .option('--max-repetitions <n>', 'GETBULK repetitions per request', '25')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  samon poll --target 192.0.2.1 --community public --platform srx',
        '  samon poll --target [2001:db8::1]:1161 --v3-user samon --v3-auth-key … --v3-priv-key … --platform mx --name mx1',
      ].join('\n'),
    )
    .action(async (options: PollOptions) => {
      await runPoll(options);
    });
}

export async function runPoll(options: PollOptions): Promise<void> {
  const { address, port } = parseTargetOption(options.target);
  if (options.community !== undefined && options.v3User !== undefined) {
    throw usage('give either --community (SNMPv2c) or --v3-user (SNMPv3), not both');
  }
  if (options.community === undefined && options.v3User === undefined) {
    throw usage('give --community C (SNMPv2c) or --v3-user U with its keys (SNMPv3)');
  }
  const parsed = SnmpTargetConfig.safeParse({
    name: options.name ?? address,
    address,
    port,
    platform: options.platform,
    ...(options.v3User !== undefined
      ? {
          version: '3',
          user: options.v3User,
          authProtocol: options.v3AuthProtocol,
          privProtocol: options.v3PrivProtocol,
          ...(options.v3AuthKey !== undefined ? { authKey: options.v3AuthKey } : {}),
          ...(options.v3PrivKey !== undefined ? { privKey: options.v3PrivKey } : {}),
          ...(options.v3Context !== undefined ? { context: options.v3Context } : {}),
        }
      : { version: '2c', community: options.community }),
    timeout: integer('timeout', options.timeout),
    retries: integer('retries', options.retries),
    maxRepetitions: integer('max-repetitions', options.maxRepetitions),
  });
  if (!parsed.success) {
    const option: Record<string, string> = {
      authKey: '--v3-auth-key',
      privKey: '--v3-priv-key',
      authProtocol: '--v3-auth-protocol',
      privProtocol: '--v3-priv-protocol',
      maxRepetitions: '--max-repetitions',
    };
    // Zod's messages name the rule, never the value given, so no key is echoed.
    throw usage(
      parsed.error.issues
        .map((i) => {
          const key = String(i.path[0] ?? '');
          return `${option[key] ?? `--${key}`}: ${i.message}`;
        })
        .join('\nsamon poll: '),
    );
  }
  const target = parsed.data;
  process.stderr.write(
    `samon poll: polling ${target.name} at ${targetAddress(target)} (SNMP${target.version === '3' ? 'v3' : 'v2c'}, ${target.platform})\n`,
  );
  const outcome = await pollTarget(target, {});
  const text = outcome.observations.map((o) => JSON.stringify(o)).join('\n');
  await new Promise<void>((resolve) => process.stdout.write(`${text}\n`, () => resolve()));
  const last = outcome.observations.at(-1);
  const error = last?.kind === 'snmp-poll' ? last.data.error : undefined;
  process.stderr.write(
    `samon poll: ${outcome.ok ? 'ok' : 'failed'} in ${outcome.durationMs} ms, ${outcome.rows} rows${error ? `: ${error}` : ''}\n`,
  );
  if (!outcome.ok) process.exitCode = 1;
}
