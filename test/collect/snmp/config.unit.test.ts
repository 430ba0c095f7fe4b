import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';

// The `snmp` section of the configuration (docs/configuration.md): defaults, YAML, SAMON_*
// overrides, and the problems it refuses — none of which may quote a credential.

function yaml(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'samon-snmp-config-')), 'samon.yaml');
  writeFileSync(file, text);
  return file;
}

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('snmp configuration', () => {
  it('defaults: no targets, traps off on 127.0.0.1:10162', () => {
    const { snmp } = loadConfig({ env: {} }).config;
    expect(snmp).toEqual({
      targets: [],
      concurrency: 16,
      jitter: 0.1,
      maxBackoffSeconds: 900,
      traps: { enabled: false, address: '127.0.0.1', port: 10162, communities: [], users: [] },
    });
  });

  it('reads targets from YAML with their defaults; version 3 may be a number', () => {
    const file = yaml(`
snmp:
  targets:
    - name: srx1
      address: 192.0.2.1
      platform: srx
      community: public
    - name: mx1
      address: 2001:db8::1
      port: 1161
      platform: mx
      version: 3
      user: samon
      authProtocol: sha256
      authKey: auth-key-123
      privProtocol: aes256r
      privKey: priv-key-456
      interval: 30
  traps:
    enabled: true
    communities: [trapc]
    users:
      - user: trapper
        authKey: trap-auth-1
        privKey: trap-priv-1
`);
    const { snmp } = loadConfig({ file, env: {} }).config;
    expect(snmp.targets[0]).toEqual({
      name: 'srx1',
      address: '192.0.2.1',
      port: 161,
      platform: 'srx',
      version: '2c',
      community: 'public',
      authProtocol: 'sha',
      privProtocol: 'aes',
      interval: 60,
      timeout: 5_000,
      retries: 1,
      maxRepetitions: 25,
    });
    expect(snmp.targets[1]).toMatchObject({ version: '3', port: 1161, interval: 30 });
    expect(snmp.traps.users[0]).toMatchObject({ user: 'trapper', authProtocol: 'sha' });
  });

  it('takes SAMON_SNMP__* overrides', () => {
    const { snmp } = loadConfig({
      env: {
        SAMON_SNMP__CONCURRENCY: '4',
        SAMON_SNMP__TRAPS__ENABLED: 'true',
        SAMON_SNMP__TRAPS__PORT: '11162',
        SAMON_SNMP__TRAPS__COMMUNITIES: 'a,b',
        SAMON_SNMP__TARGETS:
          '[{name: srx1, address: 192.0.2.1, platform: srx, community: public, interval: 15}]',
      },
    }).config;
    expect(snmp.concurrency).toBe(4);
    expect(snmp.traps).toMatchObject({ enabled: true, port: 11162, communities: ['a', 'b'] });
    expect(snmp.targets[0]).toMatchObject({ name: 'srx1', interval: 15 });
  });

  it('refuses incomplete credentials and twice-used names, quoting no credential', () => {
    const file = yaml(`
snmp:
  targets:
    - { name: a, address: 192.0.2.1, platform: srx }
    - { name: b, address: 192.0.2.3, platform: srx, version: 3, authKey: SECRET-AUTH-KEY }
    - { name: c, address: 192.0.2.4, platform: srx, version: 3, user: u, privKey: SECRET-PRIV-KEY }
    - { name: d, address: 192.0.2.5, platform: ex, version: 3, user: u, authKey: short }
`);
    const text = problems(() => loadConfig({ file, env: {} }));
    expect(text).toContain('snmp.targets.0.community: version 2c needs a community');
    expect(text).toContain('snmp.targets.1.user: version 3 needs a user');
    expect(text).toContain('snmp.targets.2.authKey: a privKey needs an authKey (authPriv)');
    expect(text).toContain('snmp.targets.3.platform');
    expect(text).toContain('snmp.targets.3.authKey: SNMPv3 keys have at least 8 characters');
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('short');
  });

  it('refuses a target name used twice (a name is a router)', () => {
    const file = yaml(`
snmp:
  targets:
    - { name: a, address: 192.0.2.1, platform: srx, community: SECRET-COMMUNITY }
    - { name: a, address: 192.0.2.2, platform: srx, community: SECRET-COMMUNITY }
`);
    const text = problems(() => loadConfig({ file, env: {} }));
    expect(text).toContain('snmp.targets.1.name: target name a is used twice');
    expect(text).not.toContain('SECRET');
  });

  it('the reference in docs/configuration.md is a valid configuration, snmp section included', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    const reference = /## Reference\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(reference).toBeDefined();
    const { snmp } = loadConfig({ file: yaml(reference!), env: {} }).config;
    expect(snmp.targets.map((t) => [t.name, t.version, t.platform])).toEqual([
      ['srx1', '3', 'srx'],
      ['mx1', '2c', 'mx'],
    ]);
  });
});
