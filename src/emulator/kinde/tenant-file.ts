/**
 * The tenant as a JSON file. Version 2 added organizations, feature flags, business, environment settings and
 * environment variables; version 3 users (with identities, password metadata, flag overrides and property values),
 * organization memberships and property values, property definitions and categories, and connections. Older files
 * still load: a version 1 file (permissions and roles only) gets what a new tenant starts with for the rest (the
 * default organization and a seeded business), a version 2 file no users and no properties.
 */
import {
  emptyTenant,
  type ConnectionRecord,
  type MembershipRecord,
  type PropertyCategoryRecord,
  type PropertyRecord,
  emptyTracking,
  type BusinessRecord,
  type EnvironmentTracking,
  type EnvironmentVariableRecord,
  type FeatureFlagRecord,
  type OrganizationRecord,
  type PermissionRecord,
  type RoleRecord,
  type Tenant,
} from './tenant.js';
import { UserDirectory, type IdentityRecord, type UserRecord } from './user-directory.js';

type MembershipEntry = Omit<MembershipRecord, 'roles' | 'permissions'> & { readonly roles: readonly string[]; readonly permissions: readonly string[] };

type OrganizationEntry = Omit<OrganizationRecord, 'flagOverrides' | 'members' | 'properties'> & {
  readonly flagOverrides: Readonly<Record<string, string>>;
  /** Version 3. */
  readonly members?: readonly MembershipEntry[];
  /** Version 3. */
  readonly properties?: Readonly<Record<string, string>>;
};

/** A user without its `organizations` index, which is rebuilt from the organizations' members. */
type UserEntry = Omit<UserRecord, 'organizations' | 'flagOverrides' | 'properties' | 'identities'> & {
  readonly identities: readonly IdentityRecord[];
  readonly flagOverrides: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, string>>;
};

interface TenantFileV1 {
  readonly version: 1;
  readonly createdOn: string;
  readonly nextSeq: number;
  readonly permissions: readonly PermissionRecord[];
  readonly roles: readonly (Omit<RoleRecord, 'permissions'> & { readonly permissions: readonly string[] })[];
}

interface TenantFileV2 extends Omit<TenantFileV1, 'version'> {
  readonly version: 2;
  readonly organizations: readonly OrganizationEntry[];
  readonly featureFlags: readonly FeatureFlagRecord[];
  readonly environmentFlagOverrides: Readonly<Record<string, string>>;
  readonly business: BusinessRecord;
  readonly tracking: EnvironmentTracking;
  readonly mfa: Tenant['mfa'];
  readonly passkeyPolicy: Tenant['passkeyPolicy'];
  readonly environmentVariables: readonly EnvironmentVariableRecord[];
}

interface TenantFileV3 extends Omit<TenantFileV2, 'version'> {
  readonly version: 3;
  readonly users: readonly UserEntry[];
  readonly properties: readonly PropertyRecord[];
  readonly propertyCategories: readonly PropertyCategoryRecord[];
  readonly connections: readonly ConnectionRecord[];
}

function userEntry(user: UserRecord): UserEntry {
  const { organizations: _index, flagOverrides, properties, ...rest } = user;
  return { ...rest, flagOverrides: Object.fromEntries(flagOverrides), properties: Object.fromEntries(properties) };
}

function organizationEntry(org: OrganizationRecord): OrganizationEntry {
  const { flagOverrides, members, properties, ...rest } = org;
  return {
    ...rest,
    flagOverrides: Object.fromEntries(flagOverrides),
    members: [...members.values()].map((m) => ({ ...m, roles: [...m.roles], permissions: [...m.permissions] })),
    properties: Object.fromEntries(properties),
  };
}

export function serializeTenant(tenant: Tenant): string {
  const file: TenantFileV3 = {
    version: 3,
    createdOn: tenant.createdOn,
    nextSeq: tenant.nextSeq,
    permissions: [...tenant.permissions.values()],
    roles: [...tenant.roles.values()].map((role) => ({ ...role, permissions: [...role.permissions] })),
    organizations: [...tenant.organizations.values()].map(organizationEntry),
    featureFlags: [...tenant.featureFlags.values()],
    environmentFlagOverrides: Object.fromEntries(tenant.environmentFlagOverrides),
    business: tenant.business,
    tracking: tenant.tracking,
    mfa: tenant.mfa,
    passkeyPolicy: tenant.passkeyPolicy,
    environmentVariables: [...tenant.environmentVariables.values()],
    users: tenant.users.inOrder().map(userEntry),
    properties: [...tenant.properties.values()],
    propertyCategories: [...tenant.propertyCategories.values()],
    connections: [...tenant.connections.values()],
  };
  return JSON.stringify(file, null, 2) + '\n';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws with the reason when `text` is not a tenant file this emulator (or an older one) wrote. */
export function parseTenant(text: string): Tenant {
  const file = JSON.parse(text) as Partial<TenantFileV3> | Partial<TenantFileV2> | Partial<TenantFileV1>;
  if (
    !isObject(file) ||
    (file.version !== 1 && file.version !== 2 && file.version !== 3) ||
    !Array.isArray(file.permissions) ||
    !Array.isArray(file.roles) ||
    typeof file.nextSeq !== 'number'
  ) {
    throw new Error('not a version 1, 2 or 3 Kinde emulator state file');
  }
  const createdOn = typeof file.createdOn === 'string' ? file.createdOn : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = {
    createdOn,
    nextSeq: file.nextSeq,
    permissions: new Map(file.permissions.map((p) => [p.id, { ...p }])),
    roles: new Map(file.roles.map((r) => [r.id, { ...r, permissions: new Set(r.permissions) }])),
  };
  if (file.version === 1) {
    // A version 1 file holds only permissions and roles: everything else starts as in a new tenant.
    return { ...emptyTenant(new Date(createdOn)), ...base };
  }

  const v2 = file as Partial<TenantFileV3>;
  if (!Array.isArray(v2.organizations) || !Array.isArray(v2.featureFlags) || !Array.isArray(v2.environmentVariables) || !isObject(v2.business)) {
    throw new Error(`a version ${file.version} Kinde emulator state file without its organizations, feature flags, business or environment variables`);
  }
  if (file.version === 3 && (!Array.isArray(v2.users) || !Array.isArray(v2.properties) || !Array.isArray(v2.propertyCategories) || !Array.isArray(v2.connections))) {
    throw new Error('a version 3 Kinde emulator state file without its users, properties, property categories or connections');
  }
  const organizations = new Map(
    v2.organizations.map((o): [string, OrganizationRecord] => [
      o.code,
      {
        ...o,
        allowedDomains: [...o.allowedDomains],
        colors: { ...o.colors },
        writeOnly: { ...o.writeOnly },
        flagOverrides: new Map(Object.entries(o.flagOverrides ?? {})),
        members: new Map((o.members ?? []).map((m: MembershipEntry): [string, MembershipRecord] => [m.userId, { ...m, roles: new Set(m.roles), permissions: new Set(m.permissions) }])),
        properties: new Map(Object.entries(o.properties ?? {})),
      },
    ]),
  );
  return {
    ...base,
    organizations,
    featureFlags: new Map(v2.featureFlags.map((f) => [f.key, { ...f }])),
    environmentFlagOverrides: new Map(Object.entries(v2.environmentFlagOverrides ?? {})),
    business: { ...v2.business },
    tracking: { ...emptyTracking(), ...v2.tracking },
    mfa: v2.mfa ?? null,
    passkeyPolicy: v2.passkeyPolicy ?? 'off',
    environmentVariables: new Map(v2.environmentVariables.map((v) => [v.id, { ...v }])),
    users: loadUsers(v2.users ?? [], organizations),
    properties: new Map((v2.properties ?? []).map((p) => [p.id, { ...p }])),
    propertyCategories: new Map((v2.propertyCategories ?? []).map((c) => [c.id, { ...c }])),
    connections: new Map((v2.connections ?? []).map((c) => [c.id, { ...c }])),
  };
}

/** The users, their indexes rebuilt: each user's organizations in the order the user joined them. */
function loadUsers(entries: readonly UserEntry[], organizations: ReadonlyMap<string, OrganizationRecord>): UserDirectory {
  const users = new UserDirectory();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    users.add({
      ...entry,
      identities: entry.identities.map((i) => ({ ...i })),
      organizations: new Set(),
      flagOverrides: new Map(Object.entries(entry.flagOverrides ?? {})),
      properties: new Map(Object.entries(entry.properties ?? {})),
    });
  }
  const joined = [...organizations.values()].flatMap((org) => [...org.members.values()].map((m) => ({ code: org.code, m })));
  for (const { code, m } of joined.sort((a, b) => a.m.seq - b.m.seq)) {
    const user = users.get(m.userId);
    if (user) user.organizations.add(code);
    else organizations.get(code)!.members.delete(m.userId);
  }
  return users;
}
