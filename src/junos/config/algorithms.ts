// Relative strength of the algorithms Junos offers, for "weak algorithm" and "weaker proposal
// first" findings (junos-ipsec.md, "Weak choices worth flagging"). Higher is stronger; an
// algorithm missing from a table is not compared.

const ENCRYPTION: Readonly<Record<string, number>> = {
  null: 0,
  'des-cbc': 1,
  '3des-cbc': 2,
  'aes-128-cbc': 3,
  'aes-192-cbc': 4,
  'aes-256-cbc': 5,
  'aes-128-gcm': 4,
  'aes-192-gcm': 5,
  'aes-256-gcm': 6,
};

const IKE_AUTHENTICATION: Readonly<Record<string, number>> = {
  md5: 1,
  sha1: 2,
  'sha-256': 3,
  'sha-384': 4,
  'sha-512': 5,
};

const IPSEC_AUTHENTICATION: Readonly<Record<string, number>> = {
  'hmac-md5-96': 1,
  'hmac-sha1-96': 2,
  'hmac-sha-256-96': 3,
  'hmac-sha-256-128': 4,
  'hmac-sha-384-192': 5,
  'hmac-sha-512-256': 6,
};

const DH_GROUP: Readonly<Record<string, number>> = {
  group1: 1,
  group2: 2,
  group5: 3,
  group14: 4,
  group24: 4,
  group15: 5,
  group19: 5,
  group16: 6,
  group20: 6,
  group21: 7,
};

export const WEAK_ENCRYPTION: ReadonlySet<string> = new Set(['des-cbc', '3des-cbc']);
export const WEAK_AUTHENTICATION: ReadonlySet<string> = new Set(['md5', 'hmac-md5-96']);
export const WEAK_DH_GROUPS: ReadonlySet<string> = new Set(['group1', 'group2', 'group5']);

export function encryptionStrength(name: string): number | undefined {
  return ENCRYPTION[name];
}

export function ikeAuthenticationStrength(name: string): number | undefined {
  return IKE_AUTHENTICATION[name];
}

export function ipsecAuthenticationStrength(name: string): number | undefined {
  return IPSEC_AUTHENTICATION[name];
}

export function dhGroupStrength(name: string): number | undefined {
  return DH_GROUP[name];
}

export function isGcm(encryption: string): boolean {
  return encryption.endsWith('-gcm');
}

/** rsa-signatures, dsa-signatures, ecdsa-signatures-256/384: certificates authenticate the peers. */
export function isCertificateMethod(method: string | undefined): boolean {
  return method !== undefined && method.includes('signatures');
}
