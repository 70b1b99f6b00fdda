/**
 * Reading the tenant into the Live model with as few requests as the API allows, and nothing the read scope does
 * not ask for: the permission and role lists (largest pages), then one listing per role of its permissions
 * (bounded concurrency); beside them, each independent read the scope names (flags, organizations, users, business,
 * environment, idm's state record), all started at once. No per-object GETs where a list carries the fields. One
 * org listing serves both the organizations and the users (whose memberships come as org codes).
 */
import { IdmError } from '../../errors.js';
import type { Live, LiveFeatureFlag, LiveOrganization, LivePermission, LiveRole, LiveSettings, LiveUser } from '../../model/live.js';
import type { FlatState, ReadScope } from '../../model/plan.js';
import { mapLimitAll } from '../../util/map-limit.js';
import type { Progress } from '../provider.js';
import { isRecord, unexpected, type KindeClient } from './client.js';
import { flagPaths, liveFlags, readEnvironmentFlags } from './read-feature-flags.js';
import { listOrganizations, readOrganizationDetails } from './read-organizations.js';
import { readBusiness, readEnvironmentPasskey, readTracking } from './read-settings.js';
import { readUsers } from './read-users.js';
import { readRecords, unfinishedUsersOf, writeOnlyOf, type RecordIndex } from './state-record.js';

export interface ReadOptions {
  readonly pageSize: number;
  readonly parallelism: number;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function identified(item: unknown, path: string, what: string): Record<string, unknown> & { id: string; key: string } {
  if (!isRecord(item) || typeof item.id !== 'string' || item.id === '' || typeof item.key !== 'string' || item.key === '') {
    throw unexpected('GET', path, 200, `a ${what} in the list has no id or key`);
  }
  return item as Record<string, unknown> & { id: string; key: string };
}

/** Keyed by key, in key order; the same object listed twice (pages shifting under a concurrent change) counts once. */
function byKey<T extends { id: string; key: string }>(items: readonly T[], what: string): Map<string, T> {
  const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const map = new Map<string, T>();
  for (const item of sorted) {
    const held = map.get(item.key);
    if (held && held.id !== item.id) {
      throw new IdmError(
        `Kinde has two ${what}s with the key "${item.key}" (ids ${held.id} and ${item.id})`,
        'DUPLICATE_KEY',
        `idm matches ${what}s on their key; rename or delete one of them in Kinde, then re-run`,
      );
    }
    map.set(item.key, item);
  }
  return map;
}

export const permissionOf = (item: unknown, path = '/permissions'): LivePermission => {
  const p = identified(item, path, 'permission');
  return { id: p.id, key: p.key, name: text(p.name) ?? '', description: text(p.description) };
};

export const roleOf = (item: unknown, path = '/roles'): Omit<LiveRole, 'permissions'> => {
  const r = identified(item, path, 'role');
  return { id: r.id, key: r.key, name: text(r.name) ?? '', description: text(r.description), isDefault: r.is_default_role === true };
};

/** Lists a collection, reporting items as pages arrive and `done === total` when it is complete. */
async function listed(client: KindeClient, path: string, field: string, options: ReadOptions, progress?: Progress): Promise<unknown[]> {
  const items = await client.list(path, field, options.pageSize, (done) => progress?.({ phase: field, done }));
  progress?.({ phase: field, done: items.length, total: items.length });
  return items;
}

async function readRoles(client: KindeClient, options: ReadOptions, progress?: Progress): Promise<Pick<Live, 'permissions' | 'roles'>> {
  const [permissionItems, roleItems] = await Promise.all([
    listed(client, '/permissions', 'permissions', options, progress),
    listed(client, '/roles', 'roles', options, progress),
  ]);
  const permissions = byKey(permissionItems.map((item) => permissionOf(item)), 'permission');
  const keyOfId = new Map([...permissions.values()].map((p) => [p.id, p.key]));
  const roleList = [...byKey(roleItems.map((item) => roleOf(item)), 'role').values()];

  const phase = 'role permissions';
  let done = 0;
  progress?.({ phase, done, total: roleList.length });
  const roles = await mapLimitAll(roleList, options.parallelism, async (role): Promise<LiveRole> => {
    const path = `/roles/${encodeURIComponent(role.id)}/permissions`;
    const granted = await client.list(path, 'permissions', options.pageSize);
    const keys = granted.map((item) => {
      // The list carries each permission's key; the id is the fallback should a server leave the key out.
      const key = isRecord(item) && typeof item.key === 'string' && item.key !== '' ? item.key : isRecord(item) ? keyOfId.get(String(item.id)) : undefined;
      if (key === undefined) throw unexpected('GET', path, 200, 'a permission of the role has no key idm can match');
      return key;
    });
    progress?.({ phase, done: ++done, total: roleList.length });
    return { ...role, permissions: new Set(keys.sort()) };
  });
  return { permissions, roles: new Map(roles.map((r) => [r.key, r])) };
}

export interface LiveRead {
  readonly live: Live;
  /** The state record's variables, for the writer; undefined when the scope did not ask for them. */
  readonly records: RecordIndex | undefined;
  /**
   * Org codes by external id, for the writer, whenever the org list was read: users alone need it read, yet leave
   * Live.organizations empty (orgs the config does not manage are not the plan's business).
   */
  readonly organizationCodes: ReadonlyMap<string, string> | undefined;
}

const none = <T>(): Promise<T | undefined> => Promise.resolve(undefined);

/** `listed`: the org list when the caller has read it already (export reads it first, to name every org in `scope`). */
export async function readLive(
  client: KindeClient, scope: ReadScope, options: ReadOptions, progress?: Progress, listed?: ReadonlyMap<string, LiveOrganization>,
): Promise<LiveRead> {
  const env = scope.environment;
  // One listing serves both the flags and the environment's values of them.
  const flags = scope.feature_flags || env.feature_flags ? readEnvironmentFlags(client) : none<never>();
  const orgList = scope.organizations || scope.users.list ? (listed ? Promise.resolve(listed) : listOrganizations(client, options, progress)) : undefined;
  const recordsRead = scope.write_only ? readRecords(client, options.pageSize) : none<RecordIndex>();
  const unfinishedMarks = recordsRead.then((r) => (r ? unfinishedUsersOf(r) : new Set<string>()));
  // Awaited only once the users are listed; a failed records read is reported through Promise.all below.
  unfinishedMarks.catch(() => undefined);
  const [base, flagMap, orgCodes, organizations, users, business, tracking, passkey, records] = await Promise.all([
    readRoles(client, options, progress),
    flags,
    orgList?.then((orgs) => new Map([...orgs.values()].map((o) => [o.externalId, o.id]))),
    scope.organizations && orgList
      ? orgList.then((orgs) => readOrganizationDetails(client, orgs, scope.organization_details, options, progress))
      : none<Map<string, LiveOrganization>>(),
    scope.users.list && orgList ? readUsers(client, scope.users, orgList, options, progress, unfinishedMarks) : none<Map<string, LiveUser>>(),
    scope.business ? readBusiness(client) : none<FlatState>(),
    env.details ? readTracking(client) : none<FlatState>(),
    env.passkey ? readEnvironmentPasskey(client) : none<FlatState>(),
    recordsRead,
  ]);
  const settings: { -readonly [K in keyof LiveSettings]: LiveSettings[K] } = {};
  if (business) settings.business = business;
  if (env.details || env.feature_flags || env.passkey) {
    settings.environment = { ...tracking, ...(env.feature_flags && flagMap ? flagPaths(flagMap) : {}), ...passkey };
  }
  const live: Live = {
    ...base,
    featureFlags: scope.feature_flags && flagMap ? liveFlags(flagMap) : new Map<string, LiveFeatureFlag>(),
    organizations: organizations ?? new Map(),
    users: users ?? new Map(),
    identities: new Map(),
    settings,
    writeOnly: records ? writeOnlyOf(records) : new Map(),
    unfinishedUsers: records ? unfinishedUsersOf(records) : new Set(),
  };
  return { live, records, organizationCodes: orgCodes };
}
