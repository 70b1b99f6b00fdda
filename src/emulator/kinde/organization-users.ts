/**
 * `/api/v1/organizations/{org_code}/users`: an organization's members. The bulk add (POST) and bulk update (PATCH)
 * take role and permission **keys**, at most 100 users a call (Kinde's documented bulk limit). Decisions where the
 * spec is silent:
 * - PATCH adds the roles and permissions it names to those a member has (it never takes any away: revoking is the
 *   per-user DELETE), adds a user who is not yet a member, and removes one with `operation: "delete"`.
 * - POST of a user who is already a member adds the grants it names, and does not list the user in `users_added`.
 * - Every entry of a bulk call is checked before anything changes, so a rejected call changes nothing.
 * - The list's `roles` and `permissions` filters take keys and must all match; permissions count whether granted
 *   directly or through a role. A key that names nothing matches no one.
 */
import { primaryOf, userById } from './identities.js';
import { bodyObject, optionalObjectArray, optionalString, optionalStringArray, type Body } from './input.js';
import { effectivePermissions, join, leave } from './memberships.js';
import { organizationByCode } from './organizations.js';
import { keysetPage, paginate, type SortOrder } from './pagination.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { findByKey, type MembershipRecord, type OrganizationRecord, type PermissionRecord, type RoleRecord } from './tenant.js';
import type { UserRecord } from './user-directory.js';

/** Kinde's docs: at most 100 objects per bulk POST or PATCH. */
export const bulkLimit = 100;

interface Member {
  readonly seq: number;
  readonly membership: MembershipRecord;
  readonly user: UserRecord;
}

const fullName = (u: UserRecord): string => [u.firstName, u.lastName].filter((n) => n !== null && n !== '').join(' ');

const memberOrders: Readonly<Record<string, SortOrder<Member>>> = {
  name_asc: { value: (m) => fullName(m.user), descending: false },
  name_desc: { value: (m) => fullName(m.user), descending: true },
  email_asc: { value: (m) => primaryOf(m.user, 'email')?.value.toLowerCase() ?? '', descending: false },
  email_desc: { value: (m) => primaryOf(m.user, 'email')?.value.toLowerCase() ?? '', descending: true },
};

/** Keys of the membership's roles, in the order the roles were created. */
export function roleKeys(context: ApiContext, membership: MembershipRecord): string[] {
  return [...membership.roles]
    .map((id) => context.tenant.roles.get(id))
    .filter((r): r is RoleRecord => r !== undefined)
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.key);
}

/** `organization_user`: `full_name` is a non-nullable string, so a user without names has none. */
function memberView(context: ApiContext, { membership, user }: Member) {
  const name = fullName(user);
  return {
    id: user.id,
    email: primaryOf(user, 'email')?.value ?? null,
    ...(name === '' ? {} : { full_name: name }),
    last_name: user.lastName,
    first_name: user.firstName,
    picture: user.picture,
    joined_on: membership.joinedOn,
    last_accessed_on: null,
    is_suspended: user.isSuspended,
    roles: roleKeys(context, membership),
  };
}

/** The org's members in joining order, walked lazily so that a page needs no copy of the whole list. */
function* membersOf(context: ApiContext, org: OrganizationRecord): Generator<Member> {
  for (const membership of org.members.values()) {
    const user = context.tenant.users.get(membership.userId);
    if (user) yield { seq: membership.seq, membership, user };
  }
}

const readKeys = (query: URLSearchParams, name: string): string[] => (query.get(name) ?? '').split(',').map((v) => v.trim()).filter(Boolean);

function memberFilter(context: ApiContext, query: URLSearchParams): ((m: Member) => boolean) | undefined {
  const roleKeysWanted = readKeys(query, 'roles');
  const permissionKeysWanted = readKeys(query, 'permissions');
  if (roleKeysWanted.length === 0 && permissionKeysWanted.length === 0) return undefined;
  const roleIds = roleKeysWanted.map((key) => findByKey(context.tenant.roles, key)?.id);
  const permissionIds = permissionKeysWanted.map((key) => findByKey(context.tenant.permissions, key)?.id);
  if ([...roleIds, ...permissionIds].includes(undefined)) return () => false;
  return ({ membership }) => {
    if (!roleIds.every((id) => membership.roles.has(id!))) return false;
    if (permissionIds.length === 0) return true;
    const granted = effectivePermissions(context.tenant, membership);
    return permissionIds.every((id) => granted.has(id!));
  };
}

interface BulkEntry {
  readonly user: UserRecord;
  readonly remove: boolean;
  readonly roles: readonly RoleRecord[];
  readonly permissions: readonly PermissionRecord[];
}

/** The `users` of a bulk call, every id, key and operation checked. */
function readBulk(context: ApiContext, raw: unknown, allowOperation: boolean): BulkEntry[] {
  const body = bodyObject(raw);
  const users = optionalObjectArray(body, 'users');
  if (users === undefined) throw badRequest('INVALID_REQUEST', 'users is required: an array of {id, roles?, permissions?}');
  if (users.length > bulkLimit) throw badRequest('TOO_MANY_USERS', `At most ${bulkLimit} users can be sent in one request; got ${users.length}`);
  return users.map((entry: Body, i) => {
    const id = optionalString(entry, 'id');
    if (!id) throw badRequest('INVALID_REQUEST', `users[${i}].id is required`);
    const operation = allowOperation ? optionalString(entry, 'operation') : undefined;
    if (operation !== undefined && operation !== 'delete') throw badRequest('INVALID_REQUEST', `users[${i}].operation must be "delete" or absent`);
    const roles = (optionalStringArray(entry, 'roles') ?? []).map((key) => {
      const role = findByKey(context.tenant.roles, key);
      if (!role) throw badRequest('ROLE_NOT_FOUND', `No role with key ${key}`);
      return role;
    });
    const permissions = (optionalStringArray(entry, 'permissions') ?? []).map((key) => {
      const permission = findByKey(context.tenant.permissions, key);
      if (!permission) throw badRequest('PERMISSION_NOT_FOUND', `No permission with key ${key}`);
      return permission;
    });
    return { user: userById(context, id), remove: operation === 'delete', roles, permissions };
  });
}

function grant(membership: MembershipRecord, entry: BulkEntry): boolean {
  const before = membership.roles.size + membership.permissions.size;
  for (const role of entry.roles) membership.roles.add(role.id);
  for (const permission of entry.permissions) membership.permissions.add(permission.id);
  return membership.roles.size + membership.permissions.size !== before;
}

export const organizationUserRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/organizations/{org_code}/users',
    scope: 'read:organization_users',
    handle({ params, query }, context) {
      const org = organizationByCode(context, params.org_code!);
      const keep = memberFilter(context, query);
      const sorted = Boolean(query.get('sort'));
      // Unsorted (joining order), a page costs its own size; a sort needs every member, filtered, in hand.
      const page = sorted
        ? paginate([...membersOf(context, org)].filter(keep ?? (() => true)), query, memberOrders, context.pageSizeCap)
        : keysetPage(membersOf(context, org), query, context.pageSizeCap, keep);
      return success(200, { organization_users: page.items.map((m) => memberView(context, m)), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/organizations/{org_code}/users',
    scope: 'create:organization_users',
    handle({ params, body }, context) {
      const org = organizationByCode(context, params.org_code!);
      const entries = readBulk(context, body, false);
      const added: string[] = [];
      for (const entry of entries) {
        const member = org.members.has(entry.user.id);
        grant(join(context.tenant, org, entry.user), entry);
        if (!member) added.push(entry.user.id);
      }
      if (entries.length > 0) context.changed();
      return success(200, { users_added: added });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organizations/{org_code}/users',
    scope: 'update:organization_users',
    handle({ params, body }, context) {
      const org = organizationByCode(context, params.org_code!);
      const entries = readBulk(context, body, true);
      const added: string[] = [];
      const updated: string[] = [];
      const removed: string[] = [];
      for (const entry of entries) {
        if (entry.remove) {
          if (leave(org, entry.user)) removed.push(entry.user.id);
          continue;
        }
        const member = org.members.has(entry.user.id);
        const changed = grant(join(context.tenant, org, entry.user), entry);
        if (!member) added.push(entry.user.id);
        else if (changed) updated.push(entry.user.id);
      }
      if (added.length + updated.length + removed.length > 0) context.changed();
      return success(200, { users_added: added, users_updated: updated, users_removed: removed });
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organizations/{org_code}/users/{user_id}',
    scope: 'delete:organization_users',
    handle({ params }, context) {
      const org = organizationByCode(context, params.org_code!);
      const user = userById(context, params.user_id!);
      // The membership's roles and permissions go with it.
      if (!leave(org, user)) throw badRequest('USER_NOT_IN_ORGANIZATION', `User ${user.id} is not a member of organization ${org.code}`);
      context.changed();
      return success(200);
    },
  },
];
