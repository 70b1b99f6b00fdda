/** Compact builders for Desired and Live values in tests. */
import type { BusinessSpec, Desired, IdentityMatch, EnvironmentSpec, FeatureFlagSpec, IdentityRecordSpec, OrganizationSpec, PermissionSpec, RoleSpec, UserSpec, UsersMode } from '../../src/model/desired.js';
import type { Live, LiveFeatureFlag, LiveIdentity, LiveOrganization, LivePermission, LiveRole, LiveUser } from '../../src/model/live.js';
import type { FlatState } from '../../src/model/plan.js';
import type { Target } from '../../src/model/target.js';
import { unfinishedMark } from '../../src/plan/fingerprint.js';

export const target: Target = { provider: 'kinde', url: 'https://acme.kinde.com', local: false };

type PermIn = Omit<PermissionSpec, 'description'> & { description?: string };
type RoleIn = { key: string; name: string; description?: string; isDefault?: boolean; permissions?: string[] };

type OrgIn = Partial<OrganizationSpec> & { externalId: string; name: string };

export const org = (o: OrgIn): OrganizationSpec => ({ colors: {}, policies: {}, ...o });

export function desired(
  spec: {
    permissions?: PermIn[]; roles?: RoleIn[]; prune?: Partial<Desired['prune']>;
    featureFlags?: FeatureFlagSpec[]; organizations?: OrgIn[]; business?: BusinessSpec; environment?: Partial<EnvironmentSpec>;
    users?: UserSpec[]; usersMode?: UsersMode; identities?: IdentityRecordSpec[]; identityMatch?: IdentityMatch;
  } = {},
): Desired {
  return {
    featureFlags: new Map((spec.featureFlags ?? []).map((f) => [f.key, f])),
    organizations: new Map((spec.organizations ?? []).map((o) => [o.externalId, org(o)])),
    ...(spec.business ? { business: spec.business } : {}),
    ...(spec.environment ? { environment: { tracking: {}, featureFlags: new Map(), ...spec.environment } } : {}),
    permissions: new Map((spec.permissions ?? []).map((p) => [p.key, p])),
    roles: new Map(
      (spec.roles ?? []).map((r): [string, RoleSpec] => [
        r.key,
        { key: r.key, name: r.name, ...(r.description === undefined ? {} : { description: r.description }), isDefault: r.isDefault ?? false, permissions: new Set(r.permissions ?? []) },
      ]),
    ),
    users: new Map((spec.users ?? []).map((u) => [u.key, u])),
    usersMode: spec.usersMode ?? 'seed',
    identities: new Map((spec.identities ?? []).map((i) => [i.key, i])),
    identityMatch: spec.identityMatch ?? { by: 'trait', path: ['email'] },
    prune: { permissions: false, roles: false, organizations: false, feature_flags: false, users: false, identities: false, ...spec.prune },
  };
}

type LivePermIn = { key: string; name: string; description?: string | null; id?: string };
type LiveRoleIn = { key: string; name: string; description?: string | null; isDefault?: boolean; permissions?: string[]; id?: string };

type LiveOrgIn = { externalId: string; state: FlatState; id?: string; isDefault?: boolean };

export function live(
  spec: {
    permissions?: LivePermIn[]; roles?: LiveRoleIn[]; featureFlags?: Record<string, FlatState>; organizations?: LiveOrgIn[];
    business?: FlatState; environment?: FlatState; writeOnly?: Record<string, Record<string, string>>; users?: LiveUser[]; identities?: LiveIdentity[];
    /** Keys of users whose create an earlier apply left unfinished. */
    unfinishedUsers?: string[];
  } = {},
): Live {
  return {
    identities: new Map((spec.identities ?? []).map((i) => [i.id, i])),
    users: new Map((spec.users ?? []).map((u) => [u.id, u])),
    featureFlags: new Map(Object.entries(spec.featureFlags ?? {}).map(([key, state]): [string, LiveFeatureFlag] => [key, { key, state }])),
    organizations: new Map(
      (spec.organizations ?? []).map((o): [string, LiveOrganization] => [o.externalId, { id: o.id ?? `org_${o.externalId}`, externalId: o.externalId, isDefault: o.isDefault ?? false, state: o.state }]),
    ),
    settings: { ...(spec.business ? { business: spec.business } : {}), ...(spec.environment ? { environment: spec.environment } : {}) },
    writeOnly: new Map(Object.entries(spec.writeOnly ?? {}).map(([k, fields]) => [k, new Map(Object.entries(fields))])),
    unfinishedUsers: new Set((spec.unfinishedUsers ?? []).map(unfinishedMark)),
    permissions: new Map(
      (spec.permissions ?? []).map((p): [string, LivePermission] => [p.key, { id: p.id ?? `perm_${p.key}`, key: p.key, name: p.name, description: p.description ?? null }]),
    ),
    roles: new Map(
      (spec.roles ?? []).map((r): [string, LiveRole] => [
        r.key,
        { id: r.id ?? `role_${r.key}`, key: r.key, name: r.name, description: r.description ?? null, isDefault: r.isDefault ?? false, permissions: new Set(r.permissions ?? []) },
      ]),
    ),
  };
}
