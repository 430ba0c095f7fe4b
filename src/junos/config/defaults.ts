// Junos defaults samon applies when a statement is absent (junos-ipsec.md, "IKE proposal",
// "IPsec proposal", "IKE policy"). Values taken from here are marked `assumed: true`.

export const IKE_LIFETIME_DEFAULT_SECONDS = 3600;
export const IPSEC_LIFETIME_DEFAULT_SECONDS = 28800;
export const LIFETIME_MIN_SECONDS = 180;
export const LIFETIME_MAX_SECONDS = 86400;

export const IKE_AUTHENTICATION_ALGORITHM_DEFAULT = 'sha1';
export const IKE_ENCRYPTION_ALGORITHM_DEFAULT = '3des-cbc';
export const IPSEC_AUTHENTICATION_ALGORITHM_DEFAULT = 'hmac-sha1-96';
export const IPSEC_ENCRYPTION_ALGORITHM_DEFAULT = '3des-cbc';

/** An authentication algorithm configured without an encryption statement means NULL encryption. */
export const NULL_ENCRYPTION = 'null';

/** As initiator kmd uses IKEv1 unless a version is configured. */
export const IKE_VERSION_DEFAULT = 1;

/** IKEv1 main mode unless `mode aggressive`. */
export const IKE_MODE_DEFAULT = 'main';

/** Soft lifetime of an IPsec SA: hard − 135 s on the initiator, hard − 90 s on the responder. */
export const SOFT_LIFETIME_LEAD_SECONDS = { initiator: 135, responder: 90 } as const;

/** Parses `lifetime-seconds` as written: an integer, or undefined when it is not one. */
export function parseSeconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
