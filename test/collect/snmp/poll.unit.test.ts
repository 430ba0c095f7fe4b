import { getEventListeners } from 'node:events';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import { parseTargetOption } from '../../../src/cli/commands/poll.js';
import { pollTarget, targetAddress } from '../../../src/collect/snmp/poll.js';
import {
  describeSnmpError,
  scrub,
  type SnmpSession,
  type SnmpTarget,
  type SnmpVarbind,
} from '../../../src/collect/snmp/session.js';
import type { Observation } from '../../../src/domain/index.js';
import { walkPlan } from '../../../src/junos/snmp/oids.js';

// One poll against a scripted session: what is kept when the agent fails half-way, and the
// error texts (none of which may carry a credential).

const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const target: SnmpTarget = {
  name: 'srx1',
  address: '192.0.2.1',
  port: 161,
  platform: 'srx',
  version: '2c',
  community: 'CANARY-community',
  timeout: 1000,
  retries: 0,
  maxRepetitions: 25,
};

const END = 130;

/** A session whose GETBULK answers END for every column, failing from the `failAt`-th request. */
function scripted(failAt: number, error: Error): SnmpSession & { closed: boolean } {
  let requests = 0;
  const session = {
    closed: false,
    get(oids: string[], cb: (e: Error | null, v?: SnmpVarbind[]) => void) {
      queueMicrotask(() =>
        cb(null, [
          { oid: `${oids[0]}`, type: 67, value: 8_640_000 },
          { oid: `${oids[1]}`, type: 4, value: Buffer.from('srx1') },
        ]),
      );
    },
    getBulk(
      oids: string[],
      _n: number,
      _r: number,
      cb: (e: Error | null, v?: SnmpVarbind[][]) => void,
    ) {
      requests++;
      if (requests >= failAt) {
        queueMicrotask(() => cb(error));
        return;
      }
      queueMicrotask(() =>
        cb(
          null,
          oids.map((oid) => [{ oid, type: END, value: null }]),
        ),
      );
    },
    close() {
      session.closed = true;
    },
    on: () => session,
  };
  return session;
}

function lastPoll(observations: readonly Observation[]) {
  const last = observations.at(-1);
  if (last?.kind !== 'snmp-poll') throw new Error('no snmp-poll last');
  return last;
}

describe('pollTarget', () => {
  it('an agent that stops answering half-way: the tables walked in full, then a failed snmp-poll', async () => {
    const timeout = new Error('Request timed out');
    timeout.name = 'RequestTimedOutError';
    // Request 1: the 28 columns of the tunnel table; 2 and 3: the 41 of the IKE table (32 a
    // request at most); 4, the SA table, times out.
    const session = scripted(4, timeout);
    let clock = T0;
    const outcome = await pollTarget(target, {
      openSession: () => session,
      now: () => (clock += 10),
    });
    expect(session.closed).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe('timeout');
    expect(outcome.observations.map((o) => o.kind)).toEqual(['snmp-system', 'snmp-poll']);
    const poll = lastPoll(outcome.observations);
    expect(poll.time).toBe(new Date(T0 + 10).toISOString());
    expect(poll.data).toEqual({
      target: '192.0.2.1:161',
      ok: false,
      durationMs: poll.data.durationMs,
      rows: 0,
      error: 'timeout: no answer (unreachable agent, wrong community, or this address not allowed)',
      platform: 'srx',
      tables: walkPlan('srx')
        .slice(0, 2)
        .map((t) => t.name),
    });
    expect(poll.raw).toMatch(/^snmp-poll srx1 192\.0\.2\.1:161 failed \d+ms rows=0 error=timeout/);
  });

  it('leaves no listener on the stop signal (one signal serves every poll of a run)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) {
      await pollTarget(target, {
        openSession: () => scripted(99, new Error('unused')),
        signal: controller.signal,
      });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an aborted poll closes its session once and says it was abandoned', async () => {
    const controller = new AbortController();
    const session = scripted(1, new Error('Socket forcibly closed'));
    let closes = 0;
    const close = session.close.bind(session);
    session.close = () => {
      closes++;
      close();
    };
    controller.abort();
    const outcome = await pollTarget(target, {
      openSession: () => session,
      signal: controller.signal,
    });
    expect(closes).toBe(1);
    expect(lastPoll(outcome.observations).data.error).toBe('abandoned: samon is stopping');
  });

  it('never throws: a session that cannot even be opened is a failed poll', async () => {
    const outcome = await pollTarget(target, {
      openSession: () => {
        throw new Error('getaddrinfo ENOTFOUND CANARY-community.example');
      },
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe('internal');
    expect(lastPoll(outcome.observations).data.error).toBe(
      'getaddrinfo ENOTFOUND [redacted].example',
    );
  });
});

describe('error texts', () => {
  it('name the SNMPv3 failure without quoting the user or keys', () => {
    const failures: [Error, string][] = [
      [
        new snmp.ResponseInvalidError('Unknown User Name', snmp.ResponseInvalidCode.EAuthFailure),
        'SNMPv3 authentication failed: unknown user',
      ],
      [
        new snmp.ResponseInvalidError(
          'Wrong Digest (incorrect password, community or key)',
          snmp.ResponseInvalidCode.EAuthFailure,
        ),
        'SNMPv3 authentication failed: wrong authKey or authProtocol',
      ],
      [
        new snmp.ResponseInvalidError('Decryption Error', snmp.ResponseInvalidCode.EAuthFailure),
        'SNMPv3 authentication failed: wrong privKey or privProtocol',
      ],
      [
        new snmp.ResponseInvalidError(
          "Community 'CANARY-community' in request does not match community 'x' in response",
          snmp.ResponseInvalidCode.ECommunityNoMatch,
        ),
        'malformed response: community differs from the request',
      ],
      [
        new snmp.RequestFailedError('noAccess', snmp.ErrorStatus.NoAccess),
        'the agent answered with error NoAccess',
      ],
    ];
    for (const [error, text] of failures) {
      expect(describeSnmpError(error, ['CANARY-community']).text).toBe(text);
    }
  });

  it('scrubs every secret from an unknown error', () => {
    expect(scrub('a CANARY b CANARY', ['CANARY', undefined, 'ab'])).toBe(
      'a [redacted] b [redacted]',
    );
  });
});

describe('target text', () => {
  it('brackets IPv6 addresses', () => {
    expect(targetAddress({ address: '2001:db8::1', port: 1161 })).toBe('[2001:db8::1]:1161');
    expect(targetAddress({ address: 'srx1.example.net', port: 161 })).toBe('srx1.example.net:161');
  });

  it('samon poll --target takes host, host:port, [v6]:port and a bare IPv6 address', () => {
    expect(parseTargetOption('192.0.2.1')).toEqual({ address: '192.0.2.1', port: 161 });
    expect(parseTargetOption('srx1:1161')).toEqual({ address: 'srx1', port: 1161 });
    expect(parseTargetOption('[2001:db8::1]:1161')).toEqual({ address: '2001:db8::1', port: 1161 });
    expect(parseTargetOption('[2001:db8::1]')).toEqual({ address: '2001:db8::1', port: 161 });
    expect(parseTargetOption('2001:db8::1')).toEqual({ address: '2001:db8::1', port: 161 });
    expect(() => parseTargetOption('a:b:c')).toThrow(/expected HOST, HOST:PORT or \[IPv6\]:PORT/);
    expect(() => parseTargetOption('host:0')).toThrow(/1–65535/);
  });
});
