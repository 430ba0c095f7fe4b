import { describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src/domain/lifecycle.js';
import { rekeyStartMs, REKEY_JITTER_SECONDS, softDeadlineMs } from '../../src/sim/rekey.js';
import { run } from './helpers.js';

type Est = Extract<LifecycleEvent, { type: 'IpsecSaEstablished' }>;

describe('rekey timing (junos-ipsec.md)', () => {
  it('soft deadlines: initiator hard − 135 s, responder hard − 90 s', () => {
    const hard = Date.parse('2026-11-27T10:00:00Z');
    expect(hard - softDeadlineMs(hard, 'initiator')).toBe(135_000);
    expect(hard - softDeadlineMs(hard, 'responder')).toBe(90_000);
    expect(hard - rekeyStartMs(hard, 'responder', -2)).toBe(92_000);
  });

  it('every initiator rekey starts within the jitter of hard − 135 s, and the jitter varies', () => {
    const sim = run(['steady'], 5, 8, 86_400);
    const byTunnel = new Map<string, Est[]>();
    for (const e of sim.truth) {
      if (
        e.type !== 'IpsecSaEstablished' ||
        e.data.role !== 'initiator' ||
        e.data.direction !== 'outbound'
      )
        continue;
      byTunnel.set(e.tunnel!, [...(byTunnel.get(e.tunnel!) ?? []), e]);
    }
    const leads = new Set<number>();
    let rekeys = 0;
    for (const sas of byTunnel.values()) {
      for (let i = 1; i < sas.length; i++) {
        const hard = Date.parse(sas[i - 1]!.data.hardDeadline);
        // The rekey starts with phase 1; its SAs are logged one second later.
        const startedLead = (hard - (Date.parse(sas[i]!.at) - 1000)) / 1000;
        expect(Math.abs(startedLead - 135)).toBeLessThanOrEqual(REKEY_JITTER_SECONDS);
        leads.add(startedLead);
        rekeys++;
      }
    }
    expect(rekeys).toBeGreaterThan(50);
    expect(leads.size).toBeGreaterThan(3);
  });

  it('the responder logs the same rekey with Role: Responder and its own soft deadline at hard − 90 s', () => {
    const sim = run(['steady'], 5, 4, 6 * 3600);
    const responder = sim.truth.filter(
      (e): e is Est => e.type === 'IpsecSaEstablished' && e.data.role === 'responder',
    );
    expect(responder.length).toBeGreaterThan(0);
    for (const e of responder) {
      expect(Date.parse(e.data.hardDeadline) - Date.parse(e.data.softDeadline)).toBe(90_000);
    }
    const responderLines = sim.lines.filter(
      (l) => l.line.includes('Role: Responder') && l.line.includes('successfully'),
    );
    const initiatorLines = sim.lines.filter(
      (l) => l.line.includes('Role: Initiator') && l.line.includes('successfully'),
    );
    expect(responderLines.length).toBe(initiatorLines.length);
  });

  it('IKEv1 ends with different lifetimes both use the shorter one; IKEv2 ends keep their own', () => {
    let checked = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sim = run(['steady'], seed, 8, 3600);
      for (const t of sim.fleet.tunnels) {
        const { initiator: i, responder: r } = t.lifetimes;
        if (i.ipsec === r.ipsec) continue;
        expect(t.initiator.ikeVersion).toBe(1);
        const shorter = Math.min(i.ipsec, r.ipsec);
        const lifetimes = sim.truth
          .filter(
            (e): e is Est =>
              e.type === 'IpsecSaEstablished' && e.tunnel?.endsWith(`/${t.initiator.vpn}`) === true,
          )
          .map((e) => e.data.lifetimeSeconds);
        expect(new Set(lifetimes)).toEqual(new Set([shorter]));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('lifetimes come from the parsed configuration, defaults where the proposal has none', () => {
    const sim = run(['steady'], 9, 8, 3600);
    for (const t of sim.fleet.tunnels) {
      expect(t.lifetimes.initiator.ipsec).toBe(t.initiator.ipsecLifetime ?? 28_800);
      expect(t.lifetimes.initiator.ike).toBe(t.initiator.ikeLifetime ?? 3600);
    }
    expect(sim.fleet.tunnels.some((t) => t.initiator.ipsecLifetime === undefined)).toBe(true);
  });

  it('when the initiator’s attempt times out, the responder rekeys at hard − 90 s and initiates from then on', () => {
    let checked = 0;
    for (const seed of [1, 2, 3]) {
      const sim = run(['steady', 'responder-rekey'], seed, 4, 86_400);
      for (const t of sim.header.simulation.tunnels.filter(
        (x) => x.scenario === 'responder-rekey',
      )) {
        const responderEnd = t.ends[1]!;
        const failure = sim.truth.find(
          (e) => e.type === 'NegotiationFailed' && e.tunnel === t.ends[0],
        );
        if (!failure) continue;
        const sas = sim.truth.filter(
          (e): e is Est =>
            e.type === 'IpsecSaEstablished' &&
            e.tunnel === responderEnd &&
            e.data.direction === 'inbound',
        );
        const next = sas.findIndex((e) => Date.parse(e.at) > Date.parse(failure.at));
        expect(next).toBeGreaterThan(0);
        const hard = Date.parse(sas[next - 1]!.data.hardDeadline);
        const startedLead = (hard - (Date.parse(sas[next]!.at) - 1000)) / 1000;
        expect(Math.abs(startedLead - 90)).toBeLessThanOrEqual(REKEY_JITTER_SECONDS);
        expect(sas[next]!.data.role).toBe('initiator');
        expect(
          Date.parse(sas[next]!.data.hardDeadline) - Date.parse(sas[next]!.data.softDeadline),
        ).toBe(135_000);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
