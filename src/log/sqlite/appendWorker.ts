// The append thread of the embedded log (see ./appendThread.ts): its own connection to the file,
// synchronous=FULL, so each batch is committed and fsynced here, off the caller's event loop.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeBatch } from './appendCodec.js';
import { SqliteStore } from './sqliteStore.js';
import type { AppendRequest, AppendReply, AppendThreadData } from './appendThread.js';

const { path, busyTimeoutMs } = workerData as AppendThreadData;
const port = parentPort!;
const db = new Database(path, { timeout: busyTimeoutMs });
db.pragma('synchronous = FULL');
// Topics are created by the caller's connection before it hands their records over: this one
// never creates one, so whether a new topic would be key-indexed never comes up here.
const store = new SqliteStore(db, path, busyTimeoutMs, () => false);

port.on('message', (message: AppendRequest | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: AppendReply;
  try {
    const records = decodeBatch(message);
    const results = store.append(records, message.now);
    const partitions = new Uint32Array(results.length);
    const offsets = new Float64Array(results.length);
    for (let i = 0; i < results.length; i++) {
      partitions[i] = results[i]!.partition;
      offsets[i] = results[i]!.offset;
    }
    reply = { id: message.id, partitions, offsets };
    port.postMessage(reply, [partitions.buffer, offsets.buffer]);
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown; code?: unknown };
    reply = {
      id: message.id,
      error: {
        name: typeof e.name === 'string' ? e.name : 'Error',
        message: typeof e.message === 'string' ? e.message : String(error),
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
      },
    };
    port.postMessage(reply);
  }
});
