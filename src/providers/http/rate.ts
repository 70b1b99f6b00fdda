/**
 * What keeps the provider polite: a client-side rate cap (`--max-rps`), a shared gate that pauses every request
 * while the server says it is rate limited, and a bound on requests in flight (`--parallelism`).
 */
import type { Timing } from './timing.js';

/**
 * A token bucket holding one token, refilled at `ratePerSecond`: requests leave at most that often, evenly spaced,
 * whoever sends them. Slots are reserved in call order, so concurrent callers queue fairly.
 */
export class RateCap {
  private next = 0;
  private readonly intervalMs: number;

  constructor(ratePerSecond: number, private readonly timing: Timing) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  async take(): Promise<void> {
    const now = this.timing.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.timing.sleep(at - now);
  }
}

/** Closed while the API has answered 429: nobody sends until the time it named, so the client stops hammering. */
export class PauseGate {
  private until = 0;

  constructor(private readonly timing: Timing) {}

  pauseFor(ms: number): void {
    this.until = Math.max(this.until, this.timing.now() + ms);
  }

  async pass(): Promise<void> {
    for (let wait = this.until - this.timing.now(); wait > 0; wait = this.until - this.timing.now()) {
      await this.timing.sleep(wait);
    }
  }
}

/** At most `limit` holders at once; the rest wait in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}
