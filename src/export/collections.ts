/** What `idm export --only` selects: the config's top-level collections and settings blocks. */
import { IdmError } from '../errors.js';
import { closest } from '../config/suggest.js';
import { supported } from '../model/support.js';
import type { ProviderName } from '../model/target.js';

/** In the config's (and the schema's) order. */
export const collections = ['permissions', 'roles', 'feature_flags', 'organizations', 'business', 'environment', 'users', 'identities'] as const;
export type Collection = (typeof collections)[number];

export const allCollections: ReadonlySet<Collection> = new Set(collections);

const isCollection = (name: string): name is Collection => (collections as readonly string[]).includes(name);

/** What a provider's tenant holds of the collections (see src/model/support.ts): all of them unless `--only` says otherwise. */
export const collectionsOf = (provider: ProviderName): ReadonlySet<Collection> => new Set(collections.filter((c) => supported[provider].has(c)));

/** `roles,permissions` -> the set; an unknown name is an error that suggests the nearest one. */
export function parseCollections(list: string): Set<Collection> {
  const names = list.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new IdmError('--only names no collection', 'EXPORT_ONLY_EMPTY', `name one or more of ${collections.join(', ')}, separated by commas`);
  const selected = new Set<Collection>();
  for (const name of names) {
    if (!isCollection(name)) {
      const near = closest(name, collections);
      throw new IdmError(
        `--only: unknown collection "${name}"`,
        'EXPORT_ONLY_UNKNOWN',
        `${near ? `did you mean "${near}"? ` : ''}idm exports ${collections.join(', ')}`,
      );
    }
    selected.add(name);
  }
  return selected;
}
