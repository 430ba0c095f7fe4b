import { isIPv6 } from 'node:net';
import snmp from 'net-snmp';
import type { SnmpTargetConfig, SnmpUserConfig } from '../../config/schema.js';

/** What one poll needs to reach one agent: a configured target or `samon poll`'s options. */
export type SnmpTarget = Pick<
  SnmpTargetConfig,
  | 'name'
  | 'address'
  | 'port'
  | 'platform'
  | 'version'
  | 'community'
  | 'user'
  | 'authKey'
  | 'privKey'
  | 'context'
  | 'timeout'
  | 'retries'
  | 'maxRepetitions'
> &
  Partial<Pick<SnmpTargetConfig, 'authProtocol' | 'privProtocol'>>;

/** The varbind shape net-snmp gives (and the decoder takes). */
export interface SnmpVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

/** The part of a net-snmp session the poller uses (a fake in unit tests). */
export interface SnmpSession {
  get(oids: string[], callback: (error: Error | null, varbinds?: SnmpVarbind[]) => void): void;
  getBulk(
    oids: string[],
    nonRepeaters: number,
    maxRepetitions: number,
    callback: (error: Error | null, varbinds?: SnmpVarbind[][]) => void,
  ): void;
  close(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

const AUTH: Record<SnmpUserConfig['authProtocol'], snmp.AuthProtocols> = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha224: snmp.AuthProtocols.sha224,
  sha256: snmp.AuthProtocols.sha256,
  sha384: snmp.AuthProtocols.sha384,
  sha512: snmp.AuthProtocols.sha512,
};

const PRIV: Record<SnmpUserConfig['privProtocol'], snmp.PrivProtocols> = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
  aes256r: snmp.PrivProtocols.aes256r,
};

/** A net-snmp USM user from configuration: authPriv, authNoPriv or noAuthNoPriv by the keys given. */
export function usmUser(user: Partial<SnmpUserConfig> & { user?: string }): snmp.User {
  const name = user.user ?? '';
  if (user.authKey === undefined) return { name, level: snmp.SecurityLevel.noAuthNoPriv };
  const auth = {
    authProtocol: AUTH[user.authProtocol ?? 'sha'],
    authKey: user.authKey,
  };
  if (user.privKey === undefined) return { name, level: snmp.SecurityLevel.authNoPriv, ...auth };
  return {
    name,
    level: snmp.SecurityLevel.authPriv,
    ...auth,
    privProtocol: PRIV[user.privProtocol ?? 'aes'],
    privKey: user.privKey,
  };
}

/** Opens a UDP session to the target (udp6 for an IPv6 address). */
export function openSession(target: SnmpTarget): SnmpSession {
  const options = {
    port: target.port,
    retries: target.retries,
    timeout: target.timeout,
    transport: isIPv6(target.address) ? 'udp6' : 'udp4',
    // An agent that answers a GETBULK with an OID at or before the one asked for would make a
    // walk loop forever; net-snmp refuses such an answer when this is off.
    backwardsGetNexts: false,
  } as const;
  const session =
    target.version === '3'
      ? snmp.createV3Session(target.address, usmUser(target), {
          ...options,
          version: snmp.Version3,
          ...(target.context ? { context: target.context } : {}),
        })
      : snmp.createSession(target.address, target.community ?? '', {
          ...options,
          version: snmp.Version2c,
        });
  return session as unknown as SnmpSession;
}

/** Why a poll failed, as a closed list (the `error` text of `snmp-poll` starts with it). */
export type SnmpFailure = 'timeout' | 'auth' | 'malformed' | 'agent-error' | 'socket' | 'internal';

/**
 * A net-snmp error → a short text without credentials. net-snmp's own messages can quote the
 * community (a community mismatch) or the user, so only fixed texts and the agent's error
 * status name are used; an unknown error's message is scrubbed of every secret given.
 */
export function describeSnmpError(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
  version: '2c' | '3' = '2c',
): { failure: SnmpFailure; text: string } {
  // @types/net-snmp declares the timeout error as an interface only; its name identifies it.
  if (error instanceof Error && error.name === 'RequestTimedOutError') {
    return {
      failure: 'timeout',
      text:
        version === '3'
          ? 'timeout: no answer (unreachable agent, or a wrong privKey: an agent drops what it cannot decrypt)'
          : 'timeout: no answer (unreachable agent, wrong community, or this address not allowed)',
    };
  }
  if (error instanceof snmp.ResponseInvalidError) {
    const code = (error as { code?: number }).code;
    if (code === snmp.ResponseInvalidCode.EAuthFailure) {
      const reason = usmReason(error.message);
      return { failure: 'auth', text: `SNMPv3 authentication failed: ${reason}` };
    }
    if (code === snmp.ResponseInvalidCode.ECouldNotDecrypt) {
      return {
        failure: 'auth',
        text: 'SNMPv3 authentication failed: could not decrypt (privKey?)',
      };
    }
    if (code === snmp.ResponseInvalidCode.ECommunityNoMatch) {
      return {
        failure: 'malformed',
        text: 'malformed response: community differs from the request',
      };
    }
    const name = code === undefined ? 'unknown' : String(snmp.ResponseInvalidCode[code] ?? code);
    return { failure: 'malformed', text: `malformed response (${name})` };
  }
  if (error instanceof snmp.RequestFailedError) {
    const status = (error as { status?: number }).status;
    const name = status === undefined ? 'unknown' : String(snmp.ErrorStatus[status] ?? status);
    return { failure: 'agent-error', text: `the agent answered with error ${name}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { failure: 'internal', text: scrub(message, secrets) };
}

const USM_REASONS: readonly [RegExp, string][] = [
  [/Unknown User Name/i, 'unknown user'],
  [/Wrong Digest/i, 'wrong authKey or authProtocol'],
  [/Decryption Error/i, 'wrong privKey or privProtocol'],
  [/Unsupported Security Level/i, 'the agent does not allow this security level for the user'],
  [/Not In Time Window/i, 'not in time window'],
  [/Unknown Engine ID/i, 'unknown engine ID'],
  [/digest|authentication/i, 'wrong authKey or authProtocol'],
];

function usmReason(message: string): string {
  for (const [pattern, reason] of USM_REASONS) if (pattern.test(message)) return reason;
  return 'rejected by the agent';
}

/** Replaces every occurrence of a secret (of 3 characters or more) with `[redacted]`. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('[redacted]');
  }
  return out;
}

export function targetSecrets(t: Partial<SnmpUserConfig> & { community?: string }): string[] {
  return [t.community, t.authKey, t.privKey].filter((s): s is string => s !== undefined);
}
