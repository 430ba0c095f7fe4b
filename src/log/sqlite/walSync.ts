import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * fdatasync of a WAL file on libuv's thread pool, so the event loop parses the next lines while
 * the disk flushes the last commit. Callers arriving while a flush runs share the next one: that
 * flush starts after their writes, so it covers them (group commit).
 */
export class WalSync {
  private fd: number | undefined;
  private inFlight: Promise<void> | undefined;
  /** The flush that starts when the one in flight ends, shared by everyone who asked meanwhile. */
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once every byte written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    if (this.next) return this.next;
    const running = this.inFlight;
    if (!running) return this.launch();
    this.next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.next = undefined;
        return this.launch();
      });
    return this.next;
  }

  /** Waits for the flushes under way, then closes the file (the log's connection stays open). */
  async close(): Promise<void> {
    while (this.next ?? this.inFlight) {
      await (this.next ?? this.inFlight)!.catch(() => undefined);
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private launch(): Promise<void> {
    const flush = new Promise<void>((resolve, reject) => {
      // Opened once the WAL exists: SQLite creates it at the first write and keeps it while a
      // connection (ours) is open; a checkpoint rewrites it in place (same inode).
      this.fd ??= openSync(this.walPath, 'r+');
      fdatasync(this.fd, (error) => (error ? reject(error) : resolve()));
    }).finally(() => {
      if (this.inFlight === flush) this.inFlight = undefined;
    });
    this.inFlight = flush;
    return flush;
  }
}
