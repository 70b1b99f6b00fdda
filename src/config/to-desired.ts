/**
 * A valid config -> the Desired model: maps in config order, sets for what the config lists as sets, defaults
 * filled in, and values normalised (lower-case #rrggbb colours, lower-case domains).
 *
 * A field the config leaves out is left out of the model too (not set to undefined): absent means "not managed",
 * and the planner neither reads nor writes it.
 *
 * Users are not built here: they need files (users_file, hash_file) and checks of their own, so they arrive built
 * and checked from users-section.ts.
 */
import type {
  BusinessSpec,
  ColorName,
  Desired,
  EnvironmentSpec,
  FeatureFlagSpec,
  FlagValue,
  IdentityRecordSpec,
  MfaSpec,
  OrganizationPolicies,
  OrganizationSpec,
  PermissionSpec,
  RoleSpec,
  TrackingName,
  UserSpec,
} from '../model/desired.js';
import { normaliseColor, normaliseDomain } from './formats.js';
import { identityMatch, matchValue } from './identities.js';
import type { RawBusiness, RawConfig, RawEnvironment, RawFlagValue, RawMfa, RawOrganization } from './schema.js';

/** `{ [name]: value }`, or `{}` when value is undefined: spreads into a literal to leave the field absent. */
export const opt = <K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [name]: value } as { [P in K]?: V }));

const flagValues = (values: Readonly<Record<string, RawFlagValue>>): Map<string, FlagValue> => new Map(Object.entries(values));

function mfa(raw: RawMfa): MfaSpec {
  return { factors: new Set(raw.factors), ...opt('recoveryCodes', raw.recovery_codes) };
}

function organization(o: RawOrganization): OrganizationSpec {
  const colors: Partial<Record<ColorName, string>> = {};
  for (const [name, hex] of Object.entries(o.colors ?? {}) as [ColorName, string][]) colors[name] = normaliseColor(hex);
  const p = o.policies ?? {};
  const policies: OrganizationPolicies = {
    ...opt('autoMembership', p.auto_membership),
    ...opt('allowedDomains', p.allowed_domains && new Set(p.allowed_domains.map(normaliseDomain))),
    ...opt('autoJoinDomains', p.auto_join_domains),
    ...opt('enforceMfa', p.enforce_mfa),
  };
  return {
    externalId: o.external_id,
    name: o.name,
    ...opt('handle', o.handle),
    colors,
    policies,
    ...opt('mfa', o.mfa && mfa(o.mfa)),
    ...opt('passkey', o.passkey && { policy: o.passkey.policy, overrideEnvironment: o.passkey.override_environment ?? true }),
    ...opt('featureFlags', o.feature_flags && flagValues(o.feature_flags)),
    ...opt('properties', o.properties && new Map(Object.entries(o.properties))),
  };
}

function business(b: RawBusiness): BusinessSpec {
  return { ...opt('name', b.name), ...opt('policyAcceptance', b.policy_acceptance), ...opt('termsUrl', b.terms_url), ...opt('privacyUrl', b.privacy_url) };
}

function environment(e: RawEnvironment): EnvironmentSpec {
  const tracking: Partial<Record<TrackingName, string | null>> = { ...e.tracking };
  return {
    tracking,
    featureFlags: flagValues(e.feature_flags ?? {}),
    ...opt('mfa', e.mfa && { policy: e.mfa.policy, ...mfa(e.mfa) }),
    ...opt('passkey', e.passkey && { policy: e.passkey.policy }),
  };
}

function identities(config: RawConfig): Map<string, IdentityRecordSpec> {
  const match = identityMatch(config);
  const out = new Map<string, IdentityRecordSpec>();
  for (const i of config.identities ?? []) {
    // checkIdentities has made sure every identity has its own match value.
    const key = matchValue(i, match)!;
    const c = i.credentials ?? {};
    out.set(key, {
      key,
      schemaId: i.schema_id ?? config.kratos?.schema_id ?? 'default',
      ...opt('externalId', i.external_id),
      state: i.state ?? 'active',
      traits: i.traits,
      ...opt('metadataPublic', i.metadata_public),
      ...opt('metadataAdmin', i.metadata_admin),
      verifiedAddresses: new Set((i.verified_addresses ?? []).map((a) => a.toLowerCase())),
      credentials: {
        ...opt('password', c.password && { hash: c.password.hash, initial: c.password.initial ?? false }),
        ...opt('oidc', c.oidc?.map((l) => ({ provider: l.provider, subject: l.subject }))),
        ...opt('saml', c.saml?.map((l) => ({ provider: l.provider, subject: l.subject }))),
        ...opt('totp', c.totp && { url: c.totp.url }),
        ...opt('lookupSecret', c.lookup_secret && { codes: [...c.lookup_secret.codes] }),
      },
    });
  }
  return out;
}

/** `users` are the checked users of `users.list` and `users_file` (see users-section.ts), which need files and checks. */
export function toDesired(config: RawConfig, users: ReadonlyMap<string, UserSpec> = new Map()): Desired {
  const permissions = new Map<string, PermissionSpec>();
  for (const p of config.permissions ?? []) {
    permissions.set(p.key, { key: p.key, name: p.name, ...opt('description', p.description) });
  }
  const roles = new Map<string, RoleSpec>();
  for (const r of config.roles ?? []) {
    roles.set(r.key, {
      key: r.key,
      name: r.name,
      ...opt('description', r.description),
      isDefault: r.default ?? false,
      permissions: new Set(r.permissions ?? []),
    });
  }
  const featureFlags = new Map<string, FeatureFlagSpec>();
  for (const f of config.feature_flags ?? []) {
    featureFlags.set(f.key, {
      key: f.key,
      name: f.name,
      description: f.description ?? '',
      type: f.type,
      defaultValue: f.default,
      overrideLevel: f.override_level ?? 'env',
    });
  }
  const organizations = new Map<string, OrganizationSpec>();
  for (const o of config.organizations ?? []) organizations.set(o.external_id, organization(o));
  const prune = config.prune ?? {};
  return {
    permissions,
    roles,
    featureFlags,
    organizations,
    ...opt('business', config.business && business(config.business)),
    ...opt('environment', config.environment && environment(config.environment)),
    users,
    usersMode: config.users?.mode ?? 'seed',
    identities: identities(config),
    identityMatch: identityMatch(config),
    prune: {
      permissions: prune.permissions ?? false,
      roles: prune.roles ?? false,
      organizations: prune.organizations ?? false,
      feature_flags: prune.feature_flags ?? false,
      users: prune.users ?? false,
      identities: prune.identities ?? false,
    },
  };
}
