/**
 * An environment's overlay: a partial config deep-merged over the base config, at the level of YAML nodes, so that
 * every value keeps the file, line and column it was written at (an overlay's values are located in the overlay).
 *
 * - Mappings merge field by field.
 * - Lists of objects with a stable key merge item by item: an overlay item deep-merges into the base item with the
 *   same key (permissions, roles and feature flags by `key`, organizations by `external_id`, users by `id`, else
 *   primary email); new items are appended.
 * - Other lists (a role's permissions, allowed domains, ...) and scalars are replaced.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Pair, visit, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error, quote } from './diagnostic.js';
import type { ConfigSource, SourceText } from './source.js';

/** The fields only the base config may set: they choose the environment and its tenant. */
export const baseOnlyFields: ReadonlySet<string> = new Set(['environments', 'target']);

const scalarField = (item: YAMLMap, name: string): string | undefined => {
  const value = item.get(name, true);
  return isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number') && value.value !== '' ? String(value.value) : undefined;
};

/** A user's stable key, as the model has it: the provided id, else the primary email (the first email if none is marked). */
function userKey(item: YAMLMap): string | undefined {
  const id = scalarField(item, 'id');
  if (id !== undefined) return `id ${id}`;
  const identities = item.get('identities', true);
  if (!isSeq(identities)) return undefined;
  const emails = identities.items.filter((i): i is YAMLMap => isMap(i) && scalarField(i, 'type') === 'email');
  const primary = emails.find((i) => i.get('primary') === true) ?? emails[0];
  const email = primary && scalarField(primary, 'value');
  return email === undefined ? undefined : `email ${email.toLowerCase()}`;
}

/** The lists merged item by item (by their path, `[]` for "any item"), and the key of an item. */
const keyedLists: ReadonlyMap<string, (item: YAMLMap) => string | undefined> = new Map([
  ['permissions', (item: YAMLMap) => scalarField(item, 'key')],
  ['roles', (item: YAMLMap) => scalarField(item, 'key')],
  ['feature_flags', (item: YAMLMap) => scalarField(item, 'key')],
  ['organizations', (item: YAMLMap) => scalarField(item, 'external_id')],
  ['users/list', userKey],
]);

const fieldName = (key: unknown): string | undefined => (isScalar(key) ? String(key.value) : undefined);

/** The problems that stop an overlay from being merged: it is not a mapping, or sets a field only the base may set. */
export function checkOverlay(overlay: ConfigSource, environment: string, baseFile: string): Diagnostic[] {
  const root = overlay.doc.contents;
  if (!isMap(root)) {
    return [
      error(
        ConfigCode.OverlayField,
        `the overlay of environment ${quote(environment)} must be a mapping of config fields, like ${baseFile}`,
        overlay.locationOf(root),
        'write the fields this environment changes, e.g. business: { terms_url: https://... }',
      ),
    ];
  }
  const found: Diagnostic[] = [];
  for (const pair of root.items) {
    const name = fieldName(pair.key);
    if (name === undefined || !baseOnlyFields.has(name)) continue;
    found.push(
      error(
        ConfigCode.OverlayField,
        `an environment's overlay cannot set ${quote(name)}`,
        overlay.locationOf(pair.key as Node),
        name === 'target'
          ? `set the tenant of environment ${quote(environment)} in ${baseFile}, under environments.${environment}.target`
          : `declare environments in ${baseFile} only`,
      ),
    );
  }
  return found;
}

/**
 * Replaces every alias of a document by the node it stands for, so that the document no longer depends on the order
 * of its anchors (which a merge changes). The nodes are shared, not copied: aliases.ts has bounded what they expand to.
 */
function inlineAliases(source: ConfigSource): void {
  const done = new Set<Node>();
  const walk = (node: unknown): void => {
    if (!isCollection(node) || done.has(node)) return;
    done.add(node);
    node.items.forEach((item, i) => {
      if (isPair(item)) {
        if (isAlias(item.value)) item.value = source.resolve(item.value) ?? null;
        walk(item.value);
      } else {
        if (isAlias(item)) node.items[i] = source.resolve(item) ?? null;
        walk(node.items[i]);
      }
    });
  };
  if (isAlias(source.doc.contents)) source.doc.contents = source.resolve(source.doc.contents) as typeof source.doc.contents;
  walk(source.doc.contents);
}

/** `overlay` merged over `base`: a source whose document holds the nodes of both, each located in its own file. */
export function mergeOverlay(base: ConfigSource, overlay: ConfigSource): ConfigSource {
  inlineAliases(base);
  inlineAliases(overlay);
  const origins = new Map<Node, SourceText>();
  const file = overlay.sourceText;
  visit(overlay.doc, {
    Node(_, node) {
      origins.set(node, file);
    },
  });
  const merged = merge(base.doc.contents, overlay.doc.contents, []) ?? base.doc.contents;
  return base.withContents(merged as Node, origins);
}

function merge(base: unknown, over: unknown, path: readonly string[]): unknown {
  if (isMap(base) && isMap(over)) return mergeMaps(base, over, path);
  const keyOf = keyedLists.get(path.join('/'));
  if (keyOf && isSeq(base) && isSeq(over)) return mergeLists(base, over, keyOf, path);
  return over;
}

function mergeMaps(base: YAMLMap, over: YAMLMap, path: readonly string[]): YAMLMap {
  const overPairs = new Map<string, Pair>();
  for (const pair of over.items) {
    const name = fieldName(pair.key);
    if (name !== undefined) overPairs.set(name, pair);
  }
  const result = new YAMLMap();
  result.flow = base.flow;
  result.range = base.range;
  const used = new Set<string>();
  for (const pair of base.items) {
    const name = fieldName(pair.key);
    const replacing = name === undefined ? undefined : overPairs.get(name);
    if (!replacing || name === undefined) {
      result.items.push(pair);
      continue;
    }
    result.items.push(new Pair(pair.key, merge(pair.value, replacing.value, [...path, name])));
    used.add(name);
  }
  for (const pair of over.items) {
    const name = fieldName(pair.key);
    if (name === undefined || !used.has(name)) result.items.push(pair);
  }
  return result;
}

function mergeLists(base: YAMLSeq, over: YAMLSeq, keyOf: (item: YAMLMap) => string | undefined, path: readonly string[]): YAMLSeq {
  const result = new YAMLSeq();
  result.flow = base.flow;
  result.range = base.range;
  result.items = [...base.items];
  const index = new Map<string, number>();
  base.items.forEach((item, i) => {
    const key = isMap(item) ? keyOf(item) : undefined;
    if (key !== undefined && !index.has(key)) index.set(key, i);
  });
  // An overlay item merges into one base item at most: a second with the same key is a duplicate, reported as such.
  const merged = new Set<string>();
  for (const item of over.items) {
    const key = isMap(item) ? keyOf(item) : undefined;
    const at = key === undefined || merged.has(key) ? undefined : index.get(key);
    if (at === undefined || key === undefined) {
      result.items.push(item);
      continue;
    }
    result.items[at] = mergeMaps(base.items[at] as YAMLMap, item as YAMLMap, [...path, '[]']);
    merged.add(key);
  }
  return result;
}
