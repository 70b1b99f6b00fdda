/**
 * Users, read in bulk: the user list (largest pages, with `expand=organizations,identities`) carries names,
 * suspension, identities, the primary email, username and phone, and memberships, so a `seed` plan costs one request
 * per 500 users and nothing per user. What the list lacks is read only for what the scope names (see
 * src/plan/scope.ts): roles per org from the org's member list (one listing serves every member), direct permissions
 * per (user, org) pair, and property values per user; those per-user reads run with bounded concurrency.
 *
 * States use the planner's vocabulary (src/plan/flatten.ts). Every readable path is present (null or [] when unset),
 * since a path missing from a live state means "cannot be read" to the planner.
 */
import type { LiveOrganization, LiveUser } from '../../model/live.js';
import type { UserReadScope, Value } from '../../model/plan.js';
import { unfinishedMark } from '../../plan/fingerprint.js';
import { mapLimitAll } from '../../util/map-limit.js';
import type { Progress } from '../provider.js';
import { isRecord, unexpected, type KindeClient } from './client.js';
import { propertyPaths } from './read-organizations.js';
import { optionalText } from './values.js';

export interface UserReadOptions {
  readonly pageSize: number;
  readonly parallelism: number;
}

const segment = encodeURIComponent;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Identity types idm manages: those a config can declare. Others (passkeys, say) are the user's own business and
 * stay out of the state, so that a plan never deletes them.
 */
export const isManagedIdentityType = (type: string): boolean =>
  type === 'email' || type === 'phone' || type === 'username' || type === 'enterprise' || type.startsWith('oauth2:');

/** Kinde compares emails and usernames case-insensitively, and so does the config (it lower-cases them). */
export const identityValue = (type: string, value: string): string => (type === 'email' || type === 'username' ? value.toLowerCase() : value);

/** Primary identities Kinde reports at the top level of a user; the primary of any other type cannot be read. */
export const readablePrimaryTypes = ['email', 'username', 'phone'] as const;

const lowerText = (value: unknown): string | null => {
  const text = optionalText(value);
  return text === null ? null : text.toLowerCase();
};

/** A user as the read builds it: the LiveUser it returns (its state filled in as reads complete), and its orgs. */
interface Listed {
  readonly live: LiveUser & { readonly state: Record<string, Value> };
  /** The codes of the orgs the user belongs to, as listed; see `withOrganizations`. */
  readonly orgCodes: readonly string[];
  /** External ids of the orgs the user belongs to (orgs without one are left out), once the org list is in. */
  orgs: ReadonlySet<string>;
}

const noOrgs: ReadonlySet<string> = new Set();

/** A user of the list, as its page arrives: the page's JSON is not kept. Its memberships wait for the org list. */
function listedUser(item: unknown): Listed {
  if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') throw unexpected('GET', '/users', 200, 'a user in the list has no id');
  const identities = new Set<string>();
  const byType = new Map<string, string[]>();
  for (const identity of Array.isArray(item.identities) ? item.identities : []) {
    if (!isRecord(identity) || typeof identity.type !== 'string' || typeof identity.identity !== 'string') continue;
    if (!isManagedIdentityType(identity.type)) continue;
    const value = identityValue(identity.type, identity.identity);
    identities.add(`${identity.type}:${value}`);
    byType.set(identity.type, [...(byType.get(identity.type) ?? []), value]);
  }
  const orgCodes = (Array.isArray(item.organizations) ? item.organizations : []).filter((code): code is string => typeof code === 'string');
  const email = lowerText(item.email);
  const state: Record<string, Value> = {
    first_name: optionalText(item.first_name),
    last_name: optionalText(item.last_name),
    suspended: item.is_suspended === true,
    identities: [...identities].sort(byText),
    'primary.email': email,
    'primary.username': lowerText(item.username),
    'primary.phone': optionalText(item.phone),
  };
  // The primary of a social or enterprise type is not in the list; the only identity of its type is its primary,
  // though, which covers nearly everyone without a read per user. Of several, which is primary stays unknown (absent).
  for (const [type, values] of byType) {
    if (!(readablePrimaryTypes as readonly string[]).includes(type) && values.length === 1) state[`primary.${type}`] = values[0]!;
  }
  return { live: { id: item.id, providedId: optionalText(item.provided_id), email, state }, orgCodes, orgs: noOrgs };
}

/** Names the user's memberships by external id, which the config uses. */
function withOrganizations(user: Listed, externalIdOf: ReadonlyMap<string, string>): void {
  const orgs = new Set<string>();
  for (const code of user.orgCodes) {
    const externalId = externalIdOf.get(code);
    if (externalId !== undefined) orgs.add(externalId);
  }
  user.orgs = orgs;
  user.live.state.organizations = [...orgs].sort(byText);
}

/** Role keys by user id, from an org's member list. */
async function membersOf(client: KindeClient, code: string, pageSize: number): Promise<Map<string, string[]>> {
  const path = `/organizations/${segment(code)}/users`;
  const members = new Map<string, string[]>();
  for (const item of await client.list(path, 'organization_users', pageSize)) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') throw unexpected('GET', path, 200, 'a member of the organization has no id');
    const roles = Array.isArray(item.roles) ? item.roles.filter((r): r is string => typeof r === 'string' && r !== '') : [];
    members.set(item.id, [...new Set(roles)].sort(byText));
  }
  return members;
}

/**
 * The permissions granted to a user in an org directly. The listing holds every permission the user has there,
 * those that come with a role included; `expand=roles` names the roles each one comes with, so only those that come
 * with none are direct. (One granted both directly and by a role looks like the role's alone: the API tells them
 * apart no further.)
 */
async function directPermissionsOf(client: KindeClient, code: string, userId: string): Promise<string[]> {
  const path = `/organizations/${segment(code)}/users/${segment(userId)}/permissions`;
  const body = await client.object('GET', path, { query: { expand: 'roles' } });
  const items = body.permissions ?? [];
  if (!Array.isArray(items)) throw unexpected('GET', path, 200, '"permissions" is not an array');
  const keys = new Set<string>();
  for (const item of items) {
    if (!isRecord(item) || typeof item.key !== 'string' || item.key === '') throw unexpected('GET', path, 200, 'a permission of the user has no key');
    const roles = Array.isArray(item.roles) ? item.roles : [];
    if (roles.length === 0) keys.add(item.key);
  }
  return [...keys].sort(byText);
}

/** The role keys of one member of an org (`GET /organizations/{code}/users/{id}/roles`). */
async function memberRolesOf(client: KindeClient, code: string, userId: string): Promise<string[]> {
  const path = `/organizations/${segment(code)}/users/${segment(userId)}/roles`;
  const body = await client.object('GET', path);
  const items = body.roles ?? [];
  if (!Array.isArray(items)) throw unexpected('GET', path, 200, '"roles" is not an array');
  const keys = items.map((item) => {
    if (!isRecord(item) || typeof item.key !== 'string' || item.key === '') throw unexpected('GET', path, 200, 'a role of the member has no key');
    return item.key;
  });
  return [...new Set(keys)].sort(byText);
}

/** Whether an earlier apply's record marks this user's create as maybe unfinished (the key is its provided id or email). */
const isMarked = (user: LiveUser, marks: ReadonlySet<string>): boolean =>
  (user.providedId !== null && marks.has(unfinishedMark(user.providedId))) || (user.email !== null && marks.has(unfinishedMark(user.email)));

async function userPropertiesOf(client: KindeClient, userId: string): Promise<Record<string, Value>> {
  const path = `/users/${segment(userId)}/properties`;
  return propertyPaths(await client.listUnpaged(path, 'properties'), path);
}

/**
 * The user a config key names: by provided id, then by primary email, as the planner matches them. The indexes are
 * built on the first call: a seed-mode read never makes one.
 */
function matcher(users: Iterable<Listed>, match: UserReadScope['match']): (key: string) => Listed | undefined {
  const byProvidedId = new Map<string, Listed>();
  const byEmail = new Map<string, Listed>();
  let indexed = false;
  return (key) => {
    if (!indexed) {
      for (const u of users) {
        if (u.live.providedId !== null) byProvidedId.set(u.live.providedId, u);
        if (u.live.email !== null) byEmail.set(u.live.email, u);
      }
      indexed = true;
    }
    const want = match[key];
    if (!want) return undefined;
    return (want.id === undefined ? undefined : byProvidedId.get(want.id)) ?? (want.email === undefined ? undefined : byEmail.get(want.email.toLowerCase()));
  };
}

type Task = () => Promise<void>;

/**
 * Every user in the tenant, by Kinde id. `orgs` is the org list (by external id), which the user list needs to name
 * memberships by external id; it is awaited only once the user list is in, so the two listings run side by side.
 */
export async function readUsers(
  client: KindeClient,
  scope: UserReadScope,
  orgs: Promise<ReadonlyMap<string, LiveOrganization>>,
  options: UserReadOptions,
  progress?: Progress,
  /**
   * The marks of user creates an earlier apply left unfinished (Live.unfinishedUsers): the planner compares those
   * users in full, so their roles are read even where the scope reads no member lists (seed mode). Only after a
   * crash is there any.
   */
  unfinished: Promise<ReadonlySet<string>> = Promise.resolve(new Set()),
): Promise<Map<string, LiveUser>> {
  const listed = await client.listMapped('/users', 'users', options.pageSize, listedUser, (done) => progress?.({ phase: 'users', done }), { expand: 'organizations,identities' });
  progress?.({ phase: 'users', done: listed.length, total: listed.length });
  const orgMap = await orgs;
  const externalIdOf = new Map([...orgMap.values()].map((o) => [o.id, o.externalId]));
  const users = new Map<string, Listed>();
  for (const user of listed) {
    withOrganizations(user, externalIdOf);
    // The same user listed twice (pages shifting under a concurrent change) counts once.
    users.set(user.live.id, user);
  }

  const tasks: Task[] = [];
  // Every user gets the roles path of every org whose members are read: a user who is not a member has no roles there.
  const memberOrgs = [...new Set(scope.member_orgs)].sort(byText);
  for (const user of users.values()) for (const ext of memberOrgs) user.live.state[`organizations.${ext}.roles`] = [];
  for (const ext of memberOrgs) {
    const org = orgMap.get(ext);
    if (!org) continue; // not created yet: nobody is a member
    tasks.push(async () => {
      for (const [id, roles] of await membersOf(client, org.id, options.pageSize)) {
        const user = users.get(id);
        if (user) user.live.state[`organizations.${ext}.roles`] = roles;
      }
    });
  }

  const find = matcher(users.values(), scope.match);
  const pairs = new Set<string>();
  for (const [key, ext] of scope.permissions) {
    const user = find(key);
    if (!user || pairs.has(`${user.live.id}\n${ext}`)) continue;
    pairs.add(`${user.live.id}\n${ext}`);
    const path = `organizations.${ext}.permissions`;
    const org = orgMap.get(ext);
    // Not a member (the list says so), or no such org yet: no permissions there, and nothing to ask.
    if (!org || !user.orgs.has(ext)) {
      user.live.state[path] = [];
      continue;
    }
    tasks.push(async () => {
      user.live.state[path] = await directPermissionsOf(client, org.id, user.live.id);
    });
  }
  const marks = await unfinished;
  if (marks.size > 0) {
    for (const user of users.values()) {
      if (!isMarked(user.live, marks)) continue;
      for (const ext of user.orgs) {
        const org = orgMap.get(ext);
        if (!org || `organizations.${ext}.roles` in user.live.state) continue;
        tasks.push(async () => {
          user.live.state[`organizations.${ext}.roles`] = await memberRolesOf(client, org.id, user.live.id);
        });
      }
    }
  }
  const withProperties = new Set<string>();
  for (const key of scope.properties) {
    const user = find(key);
    if (!user || withProperties.has(user.live.id)) continue;
    withProperties.add(user.live.id);
    tasks.push(async () => {
      Object.assign(user.live.state, await userPropertiesOf(client, user.live.id));
    });
  }

  if (tasks.length > 0) {
    const phase = 'user details';
    let done = 0;
    progress?.({ phase, done, total: tasks.length });
    await mapLimitAll(tasks, options.parallelism, async (task) => {
      await task();
      progress?.({ phase, done: ++done, total: tasks.length });
    });
  }
  const live = new Map<string, LiveUser>();
  for (const [id, user] of users) live.set(id, user.live);
  return live;
}
