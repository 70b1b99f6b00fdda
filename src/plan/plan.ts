/**
 * The planner: (desired, live) -> Plan. Pure: no I/O, no clock, no randomness, so the same inputs always give
 * the same plan. Objects are matched on their stable key only; a renamed key is a delete plus a create.
 */
import type { Desired, IdentityRecordSpec, PermissionSpec, RoleSpec, UserSpec } from '../model/desired.js';
import { writeOnlyKey, type Live, type LiveIdentity, type LivePermission, type LiveRole, type LiveUser } from '../model/live.js';
import type {
  Change, FieldDiff, FlatState, IdentityChange, ManualChange, PermissionChange, PermissionState, Plan, ResourceType, RoleChange, RoleState,
  ScalarDiff, SettingsChange, Summary, Unmanaged, UserChange,
} from '../model/plan.js';
import { isSetDiff, isWriteOnlyDiff } from '../model/plan.js';
import type { Target } from '../model/target.js';
import { normaliseText, scalarDiff, setDiff, wholeObjectDiff } from './diff.js';
import { fingerprint, unfinishedMark } from './fingerprint.js';
import { flatDiff, managedPart } from './flat-diff.js';
import { flattenBusiness, flattenEnvironment, flattenFeatureFlag, flattenIdentity, flattenOrganization, flattenTracking, flattenUser } from './flatten.js';
import { readScope } from './scope.js';

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

type FlatType = 'feature_flag' | 'organization';
type FlatChange = Extract<Change, { type: FlatType }>;

/** Plans one flattened object; `live` carries the readable fields, `recorded` the write-only fingerprints. */
function planFlat(
  type: FlatType, key: string, desired: FlatState | undefined, live: FlatState | undefined, recorded: ReadonlyMap<string, string> | undefined, prune: boolean,
): FlatChange | Unmanaged | undefined {
  if (desired && !live) return { action: 'create', type, key, before: null, after: desired, diff: wholeObjectDiff({ ...desired }, 'create') } as FlatChange;
  if (!desired && live) return prune ? ({ action: 'delete', type, key, before: live, after: null, diff: [] } as FlatChange) : { type, key };
  if (!desired || !live) return undefined;
  const [first, ...rest] = flatDiff(desired, live, recorded);
  if (!first) return undefined;
  return { action: 'update', type, key, before: managedPart(live, desired), after: desired, diff: [first, ...rest] } as FlatChange;
}

const tracking = (path: string) => path.startsWith('tracking.');

function planSettings(type: 'business' | 'environment', desired: FlatState, live: FlatState, recorded: ReadonlyMap<string, string> | undefined): SettingsChange | undefined {
  const [first, ...rest] = flatDiff(desired, live, recorded);
  if (!first) return undefined;
  return { action: 'update', type, key: type, before: managedPart(live, desired), after: desired, diff: [first, ...rest] };
}

export const trackingInstructions =
  'Kinde has no API to set tracking IDs: set them in the Kinde admin UI under Settings > Environment > Details > Third-party analytics.';

/** Tracking IDs can be read but not written: a difference is a manual step, never a write. */
function planTracking(desired: FlatState, live: FlatState): ManualChange | undefined {
  const liveTracking = Object.fromEntries(Object.entries(live).filter(([path]) => tracking(path)));
  const diffs = flatDiff(desired, liveTracking, undefined).filter((d): d is ScalarDiff => !isSetDiff(d) && !isWriteOnlyDiff(d));
  const [first, ...rest] = diffs;
  if (!first) return undefined;
  return { action: 'manual', type: 'environment', key: 'tracking', before: managedPart(liveTracking, desired), after: desired, diff: [first, ...rest], instructions: trackingInstructions };
}

const primaryEmail = (u: UserSpec): string | undefined =>
  (u.identities.find((i) => i.type === 'email' && i.primary) ?? u.identities.find((i) => i.type === 'email'))?.value;

/**
 * Seed users: matched on provided id, then on primary email. In `seed` mode only missing users are created; in
 * `managed` mode users are also updated, and deleted when pruned. Users in the tenant but not in the config are
 * never listed as unmanaged: a tenant's real users are not the config's business.
 */
function planUsers(desired: Desired, live: Live): UserChange[] {
  const byProvidedId = new Map<string, LiveUser>();
  const byEmail = new Map<string, LiveUser>();
  for (const u of live.users.values()) {
    if (u.providedId) byProvidedId.set(u.providedId, u);
    if (u.email) byEmail.set(u.email, u);
  }
  const managed = desired.usersMode === 'managed';
  const matched = new Set<string>();
  const changes: UserChange[] = [];
  for (const key of sortedKeys(desired.users.keys())) {
    const spec = desired.users.get(key)!;
    const email = primaryEmail(spec);
    const found = (spec.id === undefined ? undefined : byProvidedId.get(spec.id)) ?? (email === undefined ? undefined : byEmail.get(email));
    if (!found) {
      const after = flattenUser(spec);
      changes.push({ action: 'create', type: 'user', key, before: null, after, diff: wholeObjectDiff({ ...after }, 'create') });
      continue;
    }
    matched.add(found.id);
    // A seed-mode user that exists is left as it is, unless its create was cut off: then it is finished.
    if (!managed && !live.unfinishedUsers.has(unfinishedMark(key))) continue;
    const after = flattenUser(spec);
    const [first, ...rest] = flatDiff(after, found.state, live.writeOnly.get(writeOnlyKey('user', key)));
    if (!first) continue;
    const update = { action: 'update', type: 'user', key, before: managedPart(found.state, after), after, diff: [first, ...rest] } as const;
    changes.push(managed ? update : { ...update, finishes_create: true });
  }
  if (managed && desired.prune.users) {
    for (const u of [...live.users.values()].sort((a, b) => compareKeys(a.id, b.id))) {
      if (matched.has(u.id)) continue;
      changes.push({ action: 'delete', type: 'user', key: u.providedId ?? u.email ?? u.id, before: u.state, after: null, diff: [] });
    }
  }
  return changes;
}

const withoutPath = (state: FlatState, path: string): FlatState => Object.fromEntries(Object.entries(state).filter(([p]) => p !== path));

/** Paths the config owns whole: a live leaf under them that the config does not declare is removed. */
function ownedPrefixes(spec: IdentityRecordSpec): string[] {
  return ['traits.', ...(spec.metadataPublic === undefined ? [] : ['metadata_public']), ...(spec.metadataAdmin === undefined ? [] : ['metadata_admin'])];
}

/**
 * Every identity field is readable (secrets as fingerprints), so unlike write-only fields an absent live path means
 * absent: it is compared as null (or an empty set of links). Traits and managed metadata are owned whole, as Kratos's
 * PUT replaces them whole: an undeclared live leaf is planned away.
 */
function identityDiff(spec: IdentityRecordSpec, desired: FlatState, live: FlatState): FieldDiff[] {
  const owned = ownedPrefixes(spec);
  const after: Record<string, FlatState[string]> = { ...desired };
  const noMetadata = (path: string) => (path === 'metadata_public' || path === 'metadata_admin') && (live[path] === 'null' || live[path] === '{}');
  for (const path of Object.keys(live).filter((p) => !noMetadata(p))) if (!(path in after) && owned.some((p) => path === p || path.startsWith(p.endsWith('.') ? p : `${p}.`))) after[path] = null;
  const before = Object.fromEntries(Object.keys(after).map((path) => [path, live[path] ?? (Array.isArray(after[path]) ? [] : null)]));
  return flatDiff(after, before, undefined);
}

/**
 * Kratos identities, matched on their match value (a trait or external_id; see IdentityMatch). Identities in the
 * tenant but not in the config are people, not configuration: never listed as unmanaged, deleted only when pruned.
 */
function planIdentities(desired: Desired, live: Live): IdentityChange[] {
  const byKey = new Map<string, LiveIdentity>();
  for (const i of live.identities.values()) if (i.key !== null) byKey.set(i.key, i);
  const changes: IdentityChange[] = [];
  for (const key of sortedKeys(desired.identities.keys())) {
    const spec = desired.identities.get(key)!;
    const after = flattenIdentity(spec);
    const found = byKey.get(key);
    if (!found) {
      changes.push({ action: 'create', type: 'identity', key, before: null, after, diff: wholeObjectDiff({ ...after }, 'create') });
      continue;
    }
    // An initial password is the identity's first one only: what the user (or Kratos, re-hashing it) made of it since is theirs.
    const compared = spec.credentials.password?.initial && found.state['credentials.password'] !== undefined ? withoutPath(after, 'credentials.password') : after;
    const [first, ...rest] = identityDiff(spec, compared, found.state);
    if (first) changes.push({ action: 'update', type: 'identity', key, before: managedPart(found.state, compared), after: compared, diff: [first, ...rest] });
  }
  if (desired.prune.identities) {
    for (const i of [...live.identities.values()].sort((a, b) => compareKeys(a.id, b.id))) {
      if (i.key !== null && desired.identities.has(i.key)) continue;
      changes.push({ action: 'delete', type: 'identity', key: i.key ?? i.id, before: i.state, after: null, diff: [] });
    }
  }
  return changes;
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
  return { create: count('create'), update: count('update'), delete: count('delete'), replace: 0, manual: count('manual') };
}

/** Display and dependency order of types: what others refer to comes first. */
const typeOrder: readonly ResourceType[] = ['permission', 'feature_flag', 'role', 'organization', 'user', 'identity', 'business', 'environment'];
/** Deletes run the other way round: referrers go first. */
const deleteOrder: readonly ResourceType[] = ['identity', 'user', 'organization', 'role', 'permission', 'feature_flag'];
const rank = (order: readonly ResourceType[], c: Change) => order.indexOf(c.type);

export function plan(desired: Desired, live: Live, target: Target): Plan {
  const recorded = (type: string, key: string) => live.writeOnly.get(writeOnlyKey(type, key));
  const flags = collect(
    new Map([...desired.featureFlags].map(([k, spec]) => [k, flattenFeatureFlag(spec)])),
    new Map([...live.featureFlags].map(([k, f]) => [k, f.state])),
    (key, d, l) => planFlat('feature_flag', key, d, l, recorded('feature_flag', key), desired.prune.feature_flags),
  );
  const organizations = collect(
    new Map([...desired.organizations].map(([k, spec]) => [k, flattenOrganization(spec)])),
    // The default organization is read but never deleted, whatever prune says.
    new Map([...live.organizations].filter(([, o]) => !o.isDefault || desired.organizations.has(o.externalId)).map(([k, o]) => [k, o.state])),
    (key, d, l) => planFlat('organization', key, d, l, recorded('organization', key), desired.prune.organizations),
  );
  const permissions = collect(desired.permissions, live.permissions, (key, spec, l) => planPermission(key, spec, l, desired.prune.permissions));
  const roles = collect(desired.roles, live.roles, (key, spec, l) => planRole(key, spec, l, desired.prune.roles));
  const settings: Change[] = [];
  if (desired.business) {
    const change = planSettings('business', flattenBusiness(desired.business), live.settings.business ?? {}, undefined);
    if (change) settings.push(change);
  }
  if (desired.environment) {
    const env = live.settings.environment ?? {};
    const change = planSettings('environment', flattenEnvironment(desired.environment), env, recorded('environment', 'environment'));
    if (change) settings.push(change);
    const manual = planTracking(flattenTracking(desired.environment), env);
    if (manual) settings.push(manual);
  }
  const all = [...permissions.changes, ...flags.changes, ...roles.changes, ...organizations.changes, ...planUsers(desired, live), ...planIdentities(desired, live)];
  // Deletes are listed first so that nobody scrolls past one (design §2), referrers before what they refer to.
  const deletes = all.filter((c) => c.action === 'delete').sort((a, b) => rank(deleteOrder, a) - rank(deleteOrder, b));
  const others = all.filter((c) => c.action !== 'delete').sort((a, b) => rank(typeOrder, a) - rank(typeOrder, b));
  const changes = [...deletes, ...others, ...settings];
  return {
    format_version: '1',
    target,
    read_scope: readScope(desired),
    summary: summarise(changes),
    changes,
    unmanaged: [...permissions.unmanaged, ...flags.unmanaged, ...roles.unmanaged, ...organizations.unmanaged],
    live_fingerprint: fingerprint(live),
  };
}
