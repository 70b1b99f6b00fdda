/**
 * The desired state: what the configuration (YAML or constructs) declares.
 * Collections are maps keyed by each object's stable key, so a duplicate key cannot be represented.
 */

export interface PermissionSpec {
  readonly key: string;
  readonly name: string;
  /** Absent means "not managed": Kinde cannot clear a description once set, so idm leaves it alone. */
  readonly description?: string;
}

export interface RoleSpec {
  readonly key: string;
  readonly name: string;
  /** Absent means "not managed", as for permissions. */
  readonly description?: string;
  /** Kinde's `is_default_role` ("Assign to new users"). */
  readonly isDefault: boolean;
  /** Permission keys. A set: order in the config never matters. */
  readonly permissions: ReadonlySet<string>;
}

/** Which collections idm may delete from: objects in the tenant but not in the config. */
export interface Prune {
  readonly permissions: boolean;
  readonly roles: boolean;
}

export interface Desired {
  readonly permissions: ReadonlyMap<string, PermissionSpec>;
  readonly roles: ReadonlyMap<string, RoleSpec>;
  readonly prune: Prune;
}
