/** `/api/v1/roles` and `/api/v1/roles/{role_id}`: list, create, get, update, delete. */
import { newId } from './ids.js';
import { bodyObject, optionalBoolean, optionalString, requiredString, type Body } from './input.js';
import { stripRole } from './memberships.js';
import { paginate, type SortOrder } from './pagination.js';
import { permissionById } from './permissions.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { findByKey, type RoleRecord } from './tenant.js';

const roleOrders: Readonly<Record<string, SortOrder<RoleRecord>>> = {
  name_asc: { value: (r) => r.name, descending: false },
  name_desc: { value: (r) => r.name, descending: true },
  key_asc: { value: (r) => r.key, descending: false },
  key_desc: { value: (r) => r.key, descending: true },
};

export function roleById(context: ApiContext, id: string): RoleRecord {
  const role = context.tenant.roles.get(id);
  if (!role) throw badRequest('ROLE_NOT_FOUND', `No role with id ${id}`);
  return role;
}

function assertKeyFree(context: ApiContext, key: string, self?: RoleRecord): void {
  const holder = findByKey(context.tenant.roles, key);
  if (holder && holder !== self) throw badRequest('ROLE_ALREADY_EXISTS', `A role with key ${key} already exists`);
}

/**
 * The emulator keeps no assignment permission (no read endpoint returns it) but checks it as Kinde would.
 * On update, null means "no change" and `NO_PERMISSION_REQUIRED` clears it (the spec's wording).
 */
function checkAssignmentPermission(context: ApiContext, body: Body): void {
  const id = optionalString(body, 'assignment_permission_id');
  if (id !== undefined && id !== 'NO_PERMISSION_REQUIRED') permissionById(context, id);
}

export const roleRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/roles',
    scope: 'read:roles',
    handle({ query }, context) {
      const page = paginate(context.tenant.roles.values(), query, roleOrders, context.pageSizeCap);
      // In the list, the `roles` schema declares description nullable, so a role without one shows null.
      const roles = page.items.map((r) => ({ id: r.id, key: r.key, name: r.name, description: r.description, is_default_role: r.isDefault }));
      return success(200, { roles, ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/roles',
    scope: 'create:roles',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const key = requiredString(body, 'key');
      const name = requiredString(body, 'name');
      const description = optionalString(body, 'description') ?? null;
      const isDefault = optionalBoolean(body, 'is_default_role') ?? false;
      checkAssignmentPermission(context, body);
      assertKeyFree(context, key);
      const id = newId();
      context.tenant.roles.set(id, { id, seq: context.tenant.nextSeq++, key, name, description, isDefault, permissions: new Set() });
      context.changed();
      return success(201, { role: { id } });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/roles/{role_id}',
    scope: 'read:roles',
    handle({ params }, context) {
      const r = roleById(context, params.role_id!);
      // Unlike the list, get_role_response types description as a non-nullable string: omit it when there is none.
      const role = { id: r.id, key: r.key, name: r.name, ...(r.description === null ? {} : { description: r.description }), is_default_role: r.isDefault };
      return success(200, { role });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/roles/{role_id}',
    scope: 'update:roles',
    handle({ params, body: raw }, context) {
      const role = roleById(context, params.role_id!);
      const body = bodyObject(raw);
      // Kinde's quirk: an update must restate both name and key, even to change only the description.
      const key = requiredString(body, 'key');
      const name = requiredString(body, 'name');
      const description = optionalString(body, 'description');
      const isDefault = optionalBoolean(body, 'is_default_role');
      checkAssignmentPermission(context, body);
      assertKeyFree(context, key, role);
      role.key = key;
      role.name = name;
      if (description !== undefined) role.description = description;
      if (isDefault !== undefined) role.isDefault = isDefault;
      context.changed();
      // Another quirk: an update answers 201, not 200.
      return success(201);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/roles/{role_id}',
    scope: 'delete:roles',
    handle({ params }, context) {
      const role = roleById(context, params.role_id!);
      context.tenant.roles.delete(role.id);
      // Kinde's docs: deleting a role is irreversible and strips it from every user who had it.
      stripRole(context.tenant, role.id);
      context.changed();
      return success(200);
    },
  },
];
