import type { Database } from 'better-sqlite3';
import { LogIncompatibleError } from '../errors.js';
import { indexTopics } from './keyIndex.js';

// Schema of the embedded log. Bump SCHEMA_VERSION and add a migration step when it changes;
// a file from a newer samon is refused rather than misread.
export const SCHEMA_VERSION = 3;

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

// v2: readKey() — a tunnel's timeline — through a per-topic index by key and time, built for
// the topics the adapter's keyIndexed option selects (see ./keyIndex.ts).
const SCHEMA_V2 = `
ALTER TABLE topics ADD COLUMN key_index INTEGER NOT NULL DEFAULT 0;
`;

// v3: the time index is sparse. records_by_time cost every append an index entry per record
// (a fifth of the append rate); record_times holds a row per batch and partition that raises
// the partition's highest timestamp: (that highest timestamp, the offset where it was first
// passed). Offsets before a row's first_offset all have timestamps below its max_ts, so the
// earliest offset stamped at or after t is found from the first row with max_ts ≥ t by
// scanning that batch's records (./sqliteStore.ts, offsetAtTime). partitions.max_ts is the
// highest timestamp so far (NULL: no record yet). Existing records are indexed once, here.
const SCHEMA_V3 = `
CREATE TABLE IF NOT EXISTS record_times (
  topic_id     INTEGER NOT NULL,
  partition_no INTEGER NOT NULL,
  max_ts       INTEGER NOT NULL,
  first_offset INTEGER NOT NULL,
  PRIMARY KEY (topic_id, partition_no, max_ts)
) WITHOUT ROWID;
ALTER TABLE partitions ADD COLUMN max_ts INTEGER;
INSERT INTO record_times (topic_id, partition_no, max_ts, first_offset)
  SELECT topic_id, partition_no, running, MIN(record_offset) FROM (
    SELECT topic_id, partition_no, record_offset,
      MAX(ts) OVER (PARTITION BY topic_id, partition_no ORDER BY record_offset) AS running
    FROM records
  ) GROUP BY topic_id, partition_no, running;
UPDATE partitions SET max_ts = (
  SELECT MAX(max_ts) FROM record_times t
  WHERE t.topic_id = partitions.topic_id AND t.partition_no = partitions.partition_no
);
DROP INDEX IF EXISTS records_by_time;
`;

/** Each step takes a file from the version before it to its own. */
const STEPS: readonly (readonly [version: number, sql: string])[] = [
  [1, SCHEMA_V1],
  [2, SCHEMA_V2],
  [3, SCHEMA_V3],
];

/**
 * Creates, upgrades or checks the schema, and builds the key index of the existing topics
 * `keyIndexed` selects that lack one, in one write transaction: safe to run from several
 * processes at once (the second finds the work done). Indexing a large topic of a v1 file
 * reads every record once: about 1.5 s per million.
 */
export function migrate(db: Database, path: string, keyIndexed: (topic: string) => boolean): void {
  const migrateOnce = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new LogIncompatibleError(
        `The event-log file ${path} has schema version ${version}, newer than this samon ` +
          `understands (${SCHEMA_VERSION}). Upgrade samon or point log.sqlite.path at another file.`,
      );
    }
    if (version < SCHEMA_VERSION) {
      for (const [target, sql] of STEPS) if (target > version) db.exec(sql);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    indexTopics(db, keyIndexed);
  });
  migrateOnce.immediate();
}
