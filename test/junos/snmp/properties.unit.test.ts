import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObservationData } from '../../../src/domain/observation.js';
import {
  decodeGlobalCounters,
  decodeSystem,
  decodeTable,
  decodeTrap,
  type SnmpVarbind,
} from '../../../src/junos/snmp/decode.js';
import { encodeRow } from '../../../src/junos/snmp/encode.js';
import {
  decodeRowIndex,
  encodeRowIndex,
  parseOid,
  type RowIndex,
} from '../../../src/junos/snmp/index-codec.js';
import {
  SNMP_TRAP_OID_0,
  SYS_UPTIME_0,
  SnmpType,
  TRAP_OBJ,
  jnxIkeTunnelMonTable,
  jnxIkeTunnelTable,
  jnxIpSecSaMonTable,
  jnxIpSecSaTable,
  jnxIpSecTunnelMonTable,
  jnxIpSecTunnelTable,
  walkPlan,
  type IndexShape,
  type Platform,
  type WalkTable,
} from '../../../src/junos/snmp/oids.js';
import { formatIpv4, formatIpv6 } from '../../../src/junos/snmp/values.js';

const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => formatIpv4(b));
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6(b));
const address = fc.oneof(ipv4, ipv6);
const serviceSet = fc
  .string({ unit: 'grapheme', maxLength: 24 })
  .filter((s) => new TextEncoder().encode(s).length <= 96);
const index32 = fc.integer({ min: 1, max: 0x7fffffff });
const saIndex = fc.integer({ min: 1, max: 65535 });
const spi = fc.integer({ min: 256, max: 0xffffffff });
const counter = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const text = fc.string({ unit: 'grapheme', maxLength: 40 });

const anyValue = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.constantFrom(null, undefined, {}, [], true),
);
const anyType = fc.oneof(
  fc.constantFrom(2, 4, 5, 6, 64, 65, 66, 67, 68, 70, 128, 129, 130),
  fc.integer(),
);
const subIds = fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.nat()), { maxLength: 30 });

function arbitraryVarbinds(table: WalkTable): fc.Arbitrary<SnmpVarbind[]> {
  const oid = fc.oneof(
    fc
      .tuple(fc.constantFrom(...(table.columns ?? [0, 1, 2, 3])), subIds)
      .map(([col, ids]) => [table.oid, col, ...ids].join('.')),
    fc.string({ maxLength: 30 }),
    subIds.map((ids) => `${table.oid}.${ids.join('.')}`),
  );
  return fc.array(fc.record({ oid, type: anyType, value: anyValue }), {
    maxLength: 40,
  });
}

const tables: [Platform, WalkTable][] = (['srx', 'mx'] as const).flatMap((p) =>
  walkPlan(p).map((t): [Platform, WalkTable] => [p, t]),
);

describe('decoder properties', () => {
  it.each(tables)('%s %s: never throws, and every row it gives is a valid observation', (p, t) => {
    fc.assert(
      fc.property(arbitraryVarbinds(t), (varbinds) => {
        const { observations, errors } = decodeTable(p, t, varbinds);
        for (const o of observations) {
          expect(ObservationData[o.kind].safeParse(o.data).success).toBe(true);
          expect(o.raw).not.toContain('\n');
        }
        for (const e of errors) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('system, global counters and trap decoders never throw', () => {
    const vbs = fc.array(
      fc.record({
        oid: fc.oneof(
          fc.constantFrom(SYS_UPTIME_0, SNMP_TRAP_OID_0, `${TRAP_OBJ}.2.0`, `${TRAP_OBJ}.3`),
          fc.string(),
        ),
        type: anyType,
        value: anyValue,
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(vbs, (varbinds) => {
        decodeSystem(varbinds);
        decodeGlobalCounters(varbinds);
        const trap = decodeTrap(varbinds);
        expect(ObservationData['snmp-trap'].safeParse(trap).success).toBe(true);
        expect(() => JSON.stringify(trap)).not.toThrow();
      }),
    );
  });
});

describe('round trips', () => {
  const indexFor = (shape: IndexShape): fc.Arbitrary<RowIndex> => {
    const gw = { remoteGateway: address, tunnelIndex: index32 };
    switch (shape) {
      case 'gw.tun':
        return fc.record(gw);
      case 'gw.tun.sa':
        return fc.record({ ...gw, saIndex });
      case 'svc.gw.tun':
        return fc.record({ serviceSet, ...gw });
      case 'svc.gw.tun.sa':
        return fc.record({ serviceSet, ...gw, saIndex });
      case 'state.index':
        return fc.record({ peerState: fc.constantFrom(1, 2), peerIndex: index32 });
      case 'scalar':
        return fc.constant({});
    }
  };

  it.each<IndexShape>(['gw.tun', 'gw.tun.sa', 'svc.gw.tun', 'svc.gw.tun.sa', 'state.index'])(
    'decode(encode(index)) = index for %s (IPv4 and IPv6)',
    (shape) => {
      fc.assert(
        fc.property(indexFor(shape), (index) => {
          const ids = parseOid(encodeRowIndex(shape, index)) ?? [];
          expect(decodeRowIndex(shape, ids)).toEqual({ ok: true, index });
        }),
      );
    },
  );

  it('SA rows (SRX and MX) decode to what was encoded', () => {
    const row = fc.record({
      mx: fc.boolean(),
      index: fc.record({ serviceSet, remoteGateway: address, tunnelIndex: index32, saIndex }),
      inSpi: spi,
      outSpi: spi,
      state: fc.constantFrom(0, 1, 2),
      lifetime: fc.integer({ min: 0, max: 0x7fffffff }),
      active: fc.integer({ min: 0, max: 0x7fffffff }),
      encrypt: fc.integer({ min: 1, max: 9 }),
    });
    fc.assert(
      fc.property(row, (r) => {
        const def = r.mx ? jnxIpSecSaTable : jnxIpSecSaMonTable;
        const cols = r.mx
          ? { 3: r.inSpi, 4: r.outSpi, 10: r.lifetime, 11: r.active, 14: r.encrypt, 16: r.state }
          : { 3: r.inSpi, 4: r.outSpi, 8: r.lifetime, 9: r.active, 12: r.encrypt, 14: r.state };
        const index = r.mx ? r.index : { ...r.index, serviceSet: undefined };
        const table = { name: def.name, oid: def.entry };
        const { observations, errors } = decodeTable(
          r.mx ? 'mx' : 'srx',
          table,
          encodeRow(def, index, cols),
        );
        expect(errors).toEqual([]);
        expect(observations).toHaveLength(1);
        const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
        expect(observations[0]?.data).toMatchObject({
          remoteGateway: r.index.remoteGateway,
          tunnelIndex: r.index.tunnelIndex,
          saIndex: r.index.saIndex,
          inSpi: hex(r.inSpi),
          outSpi: hex(r.outSpi),
          state: ['unknown', 'active', 'expiring'][r.state],
          stateRaw: r.state,
          lifetimeSeconds: r.lifetime,
          activeSeconds: r.active / 100,
          encryptAlgoRaw: r.encrypt,
          ...(r.mx ? { serviceSet: r.index.serviceSet } : {}),
        });
      }),
    );
  });

  it('tunnel and IKE rows decode to what was encoded (text, addresses, Counter64)', () => {
    const row = fc.record({
      mx: fc.boolean(),
      index: fc.record({ serviceSet, remoteGateway: address, tunnelIndex: index32 }),
      local: address,
      vpn: text,
      remoteId: text,
      inBytes: counter,
      outPkts: counter,
    });
    fc.assert(
      fc.property(row, (r) => {
        const index = r.mx ? r.index : { ...r.index, serviceSet: undefined };
        const tun = r.mx ? jnxIpSecTunnelTable : jnxIpSecTunnelMonTable;
        const tunCols = r.mx
          ? { 2: r.vpn, 5: r.local, 15: r.inBytes, 14: r.outPkts }
          : { 27: r.vpn, 5: r.local, 12: r.inBytes, 11: r.outPkts };
        const t = decodeTable(
          r.mx ? 'mx' : 'srx',
          { name: tun.name, oid: tun.entry },
          encodeRow(tun, index, tunCols),
        );
        expect(t.errors).toEqual([]);
        expect(t.observations[0]?.data).toMatchObject({
          remoteGateway: r.index.remoteGateway,
          tunnelIndex: r.index.tunnelIndex,
          localGateway: r.local,
          counters: {
            inDecryptedBytes: r.inBytes.toString(),
            outEncryptedPkts: r.outPkts.toString(),
          },
          ...(r.mx ? { rule: r.vpn, vpn: r.index.serviceSet } : { vpn: r.vpn }),
        });
        const ike = r.mx ? jnxIkeTunnelTable : jnxIkeTunnelMonTable;
        const ikeCols = r.mx ? { 9: r.local, 12: r.remoteId } : { 4: r.local, 14: r.remoteId };
        const k = decodeTable(
          r.mx ? 'mx' : 'srx',
          { name: ike.name, oid: ike.entry },
          encodeRow(ike, index, ikeCols),
        );
        expect(k.errors).toEqual([]);
        expect(k.observations[0]?.data).toMatchObject({
          ikeIndex: r.index.tunnelIndex,
          localGateway: r.local,
          remoteIkeId: r.remoteId,
        });
      }),
    );
  });

  it('a trap with a binary address decodes it, whatever octets it holds', () => {
    fc.assert(
      fc.property(address, (gw) => {
        const bytes = [
          ...(parseOid(encodeRowIndex('gw.tun', { remoteGateway: gw, tunnelIndex: 1 })) ?? []),
        ].slice(2, -1);
        const data = decodeTrap([
          { oid: `${TRAP_OBJ}.1.0`, type: SnmpType.Integer, value: gw.includes(':') ? 2 : 1 },
          { oid: `${TRAP_OBJ}.2.0`, type: SnmpType.OctetString, value: Buffer.from(bytes) },
        ]);
        expect(data.remoteGateway).toBe(gw);
      }),
    );
  });
});
