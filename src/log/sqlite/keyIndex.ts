import type { Database, Statement } from 'better-sqlite3';

// The index by key and time behind readKey(): one partial index per topic, over that topic's
// records only, so a topic never read by key pays nothing for it. (One index over every topic
// cost the observation log 44 % of its append rate: 69k → 39k records/s, 2 000-record batches,
// 1 000 routers. docs/event-log.md, "Sizing".)

export type KeyRowidsStatement = Statement<[string, number, number, number, number], number>;

const indexName = (topicId: number) => `records_by_key_${topicId}`;

/** Indexes one topic's records by (key, ts, offset); run inside a write transaction. */
export function createKeyIndex(db: Database, topicId: number): void {
  // Integer ids only: the partial index's WHERE must be a literal for the planner to use it.
  const id = Math.trunc(topicId);
  db.exec(
    `CREATE INDEX IF NOT EXISTS ${indexName(id)} ON records (record_key, ts, record_offset) ` +
      `WHERE topic_id = ${id}`,
  );
  db.prepare('UPDATE topics SET key_index = 1 WHERE id = ?').run(id);
}

/** Indexes the existing topics `wanted` selects that have no key index yet (a v1 upgrade). */
export function indexTopics(db: Database, wanted: (topic: string) => boolean): void {
  const topics = db.prepare('SELECT id, name FROM topics WHERE key_index = 0').all() as {
    id: number;
    name: string;
  }[];
  for (const { id, name } of topics) if (wanted(name)) createKeyIndex(db, id);
}

/**
 * Rowids of one key's records stamped in [from, to) below an end offset, in offset order, at
 * most `limit` (-1: all). Reads only the index (it holds the rowid), then sorts the matches.
 */
export function prepareKeyRowids(db: Database, topicId: number): KeyRowidsStatement {
  const id = Math.trunc(topicId);
  return db
    .prepare<[string, number, number, number, number], number>(
      `SELECT rowid FROM records INDEXED BY ${indexName(id)} ` +
        `WHERE topic_id = ${id} AND record_key = ? AND ts >= ? AND ts < ? AND record_offset < ? ` +
        'ORDER BY record_offset LIMIT ?',
    )
    .pluck();
}
