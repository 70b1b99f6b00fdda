/**
 * A fixed-window rate limit, and the `N/WINDOW` notation the CLI takes for it. A provider may publish no numbers; what
 * clients must handle is the 429 and its `RateLimit-Reset` header (whole seconds until the window resets).
 */
import { IdmError } from '../errors.js';

export interface RateLimit {
  readonly requests: number;
  readonly windowMs: number;
}

/** Returns undefined when the request may proceed, otherwise the seconds (at least 1) until the window resets. */
export function fixedWindow(limit: RateLimit): (now: number) => number | undefined {
  let windowStart = -Infinity;
  let used = 0;
  return (now) => {
    if (now >= windowStart + limit.windowMs) {
      windowStart = now;
      used = 0;
    }
    if (used < limit.requests) {
      used++;
      return undefined;
    }
    return Math.max(1, Math.ceil((windowStart + limit.windowMs - now) / 1000));
  };
}

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `10/1s`, `600/60s`, `100/m`, `5/500ms`. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d+)\s*\/\s*(\d*(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  const requests = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * (units[match?.[3] ?? ''] ?? NaN);
  if (!match || requests < 1 || !(windowMs >= 1)) {
    throw new IdmError(`Invalid rate limit "${text}"`, 'INVALID_RATE_LIMIT', 'write it as REQUESTS/WINDOW, for example 10/1s, 600/60s or 100/m');
  }
  return { requests, windowMs: Math.round(windowMs) };
}
