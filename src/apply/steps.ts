/**
 * Turns a Plan into the writes that carry it out, grouped in phases by dependency: permissions exist before
 * roles refer to them, roles exist before their permissions are set, and nothing is deleted while it is
 * still referenced.
 */
import type { Change, RoleState, SettingsChange } from '../model/plan.js';
import { isSetDiff } from '../model/plan.js';
import type { RoleAttributes, Writer } from '../providers/provider.js';
import type { IdentityRecordSpec, UserSpec } from '../model/desired.js';

export const phases = [
  'permissions', 'feature flags', 'roles', 'role permissions', 'organizations', 'users', 'identities', 'settings',
  'identity deletes', 'user deletes', 'organization deletes', 'role deletes', 'permission deletes', 'feature flag deletes',
] as const;

/** Looks up a user as the config declares it: plans never carry password hashes or identity details. */
export type UserLookup = (userKey: string) => UserSpec | undefined;
/** The same for Kratos identities, whose password hashes and TOTP URLs plans hold only as fingerprints. */
export type IdentityLookup = (identityKey: string) => IdentityRecordSpec | undefined;
export type Phase = (typeof phases)[number];

export interface Step {
  readonly phase: Phase;
  /** What a person reads in the apply report, e.g. `create role "admin"`. */
  readonly description: string;
  readonly run: (writer: Writer) => Promise<void>;
}

const attributes = (state: RoleState): RoleAttributes => {
  const { permissions: _, ...rest } = state;
  return rest;
};

const isSettings = (c: Change): c is SettingsChange => c.type === 'business' || c.type === 'environment';

function stepsFor(change: Change, users: UserLookup, identities: IdentityLookup): Step[] {
  const label = change.type === change.key ? change.type : `${change.type} ${JSON.stringify(change.key)}`;
  const key = change.key;
  // Manual steps are the user's to take; apply lists them at the end.
  if (change.action === 'manual') return [];
  if (isSettings(change)) {
    return [{ phase: 'settings', description: `update ${label}`, run: (w) => w.writeSettings(change) }];
  }
  if (change.type === 'feature_flag') {
    return [{ phase: change.action === 'delete' ? 'feature flag deletes' : 'feature flags', description: `${change.action} ${label}`, run: (w) => w.writeFeatureFlag(change) }];
  }
  if (change.type === 'user') {
    const note = change.action === 'delete' ? ' (irreversible)' : '';
    return [{ phase: change.action === 'delete' ? 'user deletes' : 'users', description: `${change.action} ${label}${note}`, run: (w) => w.writeUser(change, users(key)) }];
  }
  if (change.type === 'identity') {
    return [{ phase: change.action === 'delete' ? 'identity deletes' : 'identities', description: `${change.action} ${label}`, run: (w) => w.writeIdentity(change, identities(key)) }];
  }
  if (change.type === 'organization') {
    return [{ phase: change.action === 'delete' ? 'organization deletes' : 'organizations', description: `${change.action} ${label}`, run: (w) => w.writeOrganization(change) }];
  }
  if (change.type === 'permission') {
    switch (change.action) {
      case 'create':
        return [{ phase: 'permissions', description: `create ${label}`, run: (w) => w.createPermission(key, change.after) }];
      case 'update':
        return [{ phase: 'permissions', description: `update ${label}`, run: (w) => w.updatePermission(key, change.after) }];
      case 'delete':
        return [{ phase: 'permission deletes', description: `delete ${label}`, run: (w) => w.deletePermission(key) }];
    }
  }
  return roleSteps(change, label);
}

function roleSteps(change: Extract<Change, { type: 'role' }>, label: string): Step[] {
  const key = change.key;
  switch (change.action) {
    case 'create': {
      const steps: Step[] = [{ phase: 'roles', description: `create ${label}`, run: (w) => w.createRole(key, attributes(change.after)) }];
      const add = change.after.permissions;
      if (add.length > 0) steps.push({ phase: 'role permissions', description: `add ${add.length} permissions to ${label}`, run: (w) => w.changeRolePermissions(key, add, []) });
      return steps;
    }
    case 'update': {
      const steps: Step[] = [];
      const sets = change.diff.filter(isSetDiff);
      const after = attributes(change.after);
      if (sets.length < change.diff.length) steps.push({ phase: 'roles', description: `update ${label}`, run: (w) => w.updateRole(key, after) });
      for (const d of sets) {
        steps.push({
          phase: 'role permissions',
          description: `change permissions of ${label} (+${d.added.length} -${d.removed.length})`,
          run: (w) => w.changeRolePermissions(key, d.added, d.removed),
        });
      }
      return steps;
    }
    case 'delete':
      return [{ phase: 'role deletes', description: `delete ${label}`, run: (w) => w.deleteRole(key) }];
  }
}

/** The plan's steps, phase by phase. */
export function stepsOf(changes: readonly Change[], users: UserLookup = () => undefined, identities: IdentityLookup = () => undefined): Step[][] {
  const all = changes.flatMap((c) => stepsFor(c, users, identities));
  return phases.map((phase) => all.filter((s) => s.phase === phase)).filter((group) => group.length > 0);
}
