/**
 * Free-form JSON (Kratos traits and metadata) in the flat path vocabulary, so the planner and the Kratos provider
 * compare and show it the same way: `traits.name.first: "Ada"`.
 *
 * - An object with members recurses, one path per leaf: `<path>.<member>`.
 * - Strings, numbers and booleans are leaves as they are.
 * - Arrays, null and empty objects are leaves holding their JSON text. A set diff would lose an array's order, which
 *   Kratos keeps (and schemas may give meaning to); an empty object or a null would otherwise leave no path at all,
 *   so `{}`, `null` and "absent" could not be told apart. Object members inside that text are sorted, because the
 *   store behind Kratos may hand members back in another order than they were written.
 */
import type { Json } from '../model/desired.js';
import type { Value } from '../model/plan.js';

export function flattenJson(path: string, value: Json): Record<string, Value> {
  const out: Record<string, Value> = {};
  const walk = (at: string, v: Json): void => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      out[at] = v;
      return;
    }
    if (v === null || Array.isArray(v)) {
      out[at] = canonicalJson(v);
      return;
    }
    const members = Object.entries(v as { readonly [key: string]: Json });
    if (members.length === 0) out[at] = '{}';
    for (const [key, member] of members) walk(`${at}.${key}`, member);
  };
  walk(path, value);
  return out;
}

/** JSON text with object members sorted by name at every depth; array order kept. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
