/** `/api/v1/roles/{role_id}/permissions`: which permissions a role grants, addressed by permission id. */
import { bodyObject, optionalString } from './input.js';
import { paginate } from './pagination.js';
import { permissionById, permissionOrders, permissionView } from './permissions.js';
import { badRequest, success } from './replies.js';
import { roleById } from './roles.js';
import type { Route } from './routes.js';
import type { PermissionRecord } from './tenant.js';

interface PermissionChange {
  readonly id: string;
  readonly remove: boolean;
}

function readChanges(raw: unknown): PermissionChange[] {
  const permissions = bodyObject(raw).permissions;
  if (!Array.isArray(permissions)) throw badRequest('INVALID_REQUEST', 'permissions must be an array of {id, operation?}');
  return permissions.map((item: unknown, i) => {
    const entry = bodyObject(item);
    const id = optionalString(entry, 'id');
    if (id === undefined) throw badRequest('INVALID_REQUEST', `permissions[${i}].id is required`);
    const operation = optionalString(entry, 'operation');
    if (operation !== undefined && operation !== 'delete') {
      throw badRequest('INVALID_REQUEST', `permissions[${i}].operation must be "delete" or absent`);
    }
    return { id, remove: operation === 'delete' };
  });
}

export const rolePermissionRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/roles/{role_id}/permissions',
    scope: 'read:role_permissions',
    handle({ params, query }, context) {
      const role = roleById(context, params.role_id!);
      const granted = [...role.permissions].map((id) => context.tenant.permissions.get(id)).filter((p): p is PermissionRecord => p !== undefined);
      const page = paginate(granted, query, permissionOrders, context.pageSizeCap);
      return success(200, { permissions: page.items.map(permissionView), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/roles/{role_id}/permissions',
    scope: 'update:role_permissions',
    handle({ params, body }, context) {
      const role = roleById(context, params.role_id!);
      const changes = readChanges(body);
      // Every id is checked before anything changes, so a rejected request leaves the role as it was.
      for (const change of changes) permissionById(context, change.id);
      const added: string[] = [];
      const removed: string[] = [];
      for (const { id, remove } of changes) {
        if (remove && role.permissions.delete(id)) removed.push(id);
        if (!remove && !role.permissions.has(id)) {
          role.permissions.add(id);
          added.push(id);
        }
      }
      if (added.length + removed.length > 0) context.changed();
      return success(200, { permissions_added: added, permissions_removed: removed });
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/roles/{role_id}/permissions/{permission_id}',
    scope: 'delete:role_permissions',
    handle({ params }, context) {
      const role = roleById(context, params.role_id!);
      const permission = permissionById(context, params.permission_id!);
      // Removing a permission the role does not have is a no-op, as adding one it has is in PATCH.
      if (role.permissions.delete(permission.id)) context.changed();
      return success(200);
    },
  },
];
