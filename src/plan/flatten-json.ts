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

/** The member names of a flat path below its prefix (`."a.b".c` -> `a.b`, `c`), quoted ones decoded. */
function memberNames(rest: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < rest.length) {
    i += 1; // the dot
    if (rest[i] === '"') {
      let end = i + 1;
      while (rest[end] !== '"') end += rest[end] === '\\' ? 2 : 1;
      names.push(JSON.parse(rest.slice(i, end + 1)) as string);
      i = end + 1;
    } else {
      const dot = rest.indexOf('.', i);
      const end = dot < 0 ? rest.length : dot;
      names.push(rest.slice(i, end));
      i = end;
    }
  }
  return names;
}

const leafJson = (v: Value): Json =>
  typeof v === 'string' ? (looksLikeJsonText(v) ? (JSON.parse(v) as Json) : v) : Array.isArray(v) ? [...v] : (v as Json);

/**
 * The JSON that `flattenJson(path, …)` flattened into `state` (the paths under `path`), or undefined when there are
 * none. Export uses it to write Kratos traits and metadata back as the config holds them.
 */
export function unflattenJson(path: string, state: Readonly<Record<string, Value>>): Json | undefined {
  if (path in state) return leafJson(state[path]!);
  let root: { [key: string]: Json } | undefined;
  for (const [at, value] of Object.entries(state)) {
    if (!at.startsWith(`${path}.`)) continue;
    root ??= {};
    const names = memberNames(at.slice(path.length));
    let node = root;
    for (const name of names.slice(0, -1)) node = (node[name] ??= {}) as { [key: string]: Json };
    node[names.at(-1)!] = leafJson(value);
  }
  return root;
}

/** JSON text with object members sorted by name at every depth; array order kept. */
export function canonicalJson(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
