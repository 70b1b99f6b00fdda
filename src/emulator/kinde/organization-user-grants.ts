/**
 * One member's roles and permissions in an organization: `/organizations/{org_code}/users/{user_id}/roles` and
 * `…/permissions`. Unlike the bulk member calls, these take **ids**. A role or permission can only be given to a
 * member. Adding one the member has, or removing one it lacks, changes nothing and succeeds.
 *
 * The spec declares no 400 for the GETs and POSTs here; the emulator still answers an unknown org, user, role or
 * permission, or a user who is not a member, with 400 `error_response`, as the sibling operations declare it.
 *
 * The permission list holds every permission the member has in the org, those that come with a role included;
 * `expand=roles` names, for each, the member's roles that grant it (none: granted directly only).
 */
import { userById } from './identities.js';
import { bodyObject, optionalString } from './input.js';
import { effectivePermissions, membershipOf } from './memberships.js';
import { organizationByCode } from './organizations.js';
import { permissionById } from './permissions.js';
import { badRequest, success } from './replies.js';
import { roleById } from './roles.js';
import type { ApiContext, ApiRequest, Route } from './routes.js';
import type { MembershipRecord, PermissionRecord, RoleRecord } from './tenant.js';

function memberOf(context: ApiContext, params: ApiRequest['params']): MembershipRecord {
  const org = organizationByCode(context, params.org_code!);
  return membershipOf(org, userById(context, params.user_id!));
}

function readId(raw: unknown, field: string): string {
  const id = optionalString(bodyObject(raw), field);
  if (!id) throw badRequest('INVALID_REQUEST', `${field} is required`);
  return id;
}

function readExpandRoles(query: URLSearchParams): boolean {
  const expand = query.get('expand');
  if (expand === null || expand === '') return false;
  if (expand !== 'roles') throw badRequest('INVALID_REQUEST', 'expand may only be "roles"');
  return true;
}

const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;

export const organizationUserGrantRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/roles',
    scope: 'read:organization_user_roles',
    handle({ params }, context) {
      const membership = memberOf(context, params);
      const roles = [...membership.roles]
        .map((id) => context.tenant.roles.get(id))
        .filter((r): r is RoleRecord => r !== undefined)
        .sort(bySeq)
        .map((r) => ({ id: r.id, key: r.key, name: r.name }));
      // The response may carry a next_token, but the operation takes no paging parameters: all roles fit one page.
      return success(200, { roles });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/roles',
    scope: 'create:organization_user_roles',
    handle({ params, body }, context) {
      const membership = memberOf(context, params);
      const role = roleById(context, readId(body, 'role_id'));
      if (!membership.roles.has(role.id)) {
        membership.roles.add(role.id);
        context.changed();
      }
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/roles/{role_id}',
    scope: 'delete:organization_user_roles',
    handle({ params }, context) {
      const membership = memberOf(context, params);
      const role = roleById(context, params.role_id!);
      if (membership.roles.delete(role.id)) context.changed();
      return success(200);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/permissions',
    scope: 'read:organization_user_permissions',
    handle({ params, query }, context) {
      const withRoles = readExpandRoles(query);
      const membership = memberOf(context, params);
      const granted = effectivePermissions(context.tenant, membership);
      const permissions = [...granted.keys()]
        .map((id) => context.tenant.permissions.get(id))
        .filter((p): p is PermissionRecord => p !== undefined)
        .sort(bySeq)
        .map((p) => ({
          id: p.id,
          key: p.key,
          name: p.name,
          // The schema's description is a non-nullable string.
          ...(p.description === null ? {} : { description: p.description }),
          ...(withRoles
            ? {
                roles: granted
                  .get(p.id)!
                  .map((id) => context.tenant.roles.get(id))
                  .filter((r): r is RoleRecord => r !== undefined)
                  .sort(bySeq)
                  .map((r) => ({ id: r.id, key: r.key })),
              }
            : {}),
        }));
      return success(200, { permissions });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/permissions',
    scope: 'create:organization_user_permissions',
    handle({ params, body }, context) {
      const membership = memberOf(context, params);
      const permission = permissionById(context, readId(body, 'permission_id'));
      if (!membership.permissions.has(permission.id)) {
        membership.permissions.add(permission.id);
        context.changed();
      }
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organizations/{org_code}/users/{user_id}/permissions/{permission_id}',
    scope: 'delete:organization_user_permissions',
    handle({ params }, context) {
      const membership = memberOf(context, params);
      const permission = permissionById(context, params.permission_id!);
      // Only a direct grant can be taken away here: one that comes with a role stays until the role goes.
      if (membership.permissions.delete(permission.id)) context.changed();
      return success(200);
    },
  },
];
