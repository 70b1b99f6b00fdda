/**
 * Field-level diff of flattened objects (organizations, flags, settings). A desired field is compared with the
 * live value when the provider could read one; when it could not (a write-only field), with the fingerprint idm
 * recorded when it last wrote that field.
 */
import type { FieldDiff, FlatState, Value } from '../model/plan.js';
import { normaliseText } from './diff.js';
import { writeOnlyFingerprint } from './fingerprint.js';

const isList = (v: Value | undefined): v is readonly string[] => Array.isArray(v);

function sameValue(a: Value, b: Value): boolean {
  if (isList(a) || isList(b)) return isList(a) && isList(b) && a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  if ((a === null || typeof a === 'string') && (b === null || typeof b === 'string')) return normaliseText(a) === normaliseText(b);
  return a === b;
}

function valueDiff(path: string, before: Value, after: Value): FieldDiff {
  if (isList(after) || isList(before)) {
    const b = isList(before) ? [...before].sort() : [];
    const a = isList(after) ? [...after].sort() : [];
    return { path, before: b, after: a, added: a.filter((x) => !b.includes(x)), removed: b.filter((x) => !a.includes(x)) };
  }
  return { path, before, after };
}

export function flatDiff(desired: FlatState, live: FlatState, recorded: ReadonlyMap<string, string> | undefined): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const [path, after] of Object.entries(desired)) {
    if (path in live) {
      const before = live[path]!;
      if (!sameValue(before, after)) diffs.push(valueDiff(path, before, after));
      continue;
    }
    const fingerprint = recorded?.get(path);
    if (fingerprint !== writeOnlyFingerprint(after)) diffs.push({ path, before: null, after, write_only: fingerprint === undefined ? 'unknown' : 'changed' });
  }
  return diffs;
}

/** The live object as the plan shows it: its readable fields that the config manages. */
export function managedPart(live: FlatState, desired: FlatState): FlatState {
  return Object.fromEntries(Object.entries(live).filter(([path]) => path in desired));
}
