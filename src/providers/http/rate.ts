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
  private intervalMs: number;
  private readonly slowestMs: number;

  constructor(ratePerSecond: number, private readonly timing: Timing) {
    this.intervalMs = 1000 / ratePerSecond;
    this.slowestMs = this.intervalMs / 0.9;
  }

  /**
   * The server refused a request for going too fast: the cap is at its limit (a cap equal to a fixed window's limit
   * lets a 21st request into a window of 20 whenever one request is delayed on its way), so requests are spaced 2%
   * further apart, down to 90% of the rate asked for. Below that, the 429 gate does the rest.
   */
  slowDown(): void {
    this.intervalMs = Math.min(this.slowestMs, this.intervalMs * 1.02);
  }

  async take(): Promise<void> {
    const now = this.timing.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.timing.sleep(at - now);
  }
}

/** What the gate knows of one request it let through: the window it was sent in. */
export interface Passage {
  readonly window: number;
}

/**
 * Closed while the API has answered 429: nobody sends until the limit resets, so the client stops hammering.
 *
 * When the limit resets is worked out, not just read. Kinde's `RateLimit-Reset` counts whole seconds, rounded up,
 * so waiting that long from the answer overshoots the reset by up to a second: under a limit of a few requests per
 * second, most of each window would go unused. Limits come in whole seconds (10 per 1 s, 600 per 60 s), and a
 * window starts with its first request; so the window lasts the time since its first request plus the seconds named,
 * rounded down to whole seconds, and ends that long after its first request. The gate reopens then (a margin later),
 * never later than the answer said.
 *
 * A window opened early that is refused again before it let through half as many requests as the one before was
 * not over: the server's windows are not what the gate assumed (not whole seconds, or not starting with the first
 * request). The margin then doubles; once it reaches a whole second, the gate waits the full time named.
 */
export class PauseGate {
  private until = 0;
  /** Counts windows; a request's window is the one it was sent in. */
  private window = 0;
  /** When the first request of the current window was sent; undefined until one is. */
  private windowStart: number | undefined;
  /** Whether the current window was opened before the time the last 429 named. */
  private early = false;
  private accepted = 0;
  private acceptedBefore = 0;
  private marginMs = 20;

  constructor(private readonly timing: Timing) {}

  /** Waits while the gate is closed. */
  async pass(): Promise<void> {
    for (let wait = this.until - this.timing.now(); wait > 0; wait = this.until - this.timing.now()) {
      await this.timing.sleep(wait);
    }
  }

  /** A request leaves now. `counted`: it counts against the limit (the token endpoint's does not). */
  enter(counted: boolean): Passage {
    if (!counted) return { window: -1 };
    this.windowStart ??= this.timing.now();
    return { window: this.window };
  }

  /** The request went through (any answer but 429). */
  answered(passage: Passage): void {
    if (passage.window === this.window) this.accepted++;
  }

  /**
   * The request was refused with 429, and asked to wait `waitMs`; `wholeSeconds` when the server named a number of
   * seconds. Only the first refusal of a window moves the gate on to the next (and returns true); those of requests
   * sent in the window before wait for the same reopening.
   */
  limited(passage: Passage, waitMs: number, wholeSeconds: boolean): boolean {
    const now = this.timing.now();
    const full = now + waitMs;
    // Sent in the window just closed, before its first refusal came back: it waits for the same reopening.
    if (passage.window >= 0 && passage.window === this.window - 1 && this.early) return false;
    if (passage.window !== this.window || this.windowStart === undefined) {
      this.until = Math.max(this.until, full);
      return false;
    }
    if (this.early && this.accepted < this.acceptedBefore / 2) this.marginMs *= 2;
    let reopen = full;
    if (wholeSeconds && this.marginMs < 1000) {
      const windowMs = Math.floor((now - this.windowStart + waitMs) / 1000) * 1000;
      const end = this.windowStart + windowMs + this.marginMs;
      if (end > now) reopen = Math.min(full, end);
    }
    this.early = reopen < full;
    this.acceptedBefore = this.accepted;
    this.accepted = 0;
    this.window++;
    this.windowStart = undefined;
    this.until = Math.max(this.until, reopen);
    return true;
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
