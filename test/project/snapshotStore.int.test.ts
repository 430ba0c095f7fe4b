import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteSnapshotStore } from '../../src/project/snapshotStore.js';

// The snapshot store keeps each router's state as a row of its own: what load() returns is what
// save() was given (the same JSON text, router by router, in the same order), a new snapshot
// replaces the partition's routers, and a row written as one JSON text by an earlier version
// still loads.

const routers = {
  'srx-0001': { v: 1, router: 'srx-0001', tunnels: [{ id: 'a', spi: 1 }], clockMs: 5 },
  'srx-0002': { v: 1, router: 'srx-0002', tunnels: [], recent: ['line "quoted" é'] },
  'mx-07': { v: 1, router: 'mx-07', nested: { deep: [1, 2, { x: null }] } },
};

describe('SqliteSnapshotStore', () => {
  it('loads what it saved, router by router, and replaces it on the next save', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-snapstore-'));
    const path = join(dir, 'snapshots.db');
    const store = new SqliteSnapshotStore(path);
    store.save('g/t', 0, { next: 42, takenAt: 1_000, routers });
    store.save('g/t', 1, { next: 7, takenAt: 2_000, routers: { 'srx-0009': { v: 1 } } });
    store.save('other/t', 0, { next: 1, takenAt: 3_000, routers: {} });

    const loaded = store.load('g/t', 0)!;
    expect(loaded).toEqual({ next: 42, takenAt: 1_000, routers });
    expect(JSON.stringify(loaded.routers)).toBe(JSON.stringify(routers));
    expect(store.load('g/t', 1)?.routers).toEqual({ 'srx-0009': { v: 1 } });
    expect(store.load('other/t', 0)?.routers).toEqual({});
    expect(store.load('g/t', 2)).toBeUndefined();

    const { 'srx-0002': _gone, ...rest } = routers;
    store.save('g/t', 0, { next: 50, takenAt: 4_000, routers: rest });
    store.close();
    const reopened = new SqliteSnapshotStore(path);
    expect(reopened.load('g/t', 0)).toEqual({ next: 50, takenAt: 4_000, routers: rest });
    expect(reopened.load('g/t', 1)?.routers).toEqual({ 'srx-0009': { v: 1 } });
    reopened.close();
  });

  it('loads a partition written as one JSON text (before routers had rows of their own)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samon-snapstore-'));
    const path = join(dir, 'snapshots.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE snapshots (
        scope TEXT NOT NULL, partition_no INTEGER NOT NULL,
        next_offset INTEGER NOT NULL, taken_at INTEGER NOT NULL, routers TEXT NOT NULL,
        PRIMARY KEY (scope, partition_no)) WITHOUT ROWID`);
    db.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)').run(
      'g/t',
      0,
      9,
      123,
      JSON.stringify(routers),
    );
    db.close();
    const store = new SqliteSnapshotStore(path);
    expect(store.load('g/t', 0)).toEqual({ next: 9, takenAt: 123, routers });
    store.save('g/t', 0, { next: 10, takenAt: 124, routers: { 'srx-0001': routers['srx-0001'] } });
    expect(store.load('g/t', 0)?.routers).toEqual({ 'srx-0001': routers['srx-0001'] });
    store.close();
  });
});
