// Memory for scrape bodies, reused. Writing fresh memory costs a page fault per 4 KiB (about
// 1 ms per MB on the reference VM, ten times the writing itself), and a body for 10⁵ tunnels is
// hundreds of MB. A body is lent out as a Buffer over pooled memory and the memory comes back
// only once that Buffer object has been garbage-collected: Node keeps a written Buffer
// referenced by its write request until the socket has sent it, so nothing can still be
// reading the memory then. When no memory has come back yet, a scrape takes fresh memory.

export class BodyPool {
  private free: ArrayBuffer | undefined;
  private readonly returned = new FinalizationRegistry<ArrayBuffer>((memory) => {
    if (this.free === undefined || this.free.byteLength < memory.byteLength) this.free = memory;
  });

  /** Memory for a body of up to `size` bytes (reused when a returned block is large enough). */
  take(size: number): ArrayBuffer {
    const free = this.free;
    this.free = undefined;
    if (free !== undefined && free.byteLength >= size) return free;
    return new ArrayBuffer(Math.ceil(size * 1.125));
  }

  /** The body: the first `length` bytes of `memory`, which returns here once the body is gone. */
  lend(memory: ArrayBuffer, length: number): Buffer {
    const body = Buffer.from(memory, 0, length);
    this.returned.register(body, memory);
    return body;
  }

  /** Memory taken but not lent (the body outgrew it). */
  giveBack(memory: ArrayBuffer): void {
    if (this.free === undefined || this.free.byteLength < memory.byteLength) this.free = memory;
  }
}
