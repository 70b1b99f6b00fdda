/**
 * Time as the provider sees it: a clock, a sleep and a random source, injectable so that tests of retries,
 * rate limits and token expiry run fast and deterministically.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Timing {
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** First retry backoff ceiling; doubles per attempt (full jitter). Default 100 ms. */
  readonly baseDelayMs: number;
  /** Largest backoff between retries. Default 4000 ms. */
  readonly maxDelayMs: number;
  /** Longest a 429 makes the provider wait, whatever the server says. Default 120 s. */
  readonly maxRateLimitWaitMs: number;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? delay(ms) : Promise.resolve()),
  random: Math.random,
  baseDelayMs: 100,
  maxDelayMs: 4000,
  maxRateLimitWaitMs: 120_000,
};

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))]. `retry` counts from 1. */
export function backoffMs(timing: Timing, retry: number): number {
  const ceiling = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(timing.random() * ceiling);
}

type HeaderValue = string | string[] | undefined;
const first = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim();

/**
 * How long a 429 asks the client to wait, in ms: `RateLimit-Reset` (seconds until the window resets, as Kinde
 * sends it; a value that can only be a Unix time is read as one), else `Retry-After` (seconds or an HTTP date).
 * Undefined when neither header is usable.
 */
export function rateLimitWaitMs(headers: Readonly<Record<string, HeaderValue>>, now: number): number | undefined {
  const reset = first(headers['ratelimit-reset']);
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const seconds = Number(reset);
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - now) : seconds * 1000;
  }
  const retryAfter = first(headers['retry-after']);
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}
