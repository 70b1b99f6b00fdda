import type { FieldDiff, Scalar, SetDiff } from '../model/plan.js';

/** Kinde answers `null` for a description that was never set; an empty one means the same to a user. */
export const normaliseText = (value: string | null | undefined): string => value ?? '';

export function scalarDiff(path: string, before: Scalar, after: Scalar): FieldDiff[] {
  return before === after ? [] : [{ path, before, after }];
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/** Compares two sets of keys; order never matters. */
export function setDiff(path: string, before: ReadonlySet<string>, after: ReadonlySet<string>): SetDiff[] {
  const added = sorted([...after].filter((k) => !before.has(k)));
  const removed = sorted([...before].filter((k) => !after.has(k)));
  if (added.length === 0 && removed.length === 0) return [];
  return [{ path, before: sorted(before), after: sorted(after), added, removed }];
}

/** Diff entries that show every field of an object being created or destroyed. */
export function wholeObjectDiff(state: Readonly<Record<string, Scalar | readonly string[] | undefined>>, side: 'create' | 'delete'): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const [path, value] of Object.entries(state)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      const values = value as readonly string[];
      diffs.push(
        side === 'create'
          ? { path, before: [], after: values, added: values, removed: [] }
          : { path, before: values, after: [], added: [], removed: values },
      );
    } else {
      const scalar = value as Scalar;
      diffs.push(side === 'create' ? { path, before: null, after: scalar } : { path, before: scalar, after: null });
    }
  }
  return diffs;
}
