/**
 * The tenant as a JSON file. Version 2 added organizations, feature flags, business, environment settings and
 * environment variables; a version 1 file (permissions and roles only) still loads, and gets what a new tenant
 * starts with for the rest: the default organization and a seeded business.
 */
import {
  emptyTenant,
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

type OrganizationEntry = Omit<OrganizationRecord, 'flagOverrides'> & { readonly flagOverrides: Readonly<Record<string, string>> };

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

export function serializeTenant(tenant: Tenant): string {
  const file: TenantFileV2 = {
    version: 2,
    createdOn: tenant.createdOn,
    nextSeq: tenant.nextSeq,
    permissions: [...tenant.permissions.values()],
    roles: [...tenant.roles.values()].map((role) => ({ ...role, permissions: [...role.permissions] })),
    organizations: [...tenant.organizations.values()].map((org) => ({ ...org, flagOverrides: Object.fromEntries(org.flagOverrides) })),
    featureFlags: [...tenant.featureFlags.values()],
    environmentFlagOverrides: Object.fromEntries(tenant.environmentFlagOverrides),
    business: tenant.business,
    tracking: tenant.tracking,
    mfa: tenant.mfa,
    passkeyPolicy: tenant.passkeyPolicy,
    environmentVariables: [...tenant.environmentVariables.values()],
  };
  return JSON.stringify(file, null, 2) + '\n';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throws with the reason when `text` is not a tenant file this emulator (or an older one) wrote. */
export function parseTenant(text: string): Tenant {
  const file = JSON.parse(text) as Partial<TenantFileV2> | Partial<TenantFileV1>;
  if (
    !isObject(file) ||
    (file.version !== 1 && file.version !== 2) ||
    !Array.isArray(file.permissions) ||
    !Array.isArray(file.roles) ||
    typeof file.nextSeq !== 'number'
  ) {
    throw new Error('not a version 1 or 2 Kinde emulator state file');
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

  const v2 = file as Partial<TenantFileV2>;
  if (!Array.isArray(v2.organizations) || !Array.isArray(v2.featureFlags) || !Array.isArray(v2.environmentVariables) || !isObject(v2.business)) {
    throw new Error('a version 2 Kinde emulator state file without its organizations, feature flags, business or environment variables');
  }
  return {
    ...base,
    organizations: new Map(
      v2.organizations.map((o) => [
        o.code,
        { ...o, allowedDomains: [...o.allowedDomains], colors: { ...o.colors }, writeOnly: { ...o.writeOnly }, flagOverrides: new Map(Object.entries(o.flagOverrides ?? {})) },
      ]),
    ),
    featureFlags: new Map(v2.featureFlags.map((f) => [f.key, { ...f }])),
    environmentFlagOverrides: new Map(Object.entries(v2.environmentFlagOverrides ?? {})),
    business: { ...v2.business },
    tracking: { ...emptyTracking(), ...v2.tracking },
    mfa: v2.mfa ?? null,
    passkeyPolicy: v2.passkeyPolicy ?? 'off',
    environmentVariables: new Map(v2.environmentVariables.map((v) => [v.id, { ...v }])),
  };
}
