/** `/api/v1/permissions`: list, create, update, delete. There is no get-by-id in the API. */
import { newId } from './ids.js';
import { bodyObject, optionalNonEmptyString, optionalString, requiredString } from './input.js';
import { stripPermission } from './memberships.js';
import { paginate, type SortOrder } from './pagination.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { findByKey, type PermissionRecord } from './tenant.js';

export const permissionOrders: Readonly<Record<string, SortOrder<PermissionRecord>>> = {
  name_asc: { value: (p) => p.name, descending: false },
  name_desc: { value: (p) => p.name, descending: true },
  id_asc: { value: (p) => p.id, descending: false },
  id_desc: { value: (p) => p.id, descending: true },
};

/** The `permissions` schema types description as a non-nullable string, so a permission without one omits it. */
export const permissionView = (p: PermissionRecord) => ({
  id: p.id,
  key: p.key,
  name: p.name,
  ...(p.description === null ? {} : { description: p.description }),
});

export function permissionById(context: ApiContext, id: string): PermissionRecord {
  const permission = context.tenant.permissions.get(id);
  if (!permission) throw badRequest('PERMISSION_NOT_FOUND', `No permission with id ${id}`);
  return permission;
}

function assertKeyFree(context: ApiContext, key: string, self?: PermissionRecord): void {
  const holder = findByKey(context.tenant.permissions, key);
  if (holder && holder !== self) throw badRequest('PERMISSION_ALREADY_EXISTS', `A permission with key ${key} already exists`);
}

export const permissionRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/permissions',
    scope: 'read:permissions',
    handle({ query }, context) {
      const page = paginate(context.tenant.permissions.values(), query, permissionOrders, context.pageSizeCap);
      return success(200, { permissions: page.items.map(permissionView), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/permissions',
    scope: 'create:permissions',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const key = requiredString(body, 'key');
      const name = requiredString(body, 'name');
      const description = optionalString(body, 'description') ?? null;
      assertKeyFree(context, key);
      const id = newId();
      context.tenant.permissions.set(id, { id, seq: context.tenant.nextSeq++, key, name, description });
      context.changed();
      // Faithful to the spec: the 201 carries the bare success envelope, no id. Clients list and match on key.
      return success(201);
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/permissions/{permission_id}',
    scope: 'update:permissions',
    handle({ params, body: raw }, context) {
      const permission = permissionById(context, params.permission_id!);
      const body = bodyObject(raw);
      const key = optionalNonEmptyString(body, 'key');
      const name = optionalNonEmptyString(body, 'name');
      const description = optionalString(body, 'description');
      if (key !== undefined) {
        assertKeyFree(context, key, permission);
        permission.key = key;
      }
      if (name !== undefined) permission.name = name;
      if (description !== undefined) permission.description = description;
      context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/permissions/{permission_id}',
    scope: 'delete:permissions',
    handle({ params }, context) {
      const permission = permissionById(context, params.permission_id!);
      context.tenant.permissions.delete(permission.id);
      for (const role of context.tenant.roles.values()) role.permissions.delete(permission.id);
      // Kinde's docs: the permission goes from every user who had it, directly or through a role.
      stripPermission(context.tenant, permission.id);
      context.changed();
      return success(200);
    },
  },
];
