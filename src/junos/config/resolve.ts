import { isCertificateMethod } from './algorithms.js';
import {
  IKE_AUTHENTICATION_ALGORITHM_DEFAULT,
  IKE_ENCRYPTION_ALGORITHM_DEFAULT,
  IKE_LIFETIME_DEFAULT_SECONDS,
  IKE_MODE_DEFAULT,
  IKE_VERSION_DEFAULT,
  IPSEC_AUTHENTICATION_ALGORITHM_DEFAULT,
  IPSEC_ENCRYPTION_ALGORITHM_DEFAULT,
  IPSEC_LIFETIME_DEFAULT_SECONDS,
  NULL_ENCRYPTION,
  parseSeconds,
} from './defaults.js';
import type {
  CaProfileDef,
  ConfigDefs,
  Family,
  FamilyDefs,
  IkePolicyDef,
  IkeProposalDef,
  IpsecPolicyDef,
  IpsecProposalDef,
  ServiceSetDef,
  TermDef,
  RuleDef,
} from './definitions.js';
import type { Effective, ExpectedTunnel } from './model.js';
import type { Located } from './nav.js';

// From definitions to tunnels: references resolved, defaults applied and marked.

export interface EffectiveIkeProposal {
  readonly name: string;
  readonly authenticationMethod?: string;
  readonly authenticationAlgorithm: Effective<string>;
  readonly encryptionAlgorithm: Effective<string>;
  readonly dhGroup?: string;
  readonly lifetimeSeconds: Effective<number>;
}

export interface EffectiveIpsecProposal {
  readonly name: string;
  readonly protocol?: string;
  readonly authenticationAlgorithm: Effective<string>;
  readonly encryptionAlgorithm: Effective<string>;
  readonly lifetimeSeconds: Effective<number>;
}

/** Which IKE versions an end accepts as responder. */
export type VersionAcceptance = 1 | 2 | 'both';

export interface ResolvedTunnel {
  readonly family: Family;
  /** Line of the SRX `vpn` or the MX rule `term`. */
  readonly line: number;
  readonly tunnel: ExpectedTunnel;
  readonly ikePolicy?: IkePolicyDef;
  readonly ipsecPolicy?: IpsecPolicyDef;
  readonly ikeProposals: readonly EffectiveIkeProposal[];
  readonly ipsecProposals: readonly EffectiveIpsecProposal[];
  /** Every proposal is a named, defined one (no `proposal-set`, no dangling reference, not empty). */
  readonly ikeProposalsKnown: boolean;
  readonly ipsecProposalsKnown: boolean;
  readonly acceptsVersion: VersionAcceptance;
}

function assumed<T>(value: T): Effective<T> {
  return { value, assumed: true };
}

function configured<T>(value: T): Effective<T> {
  return { value, assumed: false };
}

function lifetime(text: Located<string> | undefined, fallback: number): Effective<number> {
  const seconds = parseSeconds(text?.value);
  return seconds === undefined ? assumed(fallback) : configured(seconds);
}

export function effectiveIkeProposal(def: IkeProposalDef): EffectiveIkeProposal {
  const auth = def.authenticationAlgorithm?.value;
  const encryption = def.encryptionAlgorithm?.value;
  return {
    name: def.name,
    ...(def.authenticationMethod === undefined
      ? {}
      : { authenticationMethod: def.authenticationMethod.value }),
    authenticationAlgorithm:
      auth === undefined ? assumed(IKE_AUTHENTICATION_ALGORITHM_DEFAULT) : configured(auth),
    encryptionAlgorithm:
      encryption !== undefined
        ? configured(encryption)
        : auth !== undefined
          ? configured(NULL_ENCRYPTION)
          : assumed(IKE_ENCRYPTION_ALGORITHM_DEFAULT),
    ...(def.dhGroup === undefined ? {} : { dhGroup: def.dhGroup.value }),
    lifetimeSeconds: lifetime(def.lifetimeSeconds, IKE_LIFETIME_DEFAULT_SECONDS),
  };
}

export function effectiveIpsecProposal(def: IpsecProposalDef): EffectiveIpsecProposal {
  const auth = def.authenticationAlgorithm?.value;
  const encryption = def.encryptionAlgorithm?.value;
  return {
    name: def.name,
    ...(def.protocol === undefined ? {} : { protocol: def.protocol.value }),
    authenticationAlgorithm:
      auth === undefined ? assumed(IPSEC_AUTHENTICATION_ALGORITHM_DEFAULT) : configured(auth),
    encryptionAlgorithm:
      encryption !== undefined
        ? configured(encryption)
        : auth !== undefined
          ? configured(NULL_ENCRYPTION)
          : assumed(IPSEC_ENCRYPTION_ALGORITHM_DEFAULT),
    lifetimeSeconds: lifetime(def.lifetimeSeconds, IPSEC_LIFETIME_DEFAULT_SECONDS),
  };
}

function resolveList<D, E>(
  refs: readonly Located<string>[],
  defs: ReadonlyMap<string, D>,
  effective: (def: D) => E,
): { items: E[]; complete: boolean } {
  const items: E[] = [];
  let complete = refs.length > 0;
  for (const ref of refs) {
    const def = defs.get(ref.value);
    if (def === undefined) complete = false;
    else items.push(effective(def));
  }
  return { items, complete };
}

interface Ends {
  readonly vpn: string;
  readonly gateway?: string;
  readonly remoteAddress?: string;
  readonly localAddress?: string;
  readonly trafficSelector?: string;
  readonly selector?: { localIp?: string; remoteIp?: string };
  readonly bindInterface?: string;
  readonly establishTunnels?: ExpectedTunnel['establishTunnels'];
  readonly respondBadSpi: boolean;
  readonly description?: string;
  readonly caProfileName?: string;
  readonly ikeVersion: Effective<1 | 2>;
  readonly acceptsVersion: VersionAcceptance;
  readonly localId?: string;
  readonly remoteId?: string;
  readonly serviceSet?: string;
  readonly rule?: string;
  readonly term?: string;
}

function defined<T>(entries: Record<string, T | undefined>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

function authenticationMethod(
  policy: IkePolicyDef | undefined,
  proposals: readonly EffectiveIkeProposal[],
): string | undefined {
  const first = proposals[0]?.authenticationMethod;
  if (first !== undefined) return first;
  if (policy?.preSharedKey !== undefined) return 'pre-shared-keys';
  if (policy?.localCertificate !== undefined) return 'rsa-signatures';
  return undefined;
}

function caFor(
  defs: ConfigDefs,
  method: string | undefined,
  named: string | undefined,
): { profile?: CaProfileDef; name?: string; enforced: boolean } {
  const certificates = isCertificateMethod(method);
  if (named !== undefined) {
    const profile = defs.caProfiles.get(named);
    return profile === undefined
      ? { name: named, enforced: true }
      : { profile, name: named, enforced: crlEnforced(profile) };
  }
  if (!certificates) return { enforced: true };
  const profiles = [...defs.caProfiles.values()];
  const only = profiles.length === 1 ? profiles[0] : undefined;
  if (only !== undefined) return { profile: only, name: only.name, enforced: crlEnforced(only) };
  // Without a named profile Junos may use any configured CA: enforced unless every one fails open.
  return { enforced: profiles.length === 0 || profiles.some(crlEnforced) };
}

export function crlEnforced(profile: CaProfileDef): boolean {
  return profile.revocationDisabled === undefined && profile.disableOnDownloadFailure === undefined;
}

function establish(value: string | undefined): ExpectedTunnel['establishTunnels'] {
  if (value === 'immediately' || value === 'on-traffic') return value;
  if (value !== undefined && value.startsWith('responder-only')) return 'responder-only';
  return undefined;
}

function roleHint(ends: Ends): NonNullable<ExpectedTunnel['roleHint']> {
  if (ends.remoteAddress === undefined || ends.establishTunnels === 'responder-only')
    return 'responder';
  if (ends.establishTunnels === 'immediately') return 'initiator';
  return 'either';
}

function build(
  defs: ConfigDefs,
  family: FamilyDefs,
  line: number,
  ends: Ends,
  ikePolicyName: string | undefined,
  ipsecPolicyName: string | undefined,
): ResolvedTunnel {
  const ikePolicy = ikePolicyName === undefined ? undefined : family.ikePolicies.get(ikePolicyName);
  const ipsecPolicy =
    ipsecPolicyName === undefined ? undefined : family.ipsecPolicies.get(ipsecPolicyName);
  const ike = resolveList(ikePolicy?.proposals ?? [], family.ikeProposals, effectiveIkeProposal);
  const ipsec = resolveList(
    ipsecPolicy?.proposals ?? [],
    family.ipsecProposals,
    effectiveIpsecProposal,
  );
  const method = authenticationMethod(ikePolicy, ike.items);
  const ca = caFor(defs, method, ends.caProfileName ?? ikePolicy?.trustedCa?.value);
  const mode = ikePolicy?.mode?.value;
  const tunnel: ExpectedTunnel = {
    vpn: ends.vpn,
    ...defined({
      gateway: ends.gateway,
      remoteAddress: ends.remoteAddress,
      localAddress: ends.localAddress,
      trafficSelector: ends.trafficSelector,
      bindInterface: ends.bindInterface,
      ikePolicy: ikePolicyName,
      ipsecPolicy: ipsecPolicyName,
    }),
    ikeVersion: ends.ikeVersion,
    ikeProposals: ike.items.map((p) => p.name),
    ipsecProposals: ipsec.items.map((p) => p.name),
    ikeLifetimeSeconds: ike.items[0]?.lifetimeSeconds ?? assumed(IKE_LIFETIME_DEFAULT_SECONDS),
    ipsecLifetimeSeconds:
      ipsec.items[0]?.lifetimeSeconds ?? assumed(IPSEC_LIFETIME_DEFAULT_SECONDS),
    ...defined({ pfsGroup: ipsecPolicy?.pfsGroup?.value, establishTunnels: ends.establishTunnels }),
    respondBadSpi:
      ends.respondBadSpi ||
      ikePolicy?.respondBadSpi !== undefined ||
      family.respondBadSpi !== undefined,
    ...defined({ caProfile: ca.name }),
    crlEnforced: ca.enforced,
    ...defined({
      description: ends.description ?? ikePolicy?.description?.value,
      serviceSet: ends.serviceSet,
      rule: ends.rule,
      term: ends.term,
    }),
    ...(ends.ikeVersion.value === 1
      ? {
          ikeMode:
            mode === 'aggressive' || mode === 'main' ? configured(mode) : assumed(IKE_MODE_DEFAULT),
        }
      : {}),
    ...defined({
      authenticationMethod: method,
      localId: ends.localId ?? ikePolicy?.localId?.value,
      remoteId: ends.remoteId ?? ikePolicy?.remoteId?.value,
      localCertificate: ikePolicy?.localCertificate?.value,
    }),
    roleHint: roleHint(ends),
    ...defined({
      selector: ends.selector,
      ikeProposalSet: ikePolicy?.proposalSet?.value,
      ipsecProposalSet: ipsecPolicy?.proposalSet?.value,
    }),
  };
  return {
    family: family.family,
    line,
    tunnel,
    ...(ikePolicy === undefined ? {} : { ikePolicy }),
    ...(ipsecPolicy === undefined ? {} : { ipsecPolicy }),
    ikeProposals: ike.items,
    ipsecProposals: ipsec.items,
    ikeProposalsKnown: ike.complete && ikePolicy?.proposalSet === undefined,
    ipsecProposalsKnown: ipsec.complete && ipsecPolicy?.proposalSet === undefined,
    acceptsVersion: ends.acceptsVersion,
  };
}

/** `ge-0/0/0.0` (or `ge-0/0/0`, unit 0) → its configured inet address. */
function interfaceAddress(defs: ConfigDefs, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return defs.interfaceAddresses.get(name.includes('.') ? name : `${name}.0`);
}

function srxTunnels(defs: ConfigDefs): ResolvedTunnel[] {
  const { srx } = defs;
  const out: ResolvedTunnel[] = [];
  for (const vpn of srx.vpns.values()) {
    if (vpn.gateway === undefined && vpn.manual !== undefined) continue;
    const gateway = vpn.gateway === undefined ? undefined : srx.gateways.get(vpn.gateway.value);
    const version = gateway?.version?.value;
    const ikeVersion: Effective<1 | 2> =
      version === 'v2-only'
        ? configured(2)
        : version === 'v1-only'
          ? configured(1)
          : assumed(IKE_VERSION_DEFAULT);
    const establishTunnels = establish(vpn.establishTunnels?.value);
    const base = {
      vpn: vpn.name,
      ...defined({
        gateway: gateway?.name ?? vpn.gateway?.value,
        remoteAddress: gateway?.dynamic === undefined ? gateway?.addresses[0]?.value : undefined,
        localAddress:
          gateway?.localAddress?.value ?? interfaceAddress(defs, gateway?.externalInterface?.value),
        bindInterface: vpn.bindInterface?.value,
        description: vpn.description?.value ?? gateway?.description?.value,
        localId: gateway?.localId?.value,
        remoteId: gateway?.remoteId?.value,
        establishTunnels,
      }),
      respondBadSpi: vpn.respondBadSpi !== undefined,
      ikeVersion,
      // An SRX gateway speaks only its configured version (default v1-only).
      acceptsVersion: ikeVersion.value,
    } satisfies Ends;
    const selectors = vpn.trafficSelectors;
    const split = selectors.length > 1;
    for (const selector of split ? selectors : [selectors[0]]) {
      const ends: Ends = {
        ...base,
        ...(split && selector !== undefined ? { trafficSelector: selector.name } : {}),
        ...(selector === undefined
          ? {}
          : { selector: defined({ localIp: selector.localIp, remoteIp: selector.remoteIp }) }),
      };
      out.push(
        build(
          defs,
          srx,
          selector !== undefined && split ? selector.line : vpn.line,
          ends,
          gateway?.ikePolicy?.value,
          vpn.ipsecPolicy?.value,
        ),
      );
    }
  }
  return out;
}

function mxTerms(defs: ConfigDefs, set: ServiceSetDef): { rule: RuleDef; term: TermDef }[] {
  const terms: { rule: RuleDef; term: TermDef }[] = [];
  for (const ref of set.rules) {
    const rule = defs.mx.rules.get(ref.value);
    for (const term of rule?.terms ?? []) {
      if (rule === undefined || term.manual !== undefined) continue;
      if (
        term.remoteGateway !== undefined ||
        term.dynamic !== undefined ||
        set.ikeAccessProfile !== undefined
      ) {
        terms.push({ rule, term });
      }
    }
  }
  return terms;
}

function mxTunnels(defs: ConfigDefs): ResolvedTunnel[] {
  const { mx } = defs;
  const out: ResolvedTunnel[] = [];
  for (const set of mx.serviceSets.values()) {
    const terms = mxTerms(defs, set);
    const access =
      set.ikeAccessProfile === undefined
        ? undefined
        : mx.accessProfiles.get(set.ikeAccessProfile.value);
    for (const { rule, term } of terms) {
      const ikePolicyName =
        term.ikePolicy?.value ??
        (term.remoteGateway === undefined ? access?.ikePolicy?.value : undefined);
      const ipsecPolicyName =
        term.ipsecPolicy?.value ??
        (term.remoteGateway === undefined ? access?.ipsecPolicy?.value : undefined);
      const version = (ikePolicyName === undefined ? undefined : mx.ikePolicies.get(ikePolicyName))
        ?.version?.value;
      const ikeVersion: Effective<1 | 2> =
        version === '2'
          ? configured(2)
          : version === '1'
            ? configured(1)
            : assumed(IKE_VERSION_DEFAULT);
      const ends: Ends = {
        vpn: terms.length > 1 ? `${set.name}/${rule.name}/${term.name}` : set.name,
        gateway: `${rule.name}/${term.name}`,
        ...defined({
          remoteAddress: term.remoteGateway?.value,
          localAddress: set.localGateway?.value,
          caProfileName: set.trustedCa[0]?.value,
          establishTunnels: establish(mx.establishTunnels?.value),
        }),
        respondBadSpi: false,
        ikeVersion,
        // MX accepts both versions as responder unless one is configured (junos-ipsec.md).
        acceptsVersion: version === undefined ? 'both' : ikeVersion.value,
        serviceSet: set.name,
        rule: rule.name,
        term: term.name,
        ...(term.sourceAddress === undefined && term.destinationAddress === undefined
          ? {}
          : {
              selector: defined({ localIp: term.sourceAddress, remoteIp: term.destinationAddress }),
            }),
      };
      out.push(build(defs, mx, term.line, ends, ikePolicyName, ipsecPolicyName));
    }
  }
  return out;
}

export function resolveTunnels(defs: ConfigDefs): ResolvedTunnel[] {
  return [...srxTunnels(defs), ...mxTunnels(defs)];
}
