/**
 * The live state: what a provider read from the tenant, normalised so the planner compares like with like.
 * Provider ids are kept for the provider's own writes; the planner matches on keys only.
 */

export interface LivePermission {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
}

export interface LiveRole {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly description: string | null;
  readonly isDefault: boolean;
  /** Permission keys (the provider resolves ids to keys). */
  readonly permissions: ReadonlySet<string>;
}

export interface Live {
  readonly permissions: ReadonlyMap<string, LivePermission>;
  readonly roles: ReadonlyMap<string, LiveRole>;
}
