/**
 * The Writer: idm's changes, in keys, as Kinde API calls, in ids. Ids come from the Live the plan was made from,
 * from create responses, or (for permissions, whose create answers without one) from one shared listing.
 * Creates are never repeated blindly: after a lost answer the collection is listed, and only a create that did
 * not happen is sent again. Flags, organizations, settings and users are written by their own modules (write-*.ts),
 * which record what they wrote to fields Kinde never returns (state-record.ts).
 */
import type { Live } from '../../model/live.js';
import type { FeatureFlagChange, IdentityChange, OrganizationChange, PermissionState, SettingsChange, UserChange } from '../../model/plan.js';
import type { RoleAttributes, Writer } from '../provider.js';
import { isRecord, type KindeClient } from './client.js';
import { IdDirectory } from './ids.js';
import { listedOrganization } from './read-organizations.js';
import { permissionOf, roleOf } from './read.js';
import { StateRecords, type RecordIndex } from './state-record.js';
import { writeFeatureFlag } from './write-feature-flag.js';
import { writeOrganization } from './write-organization.js';
import { writeSettings } from './write-settings.js';
import { UnfinishedUsers } from './unfinished-users.js';
import { UserDirectory, writeUser, type UserDetails } from './write-user.js';
import type { PasswordSpec, UserSpec } from '../../model/desired.js';

/** Kinde accepts at most 100 objects per bulk write. */
export const bulkLimit = 100;

const segment = encodeURIComponent;

/**
 * `description` in a create or update body. Undefined means the config does not manage it: leave it out.
 * Null means none: an update sends "" to clear it, a create just leaves it out.
 */
function description(value: string | null | undefined, on: 'create' | 'update'): { description?: string } {
  if (value === undefined) return {};
  if (value === null || value === '') return on === 'update' ? { description: '' } : {};
  return { description: value };
}

/** `{<field>: {id}}` from a create response, if the server sent one. */
function createdId(body: unknown, field: string): string | undefined {
  const object = isRecord(body) ? body[field] : undefined;
  const id = isRecord(object) ? object.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class KindeWriter implements Writer {
  private readonly permissions: IdDirectory;
  private readonly roles: IdDirectory;
  /** By external id. */
  private readonly organizations: IdDirectory;
  private readonly records: StateRecords;
  /** Seed mode only (see trackUserCreates). */
  private unfinished: UnfinishedUsers | undefined;
  private readonly users: UserDirectory;

  constructor(
    private readonly client: KindeClient,
    private readonly live: Live,
    pageSize: number,
    /** The state record's variables as the read found them; without them, they are listed when first needed. */
    records?: RecordIndex,
    /** Org codes by external id, from a read that listed orgs for its users alone (Live.organizations then has none). */
    organizationCodes?: ReadonlyMap<string, string>,
  ) {
    const pairs = async (path: string, field: string, of: (item: unknown, path: string) => { key: string; id: string }) =>
      (await client.list(path, field, pageSize)).map((item) => {
        const { key, id } = of(item, path);
        return [key, id] as const;
      });
    this.permissions = new IdDirectory('permission', () => pairs('/permissions', 'permissions', permissionOf), live.permissions.values());
    this.roles = new IdDirectory('role', () => pairs('/roles', 'roles', roleOf), live.roles.values());
    this.organizations = new IdDirectory(
      'organization',
      async () =>
        (await client.list('/organizations', 'organizations', pageSize)).flatMap((item) => {
          const org = listedOrganization(item);
          return org ? [[org.externalId, org.id] as const] : [];
        }),
      [...[...(organizationCodes ?? [])].map(([key, id]) => ({ key, id })), ...[...live.organizations.values()].map((o) => ({ key: o.externalId, id: o.id }))],
    );
    this.records = new StateRecords(client, pageSize, records);
    this.users = new UserDirectory(live.users.values());
  }

  writeFeatureFlag(change: FeatureFlagChange): Promise<void> {
    return writeFeatureFlag(this.client, this.records, change);
  }

  writeOrganization(change: OrganizationChange): Promise<void> {
    return writeOrganization({ client: this.client, records: this.records, orgs: this.organizations, live: this.live.organizations }, change);
  }

  writeSettings(change: SettingsChange): Promise<void> {
    return writeSettings(this.client, this.records, change);
  }

  writeIdentity(change: IdentityChange): Promise<void> {
    // The planner only sees identities the config declares for a Kratos target; reaching here is a bug.
    return Promise.reject(new Error(`Kinde has no Kratos identities: cannot ${change.action} identity ${JSON.stringify(change.key)}`));
  }

  async writeUser(change: UserChange, spec: UserSpec | undefined): Promise<void> {
    if (change.action === 'create') await this.unfinished?.begin(change.key);
    await this.writeUserWith(change, spec?.password, spec);
    this.unfinished?.finished(change.key);
  }

  trackUserCreates(creates: readonly string[], updates: readonly string[]): void {
    this.unfinished = new UnfinishedUsers(this.records, this.live.unfinishedUsers, creates, updates);
  }

  async settle(): Promise<void> {
    await this.unfinished?.settle();
  }

  /**
   * The password and the identity details apart: without `details` (a user not in the config) idm infers the
   * provided id from the key and sends identities unverified (see write-user.ts).
   */
  writeUserWith(change: UserChange, password: PasswordSpec | undefined, details?: UserDetails): Promise<void> {
    return writeUser(
      { client: this.client, records: this.records, orgs: this.organizations, roles: this.roles, permissions: this.permissions, users: this.users },
      change,
      password,
      details,
    );
  }

  async createPermission(key: string, state: PermissionState): Promise<void> {
    const result = await this.client.call('POST', '/permissions', {
      body: { key, name: state.name, ...description(state.description, 'create') },
      alreadyDone: () => this.permissions.existsNow(key),
    });
    if (result.recovered) return; // the listing that found it recorded its id
    const id = createdId(result.body, 'permission');
    if (id) this.permissions.set(key, id);
    else this.permissions.createdWithoutId(key);
  }

  async updatePermission(key: string, state: PermissionState): Promise<void> {
    const [id] = await this.permissions.resolve([key]);
    await this.client.call('PATCH', `/permissions/${segment(id!)}`, {
      body: { key, name: state.name, ...description(state.description, 'update') },
    });
  }

  async deletePermission(key: string): Promise<void> {
    const [id] = await this.permissions.resolve([key]);
    await this.client.call('DELETE', `/permissions/${segment(id!)}`);
    this.permissions.forget(key);
  }

  async createRole(key: string, attributes: RoleAttributes): Promise<void> {
    const result = await this.client.call('POST', '/roles', {
      body: { key, name: attributes.name, ...description(attributes.description, 'create'), is_default_role: attributes.default },
      alreadyDone: () => this.roles.existsNow(key),
    });
    if (result.recovered) return;
    const id = createdId(result.body, 'role');
    if (id) this.roles.set(key, id);
    else this.roles.createdWithoutId(key);
  }

  async updateRole(key: string, attributes: RoleAttributes): Promise<void> {
    const [id] = await this.roles.resolve([key]);
    // Kinde requires name and key on every update, even when only another field changes.
    await this.client.call('PATCH', `/roles/${segment(id!)}`, {
      body: { name: attributes.name, key, ...description(attributes.description, 'update'), is_default_role: attributes.default },
    });
  }

  async changeRolePermissions(roleKey: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
    const [roleId] = await this.roles.resolve([roleKey]);
    // One lookup for both lists, so that unknown ids cost at most one shared listing.
    const ids = await this.permissions.lookup([...add, ...remove]);
    const missing = add.filter((_, i) => ids[i] === undefined);
    if (missing.length > 0) await this.permissions.resolve(missing); // throws, naming them
    const entries = [
      ...ids.slice(0, add.length).map((id) => ({ id: id! })),
      // A permission that no longer exists is on no role: removing it is already done.
      ...ids.slice(add.length).filter((id): id is string => id !== undefined).map((id) => ({ id, operation: 'delete' as const })),
    ];
    for (const chunk of chunks(entries, bulkLimit)) {
      await this.client.call('PATCH', `/roles/${segment(roleId!)}/permissions`, { body: { permissions: chunk } });
    }
  }

  async deleteRole(key: string): Promise<void> {
    const [id] = await this.roles.resolve([key]);
    await this.client.call('DELETE', `/roles/${segment(id!)}`);
    this.roles.forget(key);
  }
}
