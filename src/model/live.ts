import type { FlatState } from './plan.js';

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
  readonly featureFlags: ReadonlyMap<string, LiveFeatureFlag>;
  /** Organizations that have an external id, keyed by it. Others (the default org, orgs made in the UI) are never matched. */
  readonly organizations: ReadonlyMap<string, LiveOrganization>;
  readonly settings: LiveSettings;
  /** Users read (only when the config has users), by Kinde id. */
  readonly users: ReadonlyMap<string, LiveUser>;
  /** Kratos identities (only when the config has some), by Kratos id. */
  readonly identities: ReadonlyMap<string, LiveIdentity>;
  /** Fingerprints of the write-only values idm last wrote: by `writeOnlyKey(type, key)`, then by path. */
  readonly writeOnly: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /**
   * Marks (`unfinishedMark(key)`) of the users whose create an apply began and may not have finished: a Kinde create
   * is several calls, and seed mode never revisits a user that exists, so the planner compares these as if managed.
   */
  readonly unfinishedUsers: ReadonlySet<string>;
}

/*
 * Objects beyond permissions and roles are read into FlatState: readable fields flattened to the config's dotted
 * paths (`name`, `policies.allowed_domains`, `feature_flags.new_checkout`; see src/plan/flatten.ts), sets as sorted
 * arrays. A field the API cannot read back is simply absent: the planner then compares it with the fingerprint idm
 * recorded when it last wrote it (Live.writeOnly).
 */

export interface LiveOrganization {
  /** Kinde's org code. */
  readonly id: string;
  readonly externalId: string;
  readonly isDefault: boolean;
  readonly state: FlatState;
}

export interface LiveFeatureFlag {
  readonly key: string;
  /** Readable fields only (Kinde returns a flag's `type` and its value in the environment). */
  readonly state: FlatState;
}

export interface LiveSettings {
  readonly business?: FlatState;
  /** `tracking.*`, `feature_flags.*`, `passkey.policy`. */
  readonly environment?: FlatState;
}

/** Key of an object in Live.writeOnly: `organization:acme`, `feature_flag:new_checkout`, `environment:environment`. */
export const writeOnlyKey = (type: string, key: string): string => `${type}:${key}`;

/**
 * A user as read from the tenant. Matched to the config on `providedId`, then on primary `email`.
 * state paths: first_name, last_name, suspended, identities (sorted `type:value`), primary.<type>,
 * organizations (sorted external ids), organizations.<external_id>.roles / .permissions, properties.<key>.
 */
export interface LiveUser {
  /** Kinde's user id. */
  readonly id: string;
  readonly providedId: string | null;
  /** Primary email, lower-cased. */
  readonly email: string | null;
  readonly state: FlatState;
}

/**
 * A Kratos identity as read. `key` is its match value (see IdentityMatch) or null when it has none.
 * state paths: schema_id, state, external_id, traits.<path>, metadata_public(.<path>), metadata_admin(.<path>) (see
 * flattenJson), credentials.password / .totp / .lookup_secret (fingerprints, never the secret), credentials.oidc /
 * credentials.saml (sorted `provider:subject`).
 */
export interface LiveIdentity {
  /** Kratos's identity id (uuid). */
  readonly id: string;
  readonly key: string | null;
  readonly state: FlatState;
}
