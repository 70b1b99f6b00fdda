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
  readonly organizations: boolean;
  readonly feature_flags: boolean;
  /** Only honoured with `users.mode: managed` (and `--allow-delete`). */
  readonly users: boolean;
  /** Kratos identities not in the config (matched on `kratos.match`). */
  readonly identities: boolean;
}

export interface Desired {
  readonly permissions: ReadonlyMap<string, PermissionSpec>;
  readonly roles: ReadonlyMap<string, RoleSpec>;
  readonly featureFlags: ReadonlyMap<string, FeatureFlagSpec>;
  /** Keyed by external id. */
  readonly organizations: ReadonlyMap<string, OrganizationSpec>;
  /** Absent: business settings not managed. */
  readonly business?: BusinessSpec;
  /** Absent: environment settings not managed. */
  readonly environment?: EnvironmentSpec;
  /** Seed users, keyed by UserSpec.key, from `users:` and `users_file:`. */
  readonly users: ReadonlyMap<string, UserSpec>;
  readonly usersMode: UsersMode;
  /** Kratos identities (`identities:`), keyed by IdentityRecordSpec.key. Empty for a Kinde target. */
  readonly identities: ReadonlyMap<string, IdentityRecordSpec>;
  /** How identities are matched (`kratos.match`); default the `email` trait. */
  readonly identityMatch: IdentityMatch;
  readonly prune: Prune;
}

export type FlagType = 'str' | 'int' | 'bool';
export type FlagValue = string | number | boolean;
export type OverrideLevel = 'env' | 'org' | 'usr';
export type MfaFactor = 'mfa:email' | 'mfa:sms' | 'mfa:authenticator_app';
export type PasskeyPolicy = 'off' | 'optional' | 'mandatory';

/**
 * A feature flag definition. Values anywhere in the config are checked offline against `type`. Every field is
 * managed: Kinde's flag update (PUT) takes all of them at once.
 */
export interface FeatureFlagSpec {
  readonly key: string;
  readonly name: string;
  /** Default ''. */
  readonly description: string;
  readonly type: FlagType;
  readonly defaultValue: FlagValue;
  /** Kinde's `allow_override_level`: the most specific level that may override the value. Default 'env'. */
  readonly overrideLevel: OverrideLevel;
}

export const colorNames = [
  'background_color', 'button_color', 'button_text_color', 'link_color',
  'background_color_dark', 'button_color_dark', 'button_text_color_dark', 'link_color_dark',
] as const;
export type ColorName = (typeof colorNames)[number];

/** Every field is optional: absent means "not managed", so idm neither reads nor writes it. */
export interface OrganizationPolicies {
  /** Kinde `is_auto_membership_enabled`: members may be added automatically. */
  readonly autoMembership?: boolean;
  /** Lower-case domain names. A set. */
  readonly allowedDomains?: ReadonlySet<string>;
  /** Kinde `is_auto_join_domain_list` (write-only in the API). */
  readonly autoJoinDomains?: boolean;
  /** Kinde `is_enforce_mfa` (write-only in the API). */
  readonly enforceMfa?: boolean;
}

export interface MfaSpec {
  readonly factors: ReadonlySet<MfaFactor>;
  readonly recoveryCodes?: boolean;
}

export interface OrganizationSpec {
  /** The stable identity. The provider's org code is looked up, never written in config. */
  readonly externalId: string;
  readonly name: string;
  readonly handle?: string;
  /** Hex colours, lower-case `#rrggbb`. */
  readonly colors: Readonly<Partial<Record<ColorName, string>>>;
  readonly policies: OrganizationPolicies;
  /** Org MFA factors (write-only in the Kinde API). */
  readonly mfa?: MfaSpec;
  readonly passkey?: { readonly policy: PasskeyPolicy; readonly overrideEnvironment: boolean };
  /** Flag values for this org. Only the keys listed are managed (compared by effective value). */
  readonly featureFlags?: ReadonlyMap<string, FlagValue>;
  /** Values of org properties (defined in Kinde under Settings > Properties). Only the keys listed are managed. */
  readonly properties?: ReadonlyMap<string, string>;
}

/** Business settings; each field absent = not managed. */
export interface BusinessSpec {
  readonly name?: string;
  /** Kinde `is_click_wrap` / `has_clickwrap`: "Show a policy acceptance checkbox on sign up". */
  readonly policyAcceptance?: boolean;
  readonly termsUrl?: string | null;
  readonly privacyUrl?: string | null;
}

export type TrackingName = 'google_analytics' | 'hotjar_site_id' | 'contentsquare';

export interface EnvironmentSpec {
  /** Third-party analytics IDs. Readable but not writable in the Kinde API: differences become manual steps. */
  readonly tracking: Readonly<Partial<Record<TrackingName, string | null>>>;
  /** Environment-level flag values. Only the keys listed are managed. */
  readonly featureFlags: ReadonlyMap<string, FlagValue>;
  readonly mfa?: MfaSpec & { readonly policy: 'required' | 'off' | 'optional' };
  readonly passkey?: { readonly policy: PasskeyPolicy };
}

export type IdentityType = 'email' | 'phone' | 'username' | 'enterprise' | `oauth2:${string}`;

export interface IdentitySpec {
  readonly type: IdentityType;
  /** Emails lower-cased; usernames lower-cased (Kinde compares them case-insensitively). */
  readonly value: string;
  /** Applied when the identity is created; Kinde cannot change it afterwards through the API. */
  readonly verified: boolean;
  /** Primary for its type (at most one per type). */
  readonly primary: boolean;
  /** For enterprise and social identities. */
  readonly connectionId?: string;
}

export type HashingMethod = 'bcrypt' | 'crypt' | 'md5' | 'sha256' | 'wordpress' | 'pbkdf2' | 'firebase-scrypt' | 'aspnet-identity-v2';

/**
 * A password, as a hash only (never plaintext). The hash and salts are secrets: they stay in this model and never
 * reach a Plan. Kinde cannot read a password back, so a change is made visible by bumping `version` (Auth0's
 * `_wo` + `_version` pattern): the plan compares method, version and temporary, never the hash.
 */
export interface PasswordSpec {
  readonly method: HashingMethod;
  readonly hash: string;
  readonly salt?: string;
  readonly saltPosition?: 'prefix' | 'suffix';
  readonly saltFormat?: 'hex' | 'string';
  readonly iterations?: number;
  readonly variant?: string;
  readonly signerKey?: string;
  readonly saltSeparator?: string;
  readonly rounds?: number;
  readonly memCost?: number;
  readonly temporary: boolean;
  /** Default 1. Bump it to set the password again in `managed` mode. */
  readonly version: number;
}

/** A user's membership of one organization, with roles and permissions granted there (by key). */
export interface MembershipSpec {
  readonly roles: ReadonlySet<string>;
  readonly permissions: ReadonlySet<string>;
}

export interface UserSpec {
  /**
   * The stable key: the provided `id` if given, else the primary email (lower-cased). Users are matched on it:
   * first on Kinde's `provided_id`, then on primary email.
   */
  readonly key: string;
  readonly id?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly suspended?: boolean;
  readonly identities: readonly IdentitySpec[];
  readonly password?: PasswordSpec;
  /** Absent: not managed. */
  readonly properties?: ReadonlyMap<string, string>;
  readonly featureFlags?: ReadonlyMap<string, FlagValue>;
  /** By organization external id. Every user belongs to at least one. */
  readonly organizations: ReadonlyMap<string, MembershipSpec>;
  /** Where the user was declared (config line or import file row), for errors at apply time. */
  readonly source?: string;
}

/** `seed` (default): create missing users, passwords only on create, never update or delete. `managed`: full. */
export type UsersMode = 'seed' | 'managed';

/** JSON as Kratos stores traits and metadata. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** What identifies a Kratos identity across runs: a trait (its value lower-cased, as Kratos stores identifiers) or `external_id`. */
export type IdentityMatch = { readonly by: 'trait'; readonly path: readonly string[] } | { readonly by: 'external_id' };

/** A link to an external identity provider: Kratos's credential identifier is `provider:subject`. */
export interface ExternalLink {
  readonly provider: string;
  readonly subject: string;
}

/**
 * A Kratos identity (`identities:`). Kratos's PUT replaces traits and metadata whole, so every declared object is
 * managed whole; `metadataPublic`/`metadataAdmin` absent means not managed (left as they are).
 */
export interface IdentityRecordSpec {
  /** The match value: the trait's value lower-cased, or the external id. */
  readonly key: string;
  readonly schemaId: string;
  readonly externalId?: string;
  readonly state: 'active' | 'inactive';
  readonly traits: JsonObject;
  readonly metadataPublic?: Json;
  readonly metadataAdmin?: Json;
  /** Addresses the schema derives from traits that are marked verified when the identity is created. */
  readonly verifiedAddresses: ReadonlySet<string>;
  readonly credentials: IdentityCredentialsSpec;
  /** Where the identity was declared (config line), for errors at apply time. */
  readonly source?: string;
}

/**
 * Credentials, each absent = not managed. A secret (hash, TOTP URL, recovery codes) lives only here: plans carry a
 * fingerprint.
 * `oidc`/`saml` listed = exactly these links: a live link missing from the list is removed (with --allow-delete).
 */
export interface IdentityCredentialsSpec {
  /**
   * A hash in one of the formats Kratos imports (`$2a$…`, `$argon2id$…`, `$pbkdf2-sha256$…`, …). `initial`: set only
   * when the identity has no password (idm creates it, or it has none), never compared after that.
   */
  readonly password?: { readonly hash: string; readonly initial: boolean };
  readonly oidc?: readonly ExternalLink[];
  readonly saml?: readonly ExternalLink[];
  /** An `otpauth://` URL. */
  readonly totp?: { readonly url: string };
  /** Recovery codes, managed as one set: a changed set replaces the identity's codes. */
  readonly lookupSecret?: { readonly codes: readonly string[] };
}
