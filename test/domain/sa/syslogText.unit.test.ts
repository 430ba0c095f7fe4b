import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../src/domain/observation.js';
import { junosConfigObservation } from '../../../src/collect/junosConfigImporter.js';
import { createSyslogParser } from '../../../src/junos/syslog/index.js';
import { replayObservations } from '../../../src/project/replay.js';
import * as b from '../support/observations.js';
import { fold, types } from '../support/spec.js';

// From syslog text to lifecycle events: the same rules, fed by src/junos/syslog from lines
// written after the templates of syslog-catalog.md (test/fixtures/replay).

const parse = createSyslogParser({ year: 2026 });
const text = (lines: string) =>
  lines
    .trim()
    .split('\n')
    .map((line) => parse(line.trim()));
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/replay');
const fixture = (name: string) =>
  readFileSync(resolve(FIXTURES, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => parse(l));

describe('the typed builders write lines the syslog parser reads back the same', () => {
  const samples: Observation[] = [
    b.ikeUp({ t: 0, role: 'responder', version: 1 }),
    b.saUp({ t: 0, dir: 'outbound', spi: '0x0000abcd', ts: 'ts-1' }),
    b.tunnelUp({ t: 1, ts: 'ts-1' }),
    b.tunnelDown({ t: 2 }),
    b.ikeFailed({ t: 3, reason: 'timed-out', reasonText: 'Timed out' }),
    b.ipsecFailed({
      t: 3,
      reason: 'traffic-selector-mismatch',
      reasonText: 'Peer proposed traffic-selectors are not in configured range',
    }),
    b.phaseFailure(1, {
      t: 4,
      reason: 'authentication-failed',
      reasonText: 'Authentication failed',
      src: '10.0.0.1',
      dst: '203.0.113.5',
    }),
    b.dpdDead({ t: 6, peer: '203.0.113.5' }),
    b.certFailed({ t: 7, caProfile: 'corp-ca', check: 'crl-download' }),
    b.certFailed({ t: 7, caProfile: 'corp-ca', check: 'revoked' }),
    b.badSpi({ t: 8, spi: '0xdeadbeef', peer: '203.0.113.5' }),
  ];
  it.each(samples.map((o) => [o.kind, o] as const))('%s', (_kind, built) => {
    const parsed = parse(built.raw);
    expect(parsed).toMatchObject({
      kind: built.kind,
      router: built.router,
      time: built.time,
      raw: built.raw,
    });
    expect(parsed.data).toMatchObject(built.data);
  });
});

describe('scenarios from syslog text', () => {
  it('establish, then rekey on time (IKEv2 initiator, default lifetimes)', () => {
    const { events } = fold(
      text(`
        <30>1 2026-11-27T02:00:00.000Z srx1 kmd 1555 - - IKE negotiation successfully completed. IKE Version: 2, VPN: vpn-a Gateway: gw-a, Local: 10.0.0.1/500, Remote: 203.0.113.5/500, Local IKE-ID: 10.0.0.1, Remote IKE-ID: 203.0.113.5, VR-ID: 0, Role: Initiator
        <30>1 2026-11-27T02:00:00.000Z srx1 kmd 1555 KMD_PM_SA_ESTABLISHED - KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 203.0.113.5, Local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Direction: inbound, SPI: 0x11111111, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:
        <30>1 2026-11-27T02:00:00.000Z srx1 kmd 1555 KMD_PM_SA_ESTABLISHED - KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 203.0.113.5, Local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Direction: outbound, SPI: 0x22222222, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:
        <30>1 2026-11-27T09:57:50.000Z srx1 kmd 1555 KMD_PM_SA_ESTABLISHED - KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 203.0.113.5, Local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Direction: inbound, SPI: 0x33333333, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:
        <30>1 2026-11-27T09:57:50.000Z srx1 kmd 1555 KMD_PM_SA_ESTABLISHED - KMD_PM_SA_ESTABLISHED: Local gateway: 10.0.0.1, Remote gateway: 203.0.113.5, Local ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Remote ID: ipv4_subnet(any:0,[0..7]=0.0.0.0/0), Direction: outbound, SPI: 0x44444444, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name:
      `),
      { settings: { silenceGapSeconds: 86_400 } },
    );
    expect(events.filter((e) => e.type === 'IpsecSaRekeyed').map((e) => e.data)).toEqual([
      {
        direction: 'inbound',
        oldSpi: '0x11111111',
        newSpi: '0x33333333',
        leadSeconds: 130,
        outcome: 'on-time',
      },
      {
        direction: 'outbound',
        oldSpi: '0x22222222',
        newSpi: '0x44444444',
        leadSeconds: 130,
        outcome: 'on-time',
      },
    ]);
  });

  it('structured-data SA lines (SPI in decimal) and a `show log` IKE line (IKEv1 responder)', () => {
    const { events } = fold(
      text(`
        Nov 27 02:00:00  srx1 kmd[1555]: IKE negotiation successfully completed. IKE Version: 1, VPN: vpn-a Gateway: gw-a, Local: 10.0.0.1/500, Remote: 203.0.113.5/500, Local IKE-ID: 10.0.0.1, Remote IKE-ID: 203.0.113.5, VR-ID: 0, Role: Responder
        <30>1 2026-11-27T02:00:01.000Z srx1 kmd 1555 KMD_PM_SA_ESTABLISHED [junos@2636.1.1.1.2.129 local-address="10.0.0.1" remote-address="203.0.113.5" local-initiator="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" remote-responder="ipv4_subnet(any:0,[0..7\\]=0.0.0.0/0)" argument1="inbound" index1="3700499780" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""]
      `),
    );
    expect(events.filter((e) => e.type !== 'TunnelDiscovered')).toMatchObject([
      {
        type: 'IkeSaEstablished',
        tunnel: 'srx1/vpn-a',
        data: { ikeVersion: 1, role: 'responder' },
      },
      {
        type: 'IpsecSaEstablished',
        tunnel: 'srx1/vpn-a',
        data: { spi: '0xdc912544', role: 'responder', softDeadline: '2026-11-27T09:58:31.000Z' },
      },
    ]);
  });

  it('the srx1 fixture with its configuration: invalid SPI recovered via respond-bad-spi, CRL enforced, missed rekey, expiry, down, back up', () => {
    const conf = junosConfigObservation(
      readFileSync(resolve(FIXTURES, 'srx1.conf'), 'utf8'),
      'srx1.conf',
      {
        now: () => Date.parse('2026-11-27T00:00:00.000Z'),
      },
    );
    const result = replayObservations({
      files: [fixture('srx1-kmd.log')],
      configs: [conf.observation],
    });
    const branch = result.events.filter((e) => e.tunnel === 'srx1/vpn-branch7');
    expect(types(branch).slice(5)).toEqual([
      'CertificateCheckFailed',
      'NegotiationFailed',
      'IpsecSaRekeyOverdue',
      'IpsecSaRekeyOverdue',
      'IpsecSaExpired',
      'IpsecSaExpired',
      'TunnelDown',
      'NegotiationFailed',
      'IkeSaEstablished',
      'IkeSaRekeyed',
      'IpsecSaEstablished',
      'IpsecSaEstablished',
      'TunnelUp',
    ]);
    expect(result.events.find((e) => e.type === 'InvalidSpiRecovered')?.data).toMatchObject({
      via: 'respond-bad-spi',
    });
  });

  it('the srx1 fixture without configuration: default lifetimes (assumed), CRL enforced by default, recovery via unknown', () => {
    const result = replayObservations({ files: [fixture('srx1-kmd.log')] });
    const branch = result.events.filter((e) => e.tunnel === 'srx1/vpn-branch7');
    expect(branch.find((e) => e.type === 'IpsecSaEstablished')?.data).toMatchObject({
      lifetimeSeconds: 28_800,
      lifetimeAssumed: true,
    });
    expect(types(branch)).not.toContain('IpsecSaExpired');
    expect(result.events.find((e) => e.type === 'InvalidSpiRecovered')?.data).toMatchObject({
      via: 'unknown',
    });
    expect(result.events.find((e) => e.type === 'CertificateCheckFailed')).toMatchObject({
      data: { enforced: true, caProfile: 'corp-ca' },
    });
  });

  it('replay builds the fleet peer index: IKEv1 with both ends imported takes the shorter lifetime', () => {
    const ours = b.config({
      t: 0,
      model: b.configModel([
        { vpn: 'to-r2', ikeVersion: 1, local: '10.0.0.1', remote: '10.0.0.2', ipsecLifetime: 3600 },
      ]),
    });
    const theirs = b.config({
      t: 0,
      router: 'r2',
      model: b.configModel([
        {
          vpn: 'to-srx1',
          ikeVersion: 1,
          local: '10.0.0.2',
          remote: '10.0.0.1',
          ipsecLifetime: 1800,
        },
      ]),
    });
    const lines = [
      b.ikeUp({ t: 10, vpn: 'to-r2', remote: '10.0.0.2', version: 1 }),
      b.saUp({ t: 10, dir: 'inbound', spi: '0x00000001', remote: '10.0.0.2' }),
    ];
    const result = replayObservations({ files: [lines], configs: [ours, theirs] });
    expect(result.events.find((e) => e.type === 'IpsecSaEstablished')?.data).toMatchObject({
      lifetimeSeconds: 1800,
      lifetimeSource: 'negotiated',
    });
  });
});
