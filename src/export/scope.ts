/**
 * What `idm export` reads: everything the config format can express about the selected collections. Organizations'
 * further reads are keyed by external id, so the provider lists them first and asks for this scope with their ids
 * (Provider.readAll). Per-user reads (properties, direct permissions) are left out: they cost a request per user, and
 * what is not exported stays unmanaged.
 */
import type { IdentityMatch } from '../model/desired.js';
import type { ReadScope } from '../model/plan.js';
import type { Collection } from './collections.js';

/** Kratos identities are exported keyed on their email trait, the config's default match. */
export const exportMatch: IdentityMatch = { by: 'trait', path: ['email'] };

export function exportScope(selected: ReadonlySet<Collection>, organizations: readonly string[]): ReadScope {
  const has = (c: Collection) => selected.has(c);
  const orgs = [...organizations].sort();
  return {
    // Flags are exported as templates to complete (their definitions cannot be read), with the values found.
    feature_flags: has('feature_flags'),
    organizations: has('organizations'),
    organization_details: has('organizations')
      ? Object.fromEntries(orgs.map((o) => [o, { detail: true, feature_flags: has('feature_flags'), passkey: true, properties: true }]))
      : {},
    business: has('business'),
    environment: { details: has('environment'), feature_flags: has('feature_flags'), passkey: has('environment') },
    // idm's record of what it wrote to fields Kinde never returns: it lets those be exported where idm wrote them.
    write_only: has('organizations') || has('environment') || has('feature_flags') || has('users'),
    users: { list: has('users'), member_orgs: has('users') ? orgs : [], match: {}, permissions: [], properties: [] },
    identities: has('identities') ? { match: exportMatch } : null,
  };
}
