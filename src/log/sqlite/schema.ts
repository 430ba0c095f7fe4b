import type { Database } from 'better-sqlite3';
import { LogIncompatibleError } from '../errors.js';

// Schema of the embedded log. Bump SCHEMA_VERSION and add a migration step when it changes;
// a file from a newer samon is refused rather than misread.
export const SCHEMA_VERSION = 2;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS topics (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  partitions  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS partitions (
  topic_id     INTEGER NOT NULL,
  partition_no INTEGER NOT NULL,
  next_offset  INTEGER NOT NULL,
  PRIMARY KEY (topic_id, partition_no)
) WITHOUT ROWID;

-- value last: SQLite reads columns in order, so the small ones never walk a large value's
-- overflow pages. A rowid table because WITHOUT ROWID suits small rows only.
CREATE TABLE IF NOT EXISTS records (
  topic_id      INTEGER NOT NULL,
  partition_no  INTEGER NOT NULL,
  record_offset INTEGER NOT NULL,
  ts            INTEGER NOT NULL,
  record_key    TEXT NOT NULL,
  headers       TEXT,
  value         BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_offset
  ON records (topic_id, partition_no, record_offset);
CREATE INDEX IF NOT EXISTS records_by_time
  ON records (topic_id, partition_no, ts, record_offset);

CREATE TABLE IF NOT EXISTS group_members (
  group_id     TEXT NOT NULL,
  topic_id     INTEGER NOT NULL,
  member_id    TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  -- when the batch handler now running started (NULL between batches): a member stuck in one
  -- handler for longer than the max poll interval is treated as dead, as in Kafka
  handler_since INTEGER,
  PRIMARY KEY (group_id, topic_id, member_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_claims (
  group_id     TEXT NOT NULL,
  topic_id     INTEGER NOT NULL,
  partition_no INTEGER NOT NULL,
  member_id    TEXT NOT NULL,
  claim_id     INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic_id, partition_no)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS group_offsets (
  group_id     TEXT NOT NULL,
  topic_id     INTEGER NOT NULL,
  partition_no INTEGER NOT NULL,
  next_offset  INTEGER NOT NULL,
  committed_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, topic_id, partition_no)
) WITHOUT ROWID;
`;

// v2: readKey() — a tunnel's timeline — through an index by key and time. The offset makes it
// covering, so finding a key's records in a time range reads no table row.
const SCHEMA_V2 = `
CREATE INDEX IF NOT EXISTS records_by_key
  ON records (topic_id, record_key, ts, record_offset);
`;

/** Each step takes a file from the version before it to its own. */
const STEPS: readonly (readonly [version: number, sql: string])[] = [
  [1, SCHEMA_V1],
  [2, SCHEMA_V2],
];

/**
 * Creates, upgrades or checks the schema in one write transaction, so it is safe to run from
 * several processes at once (the second finds the work done). Upgrading a large v1 file builds
 * the v2 index over every record: seconds per million records, once.
 */
export function migrate(db: Database, path: string): void {
  const migrateOnce = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new LogIncompatibleError(
        `The event-log file ${path} has schema version ${version}, newer than this samon ` +
          `understands (${SCHEMA_VERSION}). Upgrade samon or point log.sqlite.path at another file.`,
      );
    }
    if (version === SCHEMA_VERSION) return;
    for (const [target, sql] of STEPS) if (target > version) db.exec(sql);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  });
  migrateOnce.immediate();
}
