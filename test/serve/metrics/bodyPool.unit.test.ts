import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BodyPool } from '../../../src/serve/metrics/bodyPool.js';

// The memory of a scrape body is reused only once nothing holds the body any more.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage and lets the finalizers run (they run as later tasks). */
async function collectGarbage(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('BodyPool', () => {
  it('lends the first bytes of the memory, and reuses it once the body is gone', async () => {
    const pool = new BodyPool();
    const memory = pool.take(1000);
    expect(memory.byteLength).toBeGreaterThanOrEqual(1000);
    Buffer.from(memory).write('hello');
    let body: Buffer | undefined = pool.lend(memory, 5);
    expect(body.toString()).toBe('hello');
    expect(body.buffer).toBe(memory);
    body = undefined;
    await collectGarbage();
    expect(pool.take(1000)).toBe(memory);
  });

  it('never hands out memory while its body is still referenced', async () => {
    const pool = new BodyPool();
    const memory = pool.take(1000);
    const body = pool.lend(memory, 10);
    await collectGarbage();
    expect(pool.take(1000)).not.toBe(memory);
    expect(body.length).toBe(10);
  });

  it('takes fresh memory when what came back is too small', () => {
    const pool = new BodyPool();
    const small = pool.take(10);
    pool.giveBack(small);
    const big = pool.take(small.byteLength * 4);
    expect(big).not.toBe(small);
    expect(big.byteLength).toBeGreaterThanOrEqual(small.byteLength * 4);
  });
});
