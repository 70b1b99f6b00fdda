/** Durations as people write them on a command line (`30s`, `2m`, `1h`, `500ms`), and back. */
import { IdmError } from '../errors.js';

const units: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds; `0` alone needs no unit. */
export function parseDuration(text: string, what: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const amount = Number(match?.[1]);
  const unit = match?.[2];
  if (!match || (unit === undefined && amount !== 0)) {
    throw new IdmError(`Invalid ${what} "${text}"`, 'INVALID_DURATION', 'write a number and a unit, for example 30s, 2m or 1h (0 for none)');
  }
  return Math.round(amount * (unit === undefined ? 0 : units[unit]!));
}

/** `45s`, `3m`, `2h 5m`: rounded down to what a person reads at a glance. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
}
