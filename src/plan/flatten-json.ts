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
 *
 * Different JSON never flattens the same, or a plan could say "No changes." over a real difference:
 * - a string that reads like such JSON text (`"null"`, `"[1]"`, `"{}"`, or one that starts with a quote) is a leaf
 *   holding its own JSON text, `"\"null\""`, which no other leaf can hold;
 * - a member name with a dot (or none at all, or one starting with a quote) is written as a JSON string,
 *   `traits."a.b"`, so that `{"a.b": 1}` and `{"a": {"b": 1}}` have different paths.
 */
import type { Json } from '../model/desired.js';
import type { Value } from '../model/plan.js';

const memberName = (key: string): string => (key === '' || key.includes('.') || key.startsWith('"') ? JSON.stringify(key) : key);

const looksLikeJsonText = (s: string): boolean => s === 'null' || s.startsWith('[') || s.startsWith('{') || s.startsWith('"');

/** Calls `leaf` for each leaf path of `value` with the value as found (strings unescaped). */
function walkLeaves(path: string, value: Json, leaf: (at: string, v: Json) => void): void {
  const walk = (at: string, v: Json): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const members = Object.entries(v as { readonly [key: string]: Json });
      if (members.length > 0) {
        for (const [key, member] of members) walk(`${at}.${memberName(key)}`, member);
        return;
      }
    }
    leaf(at, v);
  };
  walk(path, value);
}

export function flattenJson(path: string, value: Json): Record<string, Value> {
  const out: Record<string, Value> = {};
  walkLeaves(path, value, (at, v) => {
    if (typeof v === 'string') out[at] = looksLikeJsonText(v) ? JSON.stringify(v) : v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[at] = v;
    else out[at] = canonicalJson(v);
  });
  return out;
}

/** The string leaves of `value` by their flat paths, as the strings themselves (for lookups, not comparison). */
export function stringLeaves(path: string, value: Json): [string, string][] {
  const out: [string, string][] = [];
  walkLeaves(path, value, (at, v) => {
    if (typeof v === 'string') out.push([at, v]);
  });
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
