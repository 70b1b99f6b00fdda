/** A valid config -> the Desired model: maps in config order, defaults filled in. */
import type { Desired, PermissionSpec, RoleSpec } from '../model/desired.js';
import type { RawConfig } from './schema.js';

export function toDesired(config: RawConfig): Desired {
  const permissions = new Map<string, PermissionSpec>();
  for (const p of config.permissions ?? []) {
    permissions.set(p.key, { key: p.key, name: p.name, ...(p.description === undefined ? {} : { description: p.description }) });
  }
  const roles = new Map<string, RoleSpec>();
  for (const r of config.roles ?? []) {
    roles.set(r.key, {
      key: r.key,
      name: r.name,
      ...(r.description === undefined ? {} : { description: r.description }),
      isDefault: r.default ?? false,
      permissions: new Set(r.permissions ?? []),
    });
  }
  return {
    permissions,
    roles,
    prune: { permissions: config.prune?.permissions ?? false, roles: config.prune?.roles ?? false },
  };
}
