/**
 * Which parts of the config each provider can hold. Kratos keeps identities and nothing else idm manages; Kinde has no
 * Kratos identities. The README's support table is this table.
 */
import type { Desired } from './desired.js';
import type { ProviderName } from './target.js';

export const sections = ['permissions', 'roles', 'feature_flags', 'organizations', 'business', 'environment', 'users', 'identities'] as const;
export type Section = (typeof sections)[number];

export const supported: Readonly<Record<ProviderName, ReadonlySet<Section>>> = {
  kinde: new Set(['permissions', 'roles', 'feature_flags', 'organizations', 'business', 'environment', 'users']),
  kratos: new Set(['identities']),
};

const declared: Readonly<Record<Section, (d: Desired) => boolean>> = {
  permissions: (d) => d.permissions.size > 0 || d.prune.permissions,
  roles: (d) => d.roles.size > 0 || d.prune.roles,
  feature_flags: (d) => d.featureFlags.size > 0 || d.prune.feature_flags,
  organizations: (d) => d.organizations.size > 0 || d.prune.organizations,
  business: (d) => d.business !== undefined,
  environment: (d) => d.environment !== undefined,
  users: (d) => d.users.size > 0 || d.prune.users,
  identities: (d) => d.identities.size > 0 || d.prune.identities,
};

/** The sections `desired` declares that `provider` cannot hold, in config order. */
export const unsupportedSections = (desired: Desired, provider: ProviderName): Section[] =>
  sections.filter((s) => declared[s](desired) && !supported[provider].has(s));

/** `desired` without what `provider` cannot hold, so that a plan never asks a provider for what it does not have. */
export function supportedPart(desired: Desired, provider: ProviderName): Desired {
  const keep = supported[provider];
  const p = desired.prune;
  const { business, environment, ...rest } = desired;
  return {
    ...rest,
    ...(keep.has('business') && business ? { business } : {}),
    ...(keep.has('environment') && environment ? { environment } : {}),
    permissions: keep.has('permissions') ? desired.permissions : new Map(),
    roles: keep.has('roles') ? desired.roles : new Map(),
    featureFlags: keep.has('feature_flags') ? desired.featureFlags : new Map(),
    organizations: keep.has('organizations') ? desired.organizations : new Map(),
    users: keep.has('users') ? desired.users : new Map(),
    identities: keep.has('identities') ? desired.identities : new Map(),
    prune: {
      permissions: p.permissions && keep.has('permissions'),
      roles: p.roles && keep.has('roles'),
      organizations: p.organizations && keep.has('organizations'),
      feature_flags: p.feature_flags && keep.has('feature_flags'),
      users: p.users && keep.has('users'),
      identities: p.identities && keep.has('identities'),
    },
  };
}
