import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** `snapshots.routers` of a partition whose routers are rows of snapshot_routers. */
const SPLIT = '';

/** The projection of one partition of the observation log at an offset. */
export interface PartitionSnapshot {
  /** The next observation offset to fold: everything before it is in `routers`. */
  readonly next: number;
  /** Router → the fold's snapshot of that router. */
  readonly routers: Readonly<Record<string, unknown>>;
  /** Wall-clock time the snapshot was taken (epoch ms), for `samon_projector_snapshot_age_seconds`. */
  readonly takenAt: number;
}

/** How far lifecycle events of a partition are known to be appended. */
export interface Progress {
  /** Events of observations before this offset are in the lifecycle log. */
  readonly appendedThrough: number;
  /** Smallest event time (epoch ms) any event appended after the snapshot can have. */
  readonly eventsFrom: number;
}

export interface SnapshotStore {
  load(scope: string, partition: number): PartitionSnapshot | undefined;
  save(scope: string, partition: number, snapshot: PartitionSnapshot): void;
  progress(scope: string, partition: number): Progress | undefined;
  saveProgress(scope: string, partition: number, progress: Progress): void;
  close(): void;
}

/**
 * Snapshots in a SQLite file of their own (WAL, synchronous=FULL): an upsert per partition,
 * so the file stays the size of the state. `scope` separates projector groups and topics.
 * Each router's state is a row of its own (snapshot_routers), written with the partition's row
 * in one transaction: as one JSON text, a partition of a million SAs (~1 KB each) would exceed
 * V8's longest string (~512 M characters). A partition row whose `routers` holds JSON (written
 * before the split) is still read.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly db: Database.Database;
  private readonly loadStmt;
  private readonly saveStmt;
  private readonly progressStmt;
  private readonly saveProgressStmt;
  private readonly routersStmt;
  private readonly deleteRoutersStmt;
  private readonly insertRouterStmt;
  private readonly saveTx: (scope: string, partition: number, snapshot: PartitionSnapshot) => void;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS snapshots (
        scope TEXT NOT NULL, partition_no INTEGER NOT NULL,
        next_offset INTEGER NOT NULL, taken_at INTEGER NOT NULL, routers TEXT NOT NULL,
        PRIMARY KEY (scope, partition_no)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS progress (
        scope TEXT NOT NULL, partition_no INTEGER NOT NULL,
        appended_through INTEGER NOT NULL, events_from INTEGER NOT NULL,
        PRIMARY KEY (scope, partition_no)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS snapshot_routers (
        scope TEXT NOT NULL, partition_no INTEGER NOT NULL, router TEXT NOT NULL, state TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS snapshot_routers_by_router
        ON snapshot_routers (scope, partition_no, router);`);
    this.loadStmt = this.db.prepare<
      [string, number],
      { next_offset: number; taken_at: number; routers: string }
    >('SELECT next_offset, taken_at, routers FROM snapshots WHERE scope = ? AND partition_no = ?');
    this.saveStmt = this.db.prepare(
      `INSERT INTO snapshots (scope, partition_no, next_offset, taken_at, routers) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope, partition_no) DO UPDATE SET
         next_offset = excluded.next_offset, taken_at = excluded.taken_at, routers = excluded.routers`,
    );
    this.progressStmt = this.db.prepare<
      [string, number],
      { appended_through: number; events_from: number }
    >('SELECT appended_through, events_from FROM progress WHERE scope = ? AND partition_no = ?');
    this.saveProgressStmt = this.db.prepare(
      `INSERT INTO progress (scope, partition_no, appended_through, events_from) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope, partition_no) DO UPDATE SET
         appended_through = excluded.appended_through, events_from = excluded.events_from`,
    );
    this.routersStmt = this.db.prepare<[string, number], { router: string; state: string }>(
      'SELECT router, state FROM snapshot_routers WHERE scope = ? AND partition_no = ? ORDER BY rowid',
    );
    this.deleteRoutersStmt = this.db.prepare(
      'DELETE FROM snapshot_routers WHERE scope = ? AND partition_no = ?',
    );
    this.insertRouterStmt = this.db.prepare(
      'INSERT INTO snapshot_routers (scope, partition_no, router, state) VALUES (?, ?, ?, ?)',
    );
    this.saveTx = this.db.transaction(
      (scope: string, partition: number, snapshot: PartitionSnapshot) => {
        this.saveStmt.run(scope, partition, snapshot.next, snapshot.takenAt, SPLIT);
        this.deleteRoutersStmt.run(scope, partition);
        for (const [router, state] of Object.entries(snapshot.routers))
          this.insertRouterStmt.run(scope, partition, router, JSON.stringify(state));
      },
    );
  }

  load(scope: string, partition: number): PartitionSnapshot | undefined {
    const row = this.loadStmt.get(scope, partition);
    if (!row) return undefined;
    let routers: Record<string, unknown>;
    if (row.routers !== SPLIT) routers = JSON.parse(row.routers) as Record<string, unknown>;
    else {
      routers = {};
      for (const { router, state } of this.routersStmt.iterate(scope, partition))
        routers[router] = JSON.parse(state);
    }
    return { next: row.next_offset, takenAt: row.taken_at, routers };
  }

  save(scope: string, partition: number, snapshot: PartitionSnapshot): void {
    this.saveTx(scope, partition, snapshot);
  }

  progress(scope: string, partition: number): Progress | undefined {
    const row = this.progressStmt.get(scope, partition);
    return row ? { appendedThrough: row.appended_through, eventsFrom: row.events_from } : undefined;
  }

  saveProgress(scope: string, partition: number, progress: Progress): void {
    this.saveProgressStmt.run(scope, partition, progress.appendedThrough, progress.eventsFrom);
  }

  close(): void {
    this.db.close();
  }
}
