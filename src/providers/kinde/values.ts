/**
 * Kinde's value encodings and idm's: flag values travel as strings whatever the flag's type, colours come back as
 * `{raw, hex, hsl}` in whatever case the client sent. Live states hold them the way the config does (see
 * src/plan/flatten.ts), so the planner compares like with like.
 */
import type { Value } from '../../model/plan.js';
import { isRecord } from './client.js';

/**
 * A flag value as the config types it: bool -> boolean, int -> number, str -> string. A value that does not fit its
 * type is kept as Kinde sent it, so the plan shows the difference instead of hiding it.
 */
export function typedFlagValue(type: unknown, raw: unknown): Value {
  if (raw === undefined || raw === null) return null;
  if (type === 'bool') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
  } else if (type === 'int') {
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim())) return Number(raw.trim());
  }
  return typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
}

/** The string Kinde takes for a flag value (or any scalar field sent as a query parameter), whatever its type. */
export const flagValueText = (value: Value | undefined): string => (value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value));

/** `#rrggbb`, lower case: `#FFF` and `fff` are the same colour to people, so they must be to the planner. */
export function normalColor(text: string): string {
  const bare = text.trim().toLowerCase().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/.test(bare)) return `#${[...bare].map((c) => c + c).join('')}`;
  return /^[0-9a-f]{6}$/.test(bare) ? `#${bare}` : text.trim().toLowerCase();
}

/** A colour from a read: the `hex` of the `{raw, hex, hsl}` object (or `raw`), null when unset. */
export function colorOf(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : normalColor(value);
  if (!isRecord(value)) return null;
  const hex = typeof value.hex === 'string' && value.hex !== '' ? value.hex : typeof value.raw === 'string' && value.raw !== '' ? value.raw : undefined;
  return hex === undefined ? null : normalColor(hex);
}

/** Text that may be unset: Kinde says so with null, an absent field or an empty string alike. */
export function optionalText(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Domain names compare case-insensitively; a set, so sorted. */
export const domainSet = (value: unknown): string[] =>
  Array.isArray(value) ? [...new Set(value.filter((d): d is string => typeof d === 'string' && d !== '').map((d) => d.trim().toLowerCase()))].sort() : [];
