/**
 * The planner: (desired, live) -> Plan. Pure: no I/O, no clock, no randomness, so the same inputs always give
 * the same plan. Objects are matched on their stable key only; a renamed key is a delete plus a create.
 */
import type { Desired, PermissionSpec, RoleSpec } from '../model/desired.js';
import type { Live, LivePermission, LiveRole } from '../model/live.js';
import type { Change, FieldDiff, PermissionChange, PermissionState, Plan, RoleChange, RoleState, Summary, Unmanaged } from '../model/plan.js';
import type { Target } from '../model/target.js';
import { normaliseText, scalarDiff, setDiff, wholeObjectDiff } from './diff.js';
import { fingerprint } from './fingerprint.js';

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedKeys = (keys: Iterable<string>): string[] => [...keys].sort(compareKeys);

/** The live object as the plan shows it, limited to the fields the config manages. */
function livePermissionState(live: LivePermission, managesDescription: boolean): PermissionState {
  return managesDescription ? { name: live.name, description: live.description } : { name: live.name };
}

function desiredPermissionState(spec: PermissionSpec): PermissionState {
  return spec.description === undefined ? { name: spec.name } : { name: spec.name, description: spec.description };
}

function liveRoleState(live: LiveRole, managesDescription: boolean): RoleState {
  const base = { name: live.name, default: live.isDefault, permissions: sortedKeys(live.permissions) };
  return managesDescription ? { name: base.name, description: live.description, default: base.default, permissions: base.permissions } : base;
}

function desiredRoleState(spec: RoleSpec): RoleState {
  const permissions = sortedKeys(spec.permissions);
  return spec.description === undefined
    ? { name: spec.name, default: spec.isDefault, permissions }
    : { name: spec.name, description: spec.description, default: spec.isDefault, permissions };
}

function descriptionDiff(spec: { description?: string }, live: { description: string | null }): FieldDiff[] {
  if (spec.description === undefined || normaliseText(spec.description) === normaliseText(live.description)) return [];
  return [{ path: 'description', before: live.description, after: spec.description }];
}

function planPermission(key: string, spec: PermissionSpec | undefined, live: LivePermission | undefined, prune: boolean): PermissionChange | Unmanaged | undefined {
  if (spec && !live) {
    const after = desiredPermissionState(spec);
    return { action: 'create', type: 'permission', key, before: null, after, diff: wholeObjectDiff({ ...after }, 'create') };
  }
  if (!spec && live) {
    if (!prune) return { type: 'permission', key };
    const before = livePermissionState(live, true);
    return { action: 'delete', type: 'permission', key, before, after: null, diff: [] };
  }
  if (!spec || !live) return undefined;
  const [first, ...rest] = [...scalarDiff('name', live.name, spec.name), ...descriptionDiff(spec, live)];
  if (!first) return undefined;
  const managesDescription = spec.description !== undefined;
  return {
    action: 'update', type: 'permission', key,
    before: livePermissionState(live, managesDescription), after: desiredPermissionState(spec), diff: [first, ...rest],
  };
}

function planRole(key: string, spec: RoleSpec | undefined, live: LiveRole | undefined, prune: boolean): RoleChange | Unmanaged | undefined {
  if (spec && !live) {
    const after = desiredRoleState(spec);
    return { action: 'create', type: 'role', key, before: null, after, diff: wholeObjectDiff({ ...after }, 'create') };
  }
  if (!spec && live) {
    if (!prune) return { type: 'role', key };
    return { action: 'delete', type: 'role', key, before: liveRoleState(live, true), after: null, diff: [] };
  }
  if (!spec || !live) return undefined;
  const [first, ...rest] = [
    ...scalarDiff('name', live.name, spec.name),
    ...descriptionDiff(spec, live),
    ...scalarDiff('default', live.isDefault, spec.isDefault),
    ...setDiff('permissions', live.permissions, spec.permissions),
  ];
  if (!first) return undefined;
  return {
    action: 'update', type: 'role', key,
    before: liveRoleState(live, spec.description !== undefined), after: desiredRoleState(spec), diff: [first, ...rest],
  };
}

const isChange = (x: Change | Unmanaged): x is Change => 'action' in x;

function collect<S, L>(
  desired: ReadonlyMap<string, S>,
  live: ReadonlyMap<string, L>,
  decide: (key: string, spec: S | undefined, live: L | undefined) => Change | Unmanaged | undefined,
): { changes: Change[]; unmanaged: Unmanaged[] } {
  const changes: Change[] = [];
  const unmanaged: Unmanaged[] = [];
  for (const key of sortedKeys(new Set([...desired.keys(), ...live.keys()]))) {
    const outcome = decide(key, desired.get(key), live.get(key));
    if (outcome === undefined) continue;
    if (isChange(outcome)) changes.push(outcome);
    else unmanaged.push(outcome);
  }
  return { changes, unmanaged };
}

function summarise(changes: readonly Change[]): Summary {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return { create: count('create'), update: count('update'), delete: count('delete'), replace: 0, manual: 0 };
}

export function plan(desired: Desired, live: Live, target: Target): Plan {
  const permissions = collect(desired.permissions, live.permissions, (key, spec, l) => planPermission(key, spec, l, desired.prune.permissions));
  const roles = collect(desired.roles, live.roles, (key, spec, l) => planRole(key, spec, l, desired.prune.roles));
  const all = [...permissions.changes, ...roles.changes];
  // Deletes are listed first so that nobody scrolls past one (design §2); roles before the permissions they hold.
  const deletes = [...roles.changes, ...permissions.changes].filter((c) => c.action === 'delete');
  const changes = [...deletes, ...all.filter((c) => c.action !== 'delete')];
  return {
    format_version: '1',
    target,
    summary: summarise(changes),
    changes,
    unmanaged: [...permissions.unmanaged, ...roles.unmanaged],
    live_fingerprint: fingerprint(live),
  };
}
