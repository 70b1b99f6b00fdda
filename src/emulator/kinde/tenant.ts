/**
 * The emulated tenant's data. `seq` records creation order, which is the order lists come back in when no
 * `sort` is asked for; ids alone cannot give it because two ids minted in one millisecond sort randomly.
 */

export interface PermissionRecord {
  readonly id: string;
  readonly seq: number;
  key: string;
  name: string;
  description: string | null;
}

export interface RoleRecord {
  readonly id: string;
  readonly seq: number;
  key: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  /** Ids of the permissions the role grants. */
  readonly permissions: Set<string>;
}

export interface Tenant {
  readonly createdOn: string;
  nextSeq: number;
  readonly permissions: Map<string, PermissionRecord>;
  readonly roles: Map<string, RoleRecord>;
}

/** The persisted form. Versioned so that a later emulator can refuse or migrate an older file. */
interface TenantFile {
  readonly version: 1;
  readonly createdOn: string;
  readonly nextSeq: number;
  readonly permissions: readonly PermissionRecord[];
  readonly roles: readonly (Omit<RoleRecord, 'permissions'> & { readonly permissions: readonly string[] })[];
}

export const emptyTenant = (now: Date = new Date()): Tenant => ({
  createdOn: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  nextSeq: 1,
  permissions: new Map(),
  roles: new Map(),
});

export const findByKey = <T extends { key: string }>(records: Map<string, T>, key: string): T | undefined => {
  for (const record of records.values()) if (record.key === key) return record;
  return undefined;
};

export function serializeTenant(tenant: Tenant): string {
  const file: TenantFile = {
    version: 1,
    createdOn: tenant.createdOn,
    nextSeq: tenant.nextSeq,
    permissions: [...tenant.permissions.values()],
    roles: [...tenant.roles.values()].map((role) => ({ ...role, permissions: [...role.permissions] })),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Throws with the reason when `text` is not a tenant file this emulator wrote. */
export function parseTenant(text: string): Tenant {
  const file = JSON.parse(text) as Partial<TenantFile>;
  if (file?.version !== 1 || !Array.isArray(file.permissions) || !Array.isArray(file.roles) || typeof file.nextSeq !== 'number') {
    throw new Error('not a version 1 Kinde emulator state file');
  }
  return {
    createdOn: typeof file.createdOn === 'string' ? file.createdOn : emptyTenant().createdOn,
    nextSeq: file.nextSeq,
    permissions: new Map(file.permissions.map((p) => [p.id, { ...p }])),
    roles: new Map(file.roles.map((r) => [r.id, { ...r, permissions: new Set(r.permissions) }])),
  };
}
