/**
 * A sleep that can be cut short. A wake() that arrives while nobody sleeps is remembered, so
 * the next sleep returns at once and no notification is lost between two polls.
 */
export class Waker {
  private timer: NodeJS.Timeout | undefined;
  private resolve: (() => void) | undefined;
  private pending = false;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.timer = setTimeout(() => this.fire(), ms);
    });
  }

  wake(): void {
    if (this.resolve) this.fire();
    else this.pending = true;
  }

  private fire(): void {
    clearTimeout(this.timer);
    const resolve = this.resolve;
    this.timer = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}
