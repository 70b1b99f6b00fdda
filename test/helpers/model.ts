/** Compact builders for Desired and Live values in tests. */
import type { Desired, PermissionSpec, RoleSpec } from '../../src/model/desired.js';
import type { Live, LivePermission, LiveRole } from '../../src/model/live.js';
import type { Target } from '../../src/model/target.js';

export const target: Target = { provider: 'kinde', url: 'https://acme.kinde.com', local: false };

type PermIn = Omit<PermissionSpec, 'description'> & { description?: string };
type RoleIn = { key: string; name: string; description?: string; isDefault?: boolean; permissions?: string[] };

export function desired(
  spec: { permissions?: PermIn[]; roles?: RoleIn[]; prune?: Partial<Desired['prune']> } = {},
): Desired {
  return {
    permissions: new Map((spec.permissions ?? []).map((p) => [p.key, p])),
    roles: new Map(
      (spec.roles ?? []).map((r): [string, RoleSpec] => [
        r.key,
        { key: r.key, name: r.name, ...(r.description === undefined ? {} : { description: r.description }), isDefault: r.isDefault ?? false, permissions: new Set(r.permissions ?? []) },
      ]),
    ),
    prune: { permissions: false, roles: false, ...spec.prune },
  };
}

type LivePermIn = { key: string; name: string; description?: string | null; id?: string };
type LiveRoleIn = { key: string; name: string; description?: string | null; isDefault?: boolean; permissions?: string[]; id?: string };

export function live(spec: { permissions?: LivePermIn[]; roles?: LiveRoleIn[] } = {}): Live {
  return {
    permissions: new Map(
      (spec.permissions ?? []).map((p): [string, LivePermission] => [p.key, { id: p.id ?? `perm_${p.key}`, key: p.key, name: p.name, description: p.description ?? null }]),
    ),
    roles: new Map(
      (spec.roles ?? []).map((r): [string, LiveRole] => [
        r.key,
        { id: r.id ?? `role_${r.key}`, key: r.key, name: r.name, description: r.description ?? null, isDefault: r.isDefault ?? false, permissions: new Set(r.permissions ?? []) },
      ]),
    ),
  };
}
