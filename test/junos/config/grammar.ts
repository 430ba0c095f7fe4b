import fc from 'fast-check';

// A small grammar of Junos IPsec configurations and two printers, curly and `display set`,
// written independently of the parser: the property tests parse both prints and compare.

export interface Statement {
  readonly words: readonly string[];
  readonly list?: readonly string[];
  readonly children?: readonly Statement[];
  readonly inactive?: boolean;
}

const PROPOSALS = ['p1', 'p2', 'p3'];
const POLICIES = ['pol1', 'pol2'];
const GATEWAYS = ['gw1', 'gw2'];
const ADDRESSES = ['192.0.2.1', '192.0.2.2', '198.51.100.7', '203.0.113.9'];

const name = (pool: string[]) => fc.constantFrom(...pool);
const leaf = (keyword: string, value: fc.Arbitrary<string>) =>
  value.map((v): Statement => ({ words: [keyword, v] }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function withFlags(statement: fc.Arbitrary<Statement>): fc.Arbitrary<Statement> {
  return fc
    .tuple(statement, fc.boolean(), fc.integer({ min: 0, max: 9 }))
    .map(([s, flip, roll]) => (flip && roll === 0 ? { ...s, inactive: true } : s));
}

function block(
  words: string[],
  children: fc.Arbitrary<(Statement | undefined)[]>,
): fc.Arbitrary<Statement> {
  return children.map((c) => ({
    words,
    children: c.filter((s): s is Statement => s !== undefined),
  }));
}

const description = fc
  .stringMatching(/^[A-Za-z0-9 ,.\-"\\{};#]{1,20}$/)
  .map((text): Statement => ({ words: ['description', text] }));

const lifetime = fc.oneof(
  fc.constantFrom('3600', '28800', '180', '86400'),
  fc.integer({ min: 0, max: 200000 }).map(String),
);

const ikeProposal = (id: string) =>
  withFlags(
    block(
      ['proposal', id],
      fc.tuple(
        maybe(
          leaf(
            'authentication-method',
            fc.constantFrom('pre-shared-keys', 'rsa-signatures', 'ecdsa-signatures-256'),
          ),
        ),
        maybe(leaf('dh-group', fc.constantFrom('group2', 'group14', 'group19', 'group20'))),
        maybe(
          leaf('authentication-algorithm', fc.constantFrom('md5', 'sha1', 'sha-256', 'sha-384')),
        ),
        maybe(
          leaf('encryption-algorithm', fc.constantFrom('3des-cbc', 'aes-128-cbc', 'aes-256-cbc')),
        ),
        maybe(withFlags(leaf('lifetime-seconds', lifetime))),
        maybe(description),
      ),
    ),
  );

const ipsecProposal = (id: string) =>
  withFlags(
    block(
      ['proposal', id],
      fc.tuple(
        maybe(leaf('protocol', fc.constantFrom('esp', 'ah', 'bundle'))),
        maybe(
          leaf(
            'authentication-algorithm',
            fc.constantFrom('hmac-md5-96', 'hmac-sha1-96', 'hmac-sha-256-128'),
          ),
        ),
        maybe(
          leaf('encryption-algorithm', fc.constantFrom('des-cbc', 'aes-128-cbc', 'aes-256-gcm')),
        ),
        maybe(withFlags(leaf('lifetime-seconds', lifetime))),
      ),
    ),
  );

const proposalList = fc
  .uniqueArray(fc.constantFrom(...PROPOSALS, 'missing'), { minLength: 1, maxLength: 3 })
  .map((items): Statement =>
    items.length === 1
      ? { words: ['proposals', items[0] ?? 'p1'] }
      : { words: ['proposals'], list: items },
  );

const psk = fc
  .stringMatching(/^[A-Za-z0-9]{1,8}$/)
  .map((s): Statement => ({ words: ['pre-shared-key', 'ascii-text', `CANARY${s}`] }));

const ikePolicy = (id: string, mx: boolean) =>
  withFlags(
    block(
      ['policy', id],
      fc.tuple(
        maybe(leaf('mode', fc.constantFrom('main', 'aggressive'))),
        mx ? maybe(leaf('version', fc.constantFrom('1', '2'))) : fc.constant(undefined),
        maybe(proposalList),
        maybe(psk),
        maybe(leaf('local-certificate', fc.constantFrom('cert1'))),
        maybe(fc.constant<Statement>({ words: ['respond-bad-spi', '5'] })),
        maybe(description),
      ),
    ),
  );

const ipsecPolicy = (id: string) =>
  withFlags(
    block(
      ['policy', id],
      fc.tuple(
        maybe(
          block(
            ['perfect-forward-secrecy'],
            fc.tuple(leaf('keys', fc.constantFrom('group2', 'group14', 'group20'))),
          ),
        ),
        maybe(proposalList),
      ),
    ),
  );

function several(
  make: (id: string) => fc.Arbitrary<Statement>,
  ids: string[],
): fc.Arbitrary<Statement[]> {
  return fc
    .subarray(ids)
    .chain((chosen) => (chosen.length === 0 ? fc.constant([]) : fc.tuple(...chosen.map(make))));
}

const gateway = (id: string) =>
  withFlags(
    block(
      ['gateway', id],
      fc.tuple(
        maybe(leaf('ike-policy', name([...POLICIES, 'missing']))),
        maybe(
          fc.oneof(
            leaf('address', name(ADDRESSES)),
            fc.constant<Statement>({ words: ['dynamic', 'hostname', 'peer.example'] }),
          ),
        ),
        maybe(
          fc.oneof(
            leaf('local-address', name(ADDRESSES)),
            leaf('external-interface', fc.constantFrom('ge-0/0/0.0')),
          ),
        ),
        maybe(leaf('version', fc.constantFrom('v1-only', 'v2-only'))),
        maybe(fc.constant<Statement>({ words: ['local-identity', 'inet', '192.0.2.1'] })),
      ),
    ),
  );

const trafficSelector = (id: string) =>
  block(
    ['traffic-selector', id],
    fc.tuple(
      leaf('local-ip', fc.constantFrom('10.0.0.0/24')),
      leaf('remote-ip', fc.constantFrom('10.1.0.0/24', '10.2.0.0/24')),
    ),
  );

const vpn = (id: string) =>
  withFlags(
    block(
      ['vpn', id],
      fc.tuple(
        maybe(leaf('bind-interface', fc.constantFrom('st0.1', 'st0.2'))),
        maybe(
          block(
            ['ike'],
            fc.tuple(
              maybe(leaf('gateway', name([...GATEWAYS, 'missing']))),
              maybe(leaf('ipsec-policy', name([...POLICIES, 'missing']))),
            ),
          ),
        ),
        several(trafficSelector, ['ts1', 'ts2', 'ts3']).map((list): Statement | undefined =>
          list.length === 0 ? undefined : { words: [], children: list },
        ),
        maybe(
          leaf('establish-tunnels', fc.constantFrom('immediately', 'on-traffic', 'responder-only')),
        ),
      ),
    ),
  );

const srx = fc
  .tuple(
    several(ikeProposal, PROPOSALS),
    several((id) => ikePolicy(id, false), POLICIES),
    several(gateway, GATEWAYS),
    several(ipsecProposal, PROPOSALS),
    several(ipsecPolicy, POLICIES),
    several(vpn, ['vpn1', 'vpn2']),
  )
  .map(([ikeProposals, ikePolicies, gateways, ipsecProposals, ipsecPolicies, vpns]): Statement => ({
    words: ['security'],
    children: [
      { words: ['ike'], children: [...ikeProposals, ...ikePolicies, ...gateways] },
      { words: ['ipsec'], children: [...ipsecProposals, ...ipsecPolicies, ...vpns] },
    ],
  }));

const term = (id: string) =>
  withFlags(
    block(
      ['term', id],
      fc.tuple(
        block(
          ['then'],
          fc.tuple(
            maybe(leaf('remote-gateway', name(ADDRESSES))),
            maybe(
              block(
                ['dynamic'],
                fc.tuple(
                  maybe(leaf('ike-policy', name(POLICIES))),
                  maybe(leaf('ipsec-policy', name(POLICIES))),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );

const mx = fc
  .tuple(
    several(
      (id) =>
        block(
          ['rule', id],
          several(term, ['t1', 't2']).map((t) => t),
        ),
      ['r1', 'r2'],
    ),
    several(ikeProposal, PROPOSALS),
    several((id) => ikePolicy(id, true), POLICIES),
    several(ipsecProposal, PROPOSALS),
    several(ipsecPolicy, POLICIES),
    several(
      (id) =>
        block(
          ['service-set', id],
          fc.tuple(
            block(
              ['ipsec-vpn-options'],
              fc.tuple(
                maybe(leaf('local-gateway', name(ADDRESSES))),
                maybe(leaf('trusted-ca', fc.constantFrom('ca1', 'ca2'))),
              ),
            ),
            maybe(leaf('ipsec-vpn-rules', name(['r1', 'r2']))),
          ),
        ),
      ['ss1', 'ss2'],
    ),
    maybe(leaf('establish-tunnels', fc.constantFrom('immediately', 'on-traffic'))),
  )
  .map(
    ([
      rules,
      ikeProposals,
      ikePolicies,
      ipsecProposals,
      ipsecPolicies,
      serviceSets,
      establish,
    ]): Statement => ({
      words: ['services'],
      children: [
        {
          words: ['ipsec-vpn'],
          children: [
            ...rules,
            { words: ['ike'], children: [...ikeProposals, ...ikePolicies] },
            { words: ['ipsec'], children: [...ipsecProposals, ...ipsecPolicies] },
            ...(establish === undefined ? [] : [establish]),
          ],
        },
        ...serviceSets,
      ],
    }),
  );

const pki = several(
  (id) =>
    block(
      ['ca-profile', id],
      fc.tuple(
        maybe(leaf('ca-identity', fc.constant(id))),
        maybe(
          fc.oneof(
            fc.constant<Statement>({
              words: ['revocation-check'],
              children: [{ words: ['disable'] }],
            }),
            fc.constant<Statement>({
              words: ['revocation-check'],
              children: [
                {
                  words: ['crl'],
                  children: [
                    { words: ['disable', 'on-download-failure'] },
                    { words: ['url', 'http://crl.example/x.crl'] },
                  ],
                },
              ],
            }),
          ),
        ),
      ),
    ),
  ['ca1', 'ca2'],
).map((profiles): Statement => ({
  words: ['security'],
  children: [{ words: ['pki'], children: profiles }],
}));

/** A whole configuration: its top-level statements. */
export const config: fc.Arbitrary<Statement[]> = fc
  .tuple(
    maybe(leaf('host-name', fc.constantFrom('r1', 'edge-7'))),
    fc.option(srx, { nil: undefined }),
    fc.option(mx, { nil: undefined }),
    fc.option(pki, { nil: undefined }),
    maybe(fc.constant<Statement>({ words: ['apply-groups'], list: ['g1', 'g2'] })),
  )
  .map(([host, s, m, p, groups]) =>
    [
      host === undefined ? undefined : { words: ['system'], children: [host] },
      s,
      m,
      p,
      groups,
    ].filter((x): x is Statement => x !== undefined),
  );

/** Statements with empty `words` are groups of siblings (traffic selectors); flatten them. */
function flatten(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s) => (s.words.length === 0 ? flatten(s.children ?? []) : [s]));
}

function quote(word: string): string {
  return /^[A-Za-z0-9_./:*-]+$/.test(word) && word !== ''
    ? word
    : `"${word.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function words(s: Statement): string {
  const list = s.list === undefined ? '' : ` [ ${s.list.map(quote).join(' ')} ]`;
  return `${s.words.map(quote).join(' ')}${list}`;
}

export function printCurly(statements: readonly Statement[], indent = ''): string {
  return flatten(statements)
    .map((s) => {
      const prefix = `${indent}${s.inactive === true ? 'inactive: ' : ''}`;
      const children = flatten(s.children ?? []);
      if (children.length === 0) return `${prefix}${words(s)};\n`;
      return `${prefix}${words(s)} {\n${printCurly(children, `${indent}    `)}${indent}}\n`;
    })
    .join('');
}

export function printSet(statements: readonly Statement[]): string {
  const sets: string[] = [];
  const deactivates: string[] = [];
  const walk = (list: readonly Statement[], path: string[]): void => {
    for (const s of flatten(list)) {
      const here = [...path, ...s.words.map(quote)];
      const children = flatten(s.children ?? []);
      if (children.length === 0) {
        sets.push(
          `set ${words({ ...s, words: [] }) === '' ? here.join(' ') : `${here.join(' ')}${words({ ...s, words: [] })}`}`,
        );
        // A leaf is deactivated by its keyword, a block (even empty) by its full path.
        const target = s.children === undefined ? [...path, quote(s.words[0] ?? '')] : here;
        if (s.inactive === true) deactivates.push(`deactivate ${target.join(' ')}`);
      } else {
        walk(children, here);
        if (s.inactive === true) deactivates.push(`deactivate ${here.join(' ')}`);
      }
    }
  };
  walk(statements, []);
  return [...sets, ...deactivates].map((line) => `${line}\n`).join('');
}
