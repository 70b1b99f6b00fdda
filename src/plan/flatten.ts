/**
 * Desired objects flattened to the dotted paths the plan shows and the providers read into (FlatState). One
 * vocabulary for config, plan and provider: `policies.enforce_mfa` means the same thing everywhere.
 *
 * organization: name, handle, colors.<name>, policies.auto_membership, policies.allowed_domains,
 *               policies.auto_join_domains, policies.enforce_mfa, mfa.factors, mfa.recovery_codes,
 *               passkey.policy, passkey.override_environment, feature_flags.<key>, properties.<key>
 * feature_flag: name, description, type, default_value, override_level
 * business:     name, policy_acceptance, terms_url, privacy_url
 * environment:  feature_flags.<key>, mfa.policy, mfa.factors, mfa.recovery_codes, passkey.policy
 * tracking:     tracking.google_analytics, tracking.hotjar_site_id, tracking.contentsquare (manual steps)
 * user:         first_name, last_name, suspended, identities (set of `type:value`), primary.<type>,
 *               password.method, password.version, password.temporary, properties.<key>, feature_flags.<key>,
 *               organizations (set of external ids), organizations.<external_id>.roles, organizations.<external_id>.permissions
 * identity:     schema_id, state, external_id, traits.<path>, metadata_public.<path>, metadata_admin.<path> (flattenJson),
 *               credentials.password, credentials.totp, credentials.lookup_secret (fingerprints), credentials.oidc,
 *               credentials.saml (`provider:subject`)
 */
import type { BusinessSpec, EnvironmentSpec, ExternalLink, FeatureFlagSpec, IdentityRecordSpec, IdentitySpec, Json, MfaSpec, OrganizationSpec, UserSpec } from '../model/desired.js';
import type { FlatState, Value } from '../model/plan.js';
import { writeOnlyFingerprint } from './fingerprint.js';
import { flattenJson } from './flatten-json.js';

type Mutable = Record<string, Value>;

const sorted = (values: Iterable<string>): string[] => [...values].sort();

function put(state: Mutable, path: string, value: Value | undefined): void {
  if (value !== undefined) state[path] = value;
}

function putMfa(state: Mutable, mfa: MfaSpec | undefined): void {
  if (!mfa) return;
  put(state, 'mfa.factors', sorted(mfa.factors));
  put(state, 'mfa.recovery_codes', mfa.recoveryCodes);
}

export function flattenOrganization(spec: OrganizationSpec): FlatState {
  const state: Mutable = { name: spec.name };
  put(state, 'handle', spec.handle);
  for (const [name, hex] of Object.entries(spec.colors)) put(state, `colors.${name}`, hex);
  put(state, 'policies.auto_membership', spec.policies.autoMembership);
  put(state, 'policies.allowed_domains', spec.policies.allowedDomains && sorted(spec.policies.allowedDomains));
  put(state, 'policies.auto_join_domains', spec.policies.autoJoinDomains);
  put(state, 'policies.enforce_mfa', spec.policies.enforceMfa);
  putMfa(state, spec.mfa);
  // An org that does not override the environment follows its passkey policy: only the override flag is managed.
  put(state, 'passkey.policy', spec.passkey?.overrideEnvironment === false ? undefined : spec.passkey?.policy);
  put(state, 'passkey.override_environment', spec.passkey?.overrideEnvironment);
  for (const [key, value] of spec.featureFlags ?? []) put(state, `feature_flags.${key}`, value);
  for (const [key, value] of spec.properties ?? []) put(state, `properties.${key}`, value);
  return state;
}

/** `type:value`, the form in which identities are compared; values are already normalised by the config. */
export const identityString = (i: Pick<IdentitySpec, 'type' | 'value'>): string => `${i.type}:${i.value}`;

export function flattenUser(spec: UserSpec): FlatState {
  const state: Mutable = {};
  put(state, 'first_name', spec.firstName);
  put(state, 'last_name', spec.lastName);
  put(state, 'suspended', spec.suspended);
  put(state, 'identities', sorted(spec.identities.map(identityString)));
  for (const i of spec.identities) if (i.primary) put(state, `primary.${i.type}`, i.value);
  if (spec.password) {
    // The hash never enters a plan: method, version and the temporary flag stand for it.
    put(state, 'password.method', spec.password.method);
    put(state, 'password.version', spec.password.version);
    put(state, 'password.temporary', spec.password.temporary);
  }
  for (const [key, value] of spec.properties ?? []) put(state, `properties.${key}`, value);
  for (const [key, value] of spec.featureFlags ?? []) put(state, `feature_flags.${key}`, value);
  put(state, 'organizations', sorted(spec.organizations.keys()));
  for (const [org, m] of spec.organizations) {
    put(state, `organizations.${org}.roles`, sorted(m.roles));
    // Direct permissions cost a read per user and org, so they are managed only where the config grants some.
    if (m.permissions.size > 0) put(state, `organizations.${org}.permissions`, sorted(m.permissions));
  }
  return state;
}

export function flattenFeatureFlag(spec: FeatureFlagSpec): FlatState {
  return { name: spec.name, description: spec.description, type: spec.type, default_value: spec.defaultValue, override_level: spec.overrideLevel };
}

export function flattenBusiness(spec: BusinessSpec): FlatState {
  const state: Mutable = {};
  put(state, 'name', spec.name);
  put(state, 'policy_acceptance', spec.policyAcceptance);
  put(state, 'terms_url', spec.termsUrl);
  put(state, 'privacy_url', spec.privacyUrl);
  return state;
}

/** Environment settings that idm writes (tracking IDs are separate: see flattenTracking). */
export function flattenEnvironment(spec: EnvironmentSpec): FlatState {
  const state: Mutable = {};
  for (const [key, value] of spec.featureFlags) put(state, `feature_flags.${key}`, value);
  put(state, 'mfa.policy', spec.mfa?.policy);
  putMfa(state, spec.mfa);
  put(state, 'passkey.policy', spec.passkey?.policy);
  return state;
}

export function flattenTracking(spec: EnvironmentSpec): FlatState {
  const state: Mutable = {};
  for (const [name, value] of Object.entries(spec.tracking)) put(state, `tracking.${name}`, value);
  return state;
}

/** Kratos's identifier for a link to an external identity provider. */
export const linkString = (l: ExternalLink): string => `${l.provider}:${l.subject}`;

const isNone = (v: Json): boolean => v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** Secrets (the password hash, the TOTP URL, recovery codes) enter the plan only as fingerprints, and render as (sensitive). */
export function flattenIdentity(spec: IdentityRecordSpec): FlatState {
  const state: Mutable = { schema_id: spec.schemaId, state: spec.state };
  put(state, 'external_id', spec.externalId);
  Object.assign(state, flattenJson('traits', spec.traits));
  // Kratos answers null for metadata never set: null and {} both mean "none" (see noMetadata in the planner).
  if (spec.metadataPublic !== undefined && !isNone(spec.metadataPublic)) Object.assign(state, flattenJson('metadata_public', spec.metadataPublic));
  if (spec.metadataAdmin !== undefined && !isNone(spec.metadataAdmin)) Object.assign(state, flattenJson('metadata_admin', spec.metadataAdmin));
  const c = spec.credentials;
  put(state, 'credentials.password', c.password && writeOnlyFingerprint(c.password.hash));
  put(state, 'credentials.totp', c.totp && writeOnlyFingerprint(c.totp.url));
  put(state, 'credentials.lookup_secret', c.lookupSecret && writeOnlyFingerprint([...new Set(c.lookupSecret.codes)]));
  put(state, 'credentials.oidc', c.oidc && sorted(c.oidc.map(linkString)));
  put(state, 'credentials.saml', c.saml && sorted(c.saml.map(linkString)));
  return state;
}
