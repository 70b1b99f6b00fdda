/**
 * What the core needs from a provider. Everything is in terms of stable keys; a provider keeps its own
 * key -> id maps (seeded from the Live it read) so that the planner and the apply engine never see ids.
 */
import type { Live } from '../model/live.js';
import type { Target } from '../model/target.js';
import type { FeatureFlagChange, IdentityChange, OrganizationChange, PermissionState, ReadScope, RoleState, SettingsChange, UserChange } from '../model/plan.js';
import type { IdentityRecordSpec, UserSpec } from '../model/desired.js';

/** A progress report for long reads and applies; the CLI shows it on stderr. */
export interface ProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total?: number;
}
export type Progress = (event: ProgressEvent) => void;

export type RoleAttributes = Omit<RoleState, 'permissions'>;

export interface Writer {
  createPermission(key: string, state: PermissionState): Promise<void>;
  updatePermission(key: string, state: PermissionState): Promise<void>;
  deletePermission(key: string): Promise<void>;
  createRole(key: string, attributes: RoleAttributes): Promise<void>;
  updateRole(key: string, attributes: RoleAttributes): Promise<void>;
  /** Adds and removes permissions (by key) on a role, created earlier in this run or already live. */
  changeRolePermissions(roleKey: string, add: readonly string[], remove: readonly string[]): Promise<void>;
  deleteRole(key: string): Promise<void>;
  /**
   * The writers below take the whole change: the provider maps its diff paths to the calls that make them, and after
   * a successful write records the fingerprint of every write-only value it wrote (see WriteOnlyDiff).
   */
  writeFeatureFlag(change: FeatureFlagChange): Promise<void>;
  writeOrganization(change: OrganizationChange): Promise<void>;
  writeSettings(change: SettingsChange): Promise<void>;
  /**
   * Creates, updates or deletes a user. `spec` is the user as the config declares it: it carries what the plan never
   * holds (the password hash) or does not show (provided id, verified flags, connection ids). Identities are added
   * before the ones they replace are deleted, so a user never loses their only way to sign in.
   */
  writeUser(change: UserChange, spec: UserSpec | undefined): Promise<void>;
  /**
   * Creates, updates or deletes a Kratos identity under Kratos's merge rules: an update never drops a credential the
   * change does not remove. `spec` carries the secrets (password hash, TOTP URL) the plan holds only as fingerprints.
   */
  writeIdentity(change: IdentityChange, spec: IdentityRecordSpec | undefined): Promise<void>;
  /**
   * Seed mode, before the apply starts: the keys of the users it will create and update, in the order it runs them.
   * A provider whose user create takes several calls records which are under way, so that the next plan finishes one
   * that was cut off (Live.unfinishedUsers). Absent: a create is one call, or the provider does not need to know.
   */
  trackUserCreates?(creates: readonly string[], updates: readonly string[]): void;
  /** After the apply, however it ended: the record of user creates keeps only those still unfinished. */
  settle?(): Promise<void>;
}

/** Who holds a tenant's apply lock, as recorded in the tenant (or beside the local target's state file). */
export interface LockHolder {
  /** `user@host pid N`: enough for a person to find the run. */
  readonly owner: string;
  /** ISO 8601. */
  readonly started: string;
  /** ISO 8601: after this the lock is stale and the next apply takes it over. */
  readonly expires: string;
}

/**
 * A lock `acquire` removed on its way: its holder's expiry passed, or the holder ran on this host and its process
 * has ended (killed, crashed), so no run is behind it.
 */
export interface ReplacedLock {
  readonly holder: LockHolder;
  readonly reason: 'expired' | 'ended';
}

/**
 * One apply at a time per tenant. `acquire` is atomic (the record is created, never read-then-written), so two
 * runs racing for it cannot both win.
 */
export interface TenantLock {
  acquire(
    owner: string,
    ttlMs: number,
  ): Promise<{ readonly acquired: true; readonly replaced?: ReplacedLock } | { readonly acquired: false; readonly holder: LockHolder }>;
  /** Releases the lock this process holds; a no-op when it holds none. */
  release(): Promise<void>;
  /** Who holds the lock now, without touching it (`idm unlock` shows it before asking). */
  holder(): Promise<LockHolder | null>;
  /** Removes whatever lock is there (`idm unlock`) and says whose it was. */
  forceRelease(): Promise<LockHolder | null>;
}

/** Counters a provider keeps for the run, reported by benchmarks and tests. */
export interface RequestStats {
  readonly requests: number;
  readonly retries: number;
  readonly rateLimited: number;
  readonly tokenRequests: number;
}

/** An organization idm cannot match: it has no external id (the default organization, orgs made in the admin UI). */
export interface UnmatchedOrganization {
  /** The provider's id (Kinde's org code). */
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
}

/** What `readAll` read: the tenant, and the organizations it could not key (left out of `live`). */
export interface TenantRead {
  readonly live: Live;
  readonly unmatched: readonly UnmatchedOrganization[];
}

export interface Provider {
  readonly target: Target;
  /** Reads what `scope` names (permissions and roles always). */
  read(scope: ReadScope, progress?: Progress): Promise<Live>;
  /**
   * For `idm export`, which cannot name organizations before it has seen them: lists the organizations first (when
   * `scopeFor([])` reads organizations or users), then reads `scopeFor(their external ids)`. Absent: the provider
   * cannot export.
   */
  readAll?(scopeFor: (organizations: readonly string[]) => ReadScope, progress?: Progress): Promise<TenantRead>;
  /** A writer that knows the ids in `live`, the state the plan being applied was computed from. */
  writer(live: Live): Writer;
  stats(): RequestStats;
  /** Absent when the provider has nowhere to keep a lock record (Kratos): apply then warns that runs are not serialised. */
  readonly lock?: TenantLock;
  close(): Promise<void>;
}
