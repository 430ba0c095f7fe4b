import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockObservation, type LifecycleEvent, type Observation } from '../../src/domain/index.js';
import { createSyslogParser } from '../../src/junos/syslog/index.js';
import { openEventLog, partitionForKey, type EventLogOptions } from '../../src/log/index.js';
import type { EventLog } from '../../src/log/port.js';
import { parseObservationId, withEvidenceLines } from '../../src/project/evidence.js';
import { Projector } from '../../src/project/projector.js';
import { saFold } from '../../src/project/saFold.js';
import { SqliteSnapshotStore } from '../../src/project/snapshotStore.js';
import { readTimelineEntries, readTimelineWithLines } from '../../src/project/timeline.js';
import { HttpServer } from '../../src/serve/http.js';
import { registerApiRoutes } from '../../src/serve/api.js';
import { kafkaBrokers } from '../support/kafka.js';
import { bsdTime } from '../support/syntheticFleet.js';
import { caughtUp, observationRecords } from './support/projection.js';

// Evidence by observation id (projection.evidence: id): the projector gives each observation
// its record's partition@offset, inferred events cite it, and timelines for people read the raw
// lines back from the observation log — on both logs. An id whose record is gone is shown as such.

const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const HOUR = 3_600_000;
const PARTITIONS = 3;

/** One tunnel: an SA pair, its IKE SA, a rekey an hour later, then clock ticks past every deadline. */
function story(router: string): Observation[] {
  const parse = createSyslogParser({ year: 2026 });
  const sa = (ms: number, direction: string, spi: string) =>
    `<30>${bsdTime(ms)} ${router} kmd[1555]: KMD_PM_SA_ESTABLISHED: Local gateway: 192.0.2.1, Remote gateway: 198.51.100.7, Local ID: ipv4_subnet(any:0,[0..7]=10.1.0.0/24), Remote ID: ipv4_subnet(any:0,[0..7]=10.2.0.0/24), Direction: ${direction}, SPI: ${spi}, AUX-SPI: 0, Mode: Tunnel, Type: dynamic, Traffic-selector:  FC Name: `;
  const ike = (ms: number) =>
    `<30>${bsdTime(ms)} ${router} kmd[1555]: IKE negotiation successfully completed. IKE Version: 2, VPN: vpn-a Gateway: gw-a, Local: 192.0.2.1/500, Remote: 198.51.100.7/500, Local IKE-ID: 192.0.2.1, Remote IKE-ID: 198.51.100.7, VR-ID: 0, Role: Initiator`;
  const lines: [number, string | undefined][] = [
    [T0, ike(T0)],
    [T0 + 1_000, sa(T0 + 1_000, 'inbound', '0x1000aaaa')],
    [T0 + 2_000, sa(T0 + 2_000, 'outbound', '0x1000bbbb')],
    [T0 + HOUR, sa(T0 + HOUR, 'inbound', '0x2000aaaa')],
    [T0 + HOUR + 1_000, sa(T0 + HOUR + 1_000, 'outbound', '0x2000bbbb')],
  ];
  for (let m = 0; m <= 10 * 60; m += 10) lines.push([T0 + m * 60_000 + 30_000, undefined]);
  lines.sort((a, b) => a[0] - b[0]);
  return lines.map(([ms, line]) =>
    line
      ? parse(line, { referenceTime: ms })
      : clockObservation(router, new Date(ms).toISOString()),
  );
}

const ID = /^\d+@\d+$/;

function describeEvidence(kind: string, options: () => EventLogOptions | undefined): void {
  const available = options() !== undefined;
  describe.skipIf(!available)(`evidence by observation id (${kind})`, () => {
    const run = randomUUID().slice(0, 8);
    const router = `srx-ev-${run}`;
    const tunnel = `${router}/vpn-a`;
    const topics = {
      observations: `samon-test.${run}.evidence-observations`,
      lifecycle: `samon-test.${run}.evidence-lifecycle`,
    };
    const lineTopics = { ...topics, lifecycle: `samon-test.${run}.evidence-lifecycle-lines` };
    const dir = mkdtempSync(join(tmpdir(), 'samon-evidence-'));
    const observations = story(router);
    const raws = new Set(observations.map((o) => o.raw).filter((raw) => raw !== ''));
    let log: EventLog;

    async function project(
      evidence: 'id' | 'line' | undefined,
      projectorTopics: typeof topics,
    ): Promise<LifecycleEvent[]> {
      const store = new SqliteSnapshotStore(join(dir, `${projectorTopics.lifecycle}.db`));
      const projector = new Projector(log, saFold(), store, pino({ level: 'silent' }), {
        groupId: `${projectorTopics.lifecycle}-projector`,
        snapshotEveryRecords: 1_000,
        topics: projectorTopics,
        ...(evidence && { evidence }),
      });
      try {
        await projector.start();
        await caughtUp(projector, 50);
        await projector.stop();
      } finally {
        store.close();
      }
      const entries = await readTimelineEntries(log, {
        ids: [tunnel, router],
        topic: projectorTopics.lifecycle,
      });
      return entries.map((e) => e.event);
    }

    beforeAll(async () => {
      const settings = options()!;
      log = await openEventLog(
        settings.kind === 'sqlite' ? { ...settings, path: join(dir, 'samon.db') } : settings,
      );
      for (const topic of [topics.observations, topics.lifecycle, lineTopics.lifecycle])
        await log.ensureTopic(topic, PARTITIONS);
      await log.append(observationRecords(topics.observations, observations));
    }, 60_000);

    afterAll(async () => {
      const settings = options()!;
      if (settings.kind === 'kafka') {
        // This run's topics, so repeated runs do not pile up on the shared broker.
        const admin = new Kafka({
          brokers: [...settings.brokers],
          logLevel: logLevel.NOTHING,
        }).admin();
        await admin.connect();
        await admin
          .deleteTopics({ topics: [topics.observations, topics.lifecycle, lineTopics.lifecycle] })
          .finally(() => admin.disconnect());
      }
      await log?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('cites partition@offset by default, and reads the raw lines back for people', async () => {
      const events = await project(undefined, topics);
      const cited = events.flatMap((e) => e.evidence).filter((e) => ID.test(e));
      expect(cited.length).toBeGreaterThan(3);
      const partition = partitionForKey(router, PARTITIONS);
      for (const id of cited) expect(parseObservationId(id)?.partition).toBe(partition);
      const expired = events.filter((e) => e.type === 'IpsecSaExpired');
      expect(expired).toHaveLength(2);
      for (const e of expired) expect(e.evidence.every((x) => ID.test(x))).toBe(true);

      const shown = await readTimelineWithLines(
        log,
        { ids: [tunnel], topic: topics.lifecycle },
        { observationsTopic: topics.observations },
      );
      expect(shown.length).toBe(events.filter((e) => e.tunnel !== undefined).length);
      for (const e of shown) {
        for (const line of e.evidence) expect(raws).toContain(line);
      }
      const expiredShown = shown.filter((e) => e.type === 'IpsecSaExpired');
      expect(expiredShown.map((e) => e.evidenceIds)).toEqual(expired.map((e) => e.evidence));
      expect(expiredShown.flatMap((e) => e.evidence).join('\n')).toMatch(
        /Direction: inbound, SPI: 0x2000aaaa[\s\S]*Direction: outbound, SPI: 0x2000bbbb/,
      );
      // Events that cite no id are given as stored, without evidenceIds.
      const observed = shown.find((e) => e.type === 'IkeSaEstablished');
      expect(observed?.evidenceIds).toBeUndefined();
    }, 120_000);

    it('keeps raw lines in events with evidence: line', async () => {
      const events = await project('line', lineTopics);
      expect(events.length).toBeGreaterThan(5);
      for (const e of events) for (const line of e.evidence) expect(raws).toContain(line);
    }, 120_000);

    it('shows an id whose record is gone as unavailable, and the rest of the timeline', async () => {
      const partition = partitionForKey(router, PARTITIONS);
      const gone = `${partition}@99999`;
      const otherLog = `${PARTITIONS + 4}@0`;
      const raw = [...raws][0]!;
      const event: LifecycleEvent = {
        v: 1,
        id: `${router}:test`,
        type: 'IpsecSaExpired',
        at: new Date(T0 + 9 * HOUR).toISOString(),
        router,
        tunnel,
        inferred: true,
        evidence: [gone, raw, otherLog],
        data: { direction: 'inbound', spi: '0x3000aaaa' },
      };
      const json = JSON.stringify(event);
      const [resolved] = await withEvidenceLines(log, [{ event, json }], {
        observationsTopic: topics.observations,
      });
      expect(resolved?.event.evidence).toEqual([
        `evidence unavailable: ${gone} (not in the observation log)`,
        raw,
        `evidence unavailable: ${otherLog} (not in the observation log)`,
      ]);
      expect(resolved?.event.evidenceIds).toEqual([gone, otherLog]);
      expect(JSON.parse(resolved!.json)).toEqual({
        ...event,
        evidence: resolved?.event.evidence,
        evidenceIds: [gone, otherLog],
      });
      // Another router's record at the place cited: not this event's log (a recreated topic).
      const stranger = { ...event, router: 'srx-other', tunnel: 'srx-other/vpn-a' };
      const [mismatch] = await withEvidenceLines(
        log,
        [{ event: { ...stranger, evidence: [`${partition}@0`] }, json: JSON.stringify(stranger) }],
        { observationsTopic: topics.observations },
      );
      expect(mismatch?.event.evidence).toEqual([
        `evidence unavailable: ${partition}@0 (the record there is ${router}'s, not srx-other's)`,
      ]);
      // An observation log that does not exist: every id unavailable, no error.
      const [nowhere] = await withEvidenceLines(log, [{ event, json }], {
        observationsTopic: `samon-test.${run}.no-such-topic`,
      });
      expect(nowhere?.event.evidence[0]).toBe(
        `evidence unavailable: ${gone} (not in the observation log)`,
      );
    }, 60_000);

    it('serves the raw lines in GET /api/tunnels/{id}/timeline and on the timeline page', async () => {
      const http = new HttpServer(pino({ level: 'silent' }));
      registerApiRoutes(http, {
        rows: () => [],
        timeline: (ids, from, to) =>
          readTimelineWithLines(
            log,
            {
              ids,
              topic: topics.lifecycle,
              ...(from !== undefined && { from }),
              ...(to !== undefined && { to }),
            },
            { observationsTopic: topics.observations },
          ),
      });
      const { port } = await http.listen('127.0.0.1', 0);
      try {
        const base = `http://127.0.0.1:${port}`;
        const api = (await (
          await fetch(`${base}/api/tunnels/${encodeURIComponent(tunnel)}/timeline`)
        ).json()) as { type: string; evidence: string[]; evidenceIds?: string[] }[];
        const expired = api.filter((e) => e.type === 'IpsecSaExpired');
        expect(expired).toHaveLength(2);
        for (const e of expired) {
          expect(e.evidenceIds?.every((id) => ID.test(id))).toBe(true);
          for (const line of e.evidence) expect(raws).toContain(line);
        }
        const page = await (await fetch(`${base}/timeline/${encodeURIComponent(tunnel)}`)).text();
        expect(page).toContain('Direction: inbound, SPI: 0x2000aaaa');
        expect(page).toContain('&lt;30&gt;');
        for (const id of expired.flatMap((e) => e.evidenceIds ?? []))
          expect(page).not.toContain(id);
      } finally {
        await http.close();
      }
    }, 60_000);
  });
}

describeEvidence('embedded', () => ({ kind: 'sqlite', path: '', partitions: PARTITIONS }));
describeEvidence('Kafka', () => {
  const brokers = kafkaBrokers();
  return brokers
    ? { kind: 'kafka', brokers, partitions: PARTITIONS, logLevel: 'error' }
    : undefined;
});
