/**
 * JSON (Kratos traits and metadata) flattened to dotted leaf paths, the form the planner compares and the plan shows:
 * `{ name: { first: "Ada" } }` under `traits` is `traits.name.first = "Ada"`. Arrays and null stay whole, as JSON
 * text, so that their order and emptiness are compared exactly. An empty object has no leaves.
 */
import type { Json } from '../model/desired.js';
import type { FlatState, Scalar } from '../model/plan.js';

const isObject = (value: Json): value is { readonly [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

export function flattenJson(prefix: string, value: Json): FlatState {
  const out: Record<string, Scalar> = {};
  const walk = (path: string, v: Json): void => {
    if (isObject(v)) {
      for (const [key, child] of Object.entries(v)) walk(`${path}.${key}`, child);
    } else {
      out[path] = Array.isArray(v) || v === null ? JSON.stringify(v) : (v as Scalar);
    }
  };
  walk(prefix, value);
  return out;
}
