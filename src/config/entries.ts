/**
 * The entries of the top-level lists (permissions, roles, feature_flags, organizations) as the cross-entry checks
 * see them: each with its identifying key, the first one per key, and an error at every repeat.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { type Describer, entities, valueAt } from './describe.js';
import { error, lineOf } from './diagnostic.js';
import type { ConfigSource } from './source.js';
import type { Substitutions } from './variables.js';

export type Collection = 'permissions' | 'roles' | 'feature_flags' | 'organizations';

export interface Entry {
  readonly index: number;
  readonly key: string;
}

export interface Entries {
  /** The first entry per key, in config order. */
  readonly first: ReadonlyMap<string, Entry>;
  /**
   * False when some entry has no usable key (missing, not a string, or an unresolved ${...}), or the list itself is
   * not a list: a reference to an unknown key might then be to that entry, so it is not reported.
   */
  readonly complete: boolean;
}

const duplicateCodes: Readonly<Record<Collection, ConfigCode>> = {
  permissions: ConfigCode.DuplicatePermission,
  roles: ConfigCode.DuplicateRole,
  feature_flags: ConfigCode.DuplicateFeatureFlag,
  organizations: ConfigCode.DuplicateOrganization,
};

/** The entries of `collection`, with an error pushed to `errors` at each repeated key, naming the first one's line. */
export function uniqueEntries(
  collection: Collection,
  data: unknown,
  source: ConfigSource,
  describe: Describer,
  substitutions: Substitutions,
  errors: Diagnostic[],
): Entries {
  const { kind, id } = entities[collection]!;
  const items = valueAt(data, [collection]);
  if (items === undefined || items === null) return { first: new Map(), complete: items === undefined };
  if (!Array.isArray(items)) return { first: new Map(), complete: false };
  const first = new Map<string, Entry>();
  let complete = true;
  items.forEach((item: unknown, index) => {
    const path = [collection, index, id];
    const key = valueAt(item, [id]);
    const node = source.nodeAt(path);
    if (typeof key !== 'string' || key === '' || (isScalar(node) && substitutions.unresolved.has(node))) {
      complete = false;
      return;
    }
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, { index, key });
      return;
    }
    const field = id === 'key' ? 'key' : id;
    errors.push(
      error(
        duplicateCodes[collection],
        `duplicate ${kind} ${field} ${describe.quoted(path, key)}: it is already declared at ${lineOf(source.locate([collection, earlier.index, id]))}`,
        source.locate(path),
        `${id === 'key' ? 'a key' : `an ${id}`} identifies one ${kind}: remove one of the two, or give this one another ${field}`,
      ),
    );
  });
  return { first, complete };
}
