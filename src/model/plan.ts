/**
 * A Plan is data first, text second: this type is exactly the JSON written by `idm plan --json/--out`
 * (schemas/plan.schema.json), so a saved plan loads back into the same type.
 */
import type { IdentityMatch } from './desired.js';
import type { Target } from './target.js';

export type ResourceType = 'permission' | 'role' | 'feature_flag' | 'organization' | 'business' | 'environment' | 'user' | 'identity';
export type Action = 'create' | 'update' | 'delete' | 'replace' | 'manual';

/** State of a permission as the plan shows it. `description` absent: not managed by the config. */
export interface PermissionState {
  readonly name: string;
  readonly description?: string | null;
}

/** State of a role as the plan shows it. `permissions` holds keys, sorted. */
export interface RoleState {
  readonly name: string;
  readonly description?: string | null;
  readonly default: boolean;
  readonly permissions: readonly string[];
}

export type Scalar = string | number | boolean | null;

/** A field whose value changes. `path` uses the config's field names. */
export interface ScalarDiff {
  readonly path: string;
  readonly before: Scalar;
  readonly after: Scalar;
}

/** A set-valued field (role permissions): compared as sets, shown as what is added and removed. */
export interface SetDiff {
  readonly path: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * A field the API accepts but never returns (Kinde's org `is_enforce_mfa`, MFA factors, flag names...). Its live
 * value is unknown; idm compares the desired value with a fingerprint of what it last wrote instead.
 * `unknown`: idm has never written it (first run); `changed`: the desired value differs from what idm last wrote.
 */
export interface WriteOnlyDiff {
  readonly path: string;
  readonly before: null;
  readonly after: Value;
  readonly write_only: 'unknown' | 'changed';
}

export type FieldDiff = ScalarDiff | SetDiff | WriteOnlyDiff;

export const isSetDiff = (d: FieldDiff): d is SetDiff => 'added' in d;
export const isWriteOnlyDiff = (d: FieldDiff): d is WriteOnlyDiff => 'write_only' in d;

export type Value = Scalar | readonly string[];
/** An object's fields flattened to the config's dotted paths, e.g. `policies.enforce_mfa`. */
export type FlatState = Readonly<Record<string, Value>>;

type NonEmpty<T> = readonly [T, ...T[]];

type ChangeOf<T extends ResourceType, S> =
  | { readonly action: 'create'; readonly type: T; readonly key: string; readonly before: null; readonly after: S; readonly diff: readonly FieldDiff[] }
  | { readonly action: 'update'; readonly type: T; readonly key: string; readonly before: S; readonly after: S; readonly diff: NonEmpty<FieldDiff> }
  | { readonly action: 'delete'; readonly type: T; readonly key: string; readonly before: S; readonly after: null; readonly diff: readonly [] };

export type PermissionChange = ChangeOf<'permission', PermissionState>;
export type RoleChange = ChangeOf<'role', RoleState>;
export type FeatureFlagChange = ChangeOf<'feature_flag', FlatState>;
export type OrganizationChange = ChangeOf<'organization', FlatState>;
/**
 * A seed user. Paths: first_name, last_name, suspended, identities (a set of `type:value`; a changed value is an
 * add of the new identity, then a delete of the old), primary.<type>, password.method / password.version /
 * password.temporary (never the hash), properties.<key>, feature_flags.<key>, organizations,
 * organizations.<external_id>.roles / .permissions.
 */
export type UserChange =
  | ChangeOf<'user', FlatState>
  // Seed mode: a user whose create an earlier apply began and did not finish (Live.unfinishedUsers).
  | (Extract<ChangeOf<'user', FlatState>, { action: 'update' }> & { readonly finishes_create: true });

export const finishesCreate = (c: Change): boolean => c.type === 'user' && 'finishes_create' in c;

/**
 * A Kratos identity. Paths: see LiveIdentity. credentials.password, .totp and .lookup_secret hold fingerprints and render
 * as (sensitive). A link removed from credentials.oidc / credentials.saml is destructive (see isDestructive).
 */
export type IdentityChange = ChangeOf<'identity', FlatState>;

/** Business and environment settings exist once per tenant: they are only ever updated. */
export interface SettingsChange {
  readonly action: 'update';
  readonly type: 'business' | 'environment';
  readonly key: 'business' | 'environment';
  readonly before: FlatState;
  readonly after: FlatState;
  readonly diff: NonEmpty<FieldDiff>;
}

/** A difference the API cannot fix (Kinde's tracking IDs are read-only): apply lists it with where to fix it by hand. */
export interface ManualChange {
  readonly action: 'manual';
  readonly type: 'environment';
  readonly key: 'tracking';
  readonly before: FlatState;
  readonly after: FlatState;
  readonly diff: NonEmpty<ScalarDiff>;
  /** Where in the admin UI to make the change. */
  readonly instructions: string;
}

export type Change = PermissionChange | RoleChange | FeatureFlagChange | OrganizationChange | UserChange | IdentityChange | SettingsChange | ManualChange;
/** Changes that apply writes (everything but manual steps). */
export type WritableChange = Exclude<Change, ManualChange>;

/** An object in the tenant that the config does not declare, left alone because its collection is not pruned. */
export interface Unmanaged {
  readonly type: ResourceType;
  readonly key: string;
}

export interface Summary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly manual: number;
}

/**
 * What a plan read from the tenant, derived from the config: only what the config manages is read (an org's flags
 * are fetched only if the config sets some). A saved plan carries it, so `apply plan.json` re-reads the same things
 * and can compare fingerprints.
 */
export interface ReadScope {
  readonly feature_flags: boolean;
  readonly organizations: boolean;
  /** Per org external id: which reads beyond the org list its managed fields need. */
  readonly organization_details: Readonly<Record<string, { readonly detail: boolean; readonly feature_flags: boolean; readonly passkey: boolean; readonly properties: boolean }>>;
  readonly business: boolean;
  readonly environment: { readonly details: boolean; readonly feature_flags: boolean; readonly passkey: boolean };
  /** Read idm's records: of write-only values, and of user creates left unfinished (Live.unfinishedUsers). */
  readonly write_only: boolean;
  readonly users: UserReadScope;
  /** Kratos: list identities (with credentials) and match them on this; null when the config has none. */
  readonly identities: { readonly match: IdentityMatch } | null;
}

/** What to read about users; all empty when the config has none. */
export interface UserReadScope {
  /** List users (with their organizations and identities). */
  readonly list: boolean;
  /** Org external ids whose member lists (with role keys) to read. */
  readonly member_orgs: readonly string[];
  /** Users to match before the detail reads below: key -> provided id and/or primary email. */
  readonly match: Readonly<Record<string, { readonly id?: string; readonly email?: string }>>;
  /** (user key, org external id) pairs whose direct permissions to read. */
  readonly permissions: readonly (readonly [string, string])[];
  /** User keys whose properties to read. */
  readonly properties: readonly string[];
}

export interface Plan {
  readonly format_version: '1';
  readonly target: Target;
  readonly read_scope: ReadScope;
  readonly summary: Summary;
  /** Deletes first, then creates and updates; within each, permissions before roles, then by key. */
  readonly changes: readonly Change[];
  readonly unmanaged: readonly Unmanaged[];
  /** sha256 of the live state the plan was computed from; `apply plan.json` refuses if it no longer matches. */
  readonly live_fingerprint: string;
}

/** Manual steps count as changes: `--detailed-exitcode` exits 2 while one is pending. */
export const hasChanges = (plan: Plan): boolean => plan.changes.length > 0;
export const isManual = (c: Change): c is ManualChange => c.action === 'manual';

/** Credential paths whose values are fingerprints of secrets: shown as (sensitive), never as the fingerprint. */
export const sensitivePaths: ReadonlySet<string> = new Set(['credentials.password', 'credentials.totp', 'credentials.lookup_secret']);

/**
 * Whether applying `c` destroys something: a delete, or an identity update that unlinks an oidc/saml credential
 * (Kratos's dedicated credential delete). `apply` needs --allow-delete for these.
 */
export const isDestructive = (c: Change): boolean =>
  c.action === 'delete' ||
  (c.type === 'identity' && c.action === 'update' && c.diff.some((d) => isSetDiff(d) && d.path.startsWith('credentials.') && d.removed.length > 0));
