/**
 * The live tenant as idm config: Live -> the raw config `idm plan` reads (src/config/schema.ts RawConfig). Pure.
 *
 * Every readable field is written, in the schema's key order, and every list sorted by its stable key, so the same
 * tenant always gives the same config. A field the config leaves out is "not managed" rather than "default", so
 * fields are written even where they hold Kinde's default (`suspended: false`, `allowed_domains: []`); only fields
 * whose absence means the same value are left out (a role's `default: false`, an empty permission list).
 *
 * What the config cannot hold comes back beside it (see Exported): flags (their definitions cannot be read),
 * and users idm could not match or place.
 */
import { colorNames, type FlagValue, type OverrideLevel } from '../model/desired.js';
import type { JsonObject } from '../model/desired.js';
import { writeOnlyKey, type Live, type LiveIdentity, type LiveOrganization, type LiveUser } from '../model/live.js';
import type { FlatState, Value } from '../model/plan.js';
import type { RawConfig, RawIdentity, RawKratosIdentity, RawKratosLink, RawOrganization, RawUser } from '../config/schema.js';
import { unflattenJson } from '../plan/flatten-json.js';
import { opt } from '../config/to-desired.js';
import { allCollections, type Collection } from './collections.js';
import { booleans, factorSets, recorded, type Fingerprints } from './recover.js';

export interface ExportOptions {
  /** The collections to export; default all. */
  readonly only?: ReadonlySet<Collection>;
  /**
   * Set `prune` for the collections exported, so that planning the export against another tenant shows objects only
   * there as deletes (a promotion diff). Off by default: an adopted config should delete nothing.
   */
  readonly prune?: boolean;
}

/** A flag found in the tenant, with what could be learnt about it: written commented out, as a template to complete. */
export interface FoundFlag {
  readonly key: string;
  readonly type: string | null;
  /** Recovered from idm's state record, where idm wrote them; absent otherwise. */
  readonly description?: string;
  readonly default?: FlagValue;
  readonly overrideLevel?: OverrideLevel;
  /** Its value in the environment. */
  readonly environment?: FlagValue;
  /** Organizations whose value differs from the environment's, by external id. */
  readonly organizations: Readonly<Record<string, FlagValue>>;
}

export type SkipReason = 'no-key' | 'no-identity' | 'no-organization';

/** A user left out of the export, named as a person can find them in Kinde. */
export interface SkippedUser {
  /** Kinde's user id, then whatever identifies the user (email, username, phone). */
  readonly label: string;
  readonly reason: SkipReason;
}

export interface Exported {
  readonly config: RawConfig;
  readonly flags: readonly FoundFlag[];
  readonly skippedUsers: readonly SkippedUser[];
  /** Kratos identities without the trait they would be matched on, by id: the config could not tell them apart. */
  readonly skippedIdentities: readonly string[];
  /** Whether some identity exported has a password, TOTP or recovery codes, which are secrets and never exported. */
  readonly identitySecrets: boolean;
  /** Users exported with the first of several social or enterprise identities marked primary: Kinde cannot say which is. */
  readonly unknownPrimaries: readonly string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortedBy = <T>(items: Iterable<T>, key: (item: T) => string): T[] => [...items].sort((a, b) => byText(key(a), key(b)));

const text = (v: Value | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v: Value | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const texts = (v: Value | undefined): string[] | undefined => (Array.isArray(v) ? [...v].sort(byText) : undefined);
const flagValue = (v: Value | undefined): FlagValue | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined);

/** As `opt`, also leaving out an empty object or list. */
const nonEmpty = <K extends string, V extends object>(name: K, value: V): { [P in K]?: V } => opt(name, Object.keys(value).length > 0 ? value : undefined);

/** `prefix.<key>` paths of a state, as a map of their non-null values, keys sorted. */
function under<T>(state: FlatState, prefix: string, as: (v: Value) => T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const path of Object.keys(state).sort(byText)) {
    if (!path.startsWith(prefix)) continue;
    const value = as(state[path]!);
    if (value !== undefined) out[path.slice(prefix.length)] = value;
  }
  return out;
}

const passkeyPolicies = ['off', 'optional', 'mandatory'] as const;
const isPasskeyPolicy = (v: Value | undefined): v is (typeof passkeyPolicies)[number] => typeof v === 'string' && (passkeyPolicies as readonly string[]).includes(v);

function organization(org: LiveOrganization, fields: Fingerprints): RawOrganization {
  const s = org.state;
  const colors = Object.fromEntries(colorNames.flatMap((name) => (text(s[`colors.${name}`]) === undefined ? [] : [[name, text(s[`colors.${name}`])!]])));
  const allowedDomains = texts(s['policies.allowed_domains']);
  const autoJoin = recorded(fields, 'policies.auto_join_domains', booleans);
  const factors = recorded(fields, 'mfa.factors', factorSets);
  const policy = s['passkey.policy'];
  return {
    external_id: org.externalId,
    name: typeof s.name === 'string' ? s.name : '',
    ...opt('handle', text(s.handle)),
    ...nonEmpty('colors', colors),
    policies: {
      ...opt('auto_membership', bool(s['policies.auto_membership'])),
      ...opt('allowed_domains', allowedDomains),
      // Auto-join needs domains to join from: with none left, the value idm wrote has no effect to keep.
      ...opt('auto_join_domains', autoJoin === true && (allowedDomains ?? []).length === 0 ? undefined : autoJoin),
      ...opt('enforce_mfa', recorded(fields, 'policies.enforce_mfa', booleans)),
    },
    ...opt('mfa', factors && { factors: [...factors], ...opt('recovery_codes', recorded(fields, 'mfa.recovery_codes', booleans)) }),
    ...opt('passkey', isPasskeyPolicy(policy) ? { policy, ...opt('override_environment', bool(s['passkey.override_environment'])) } : undefined),
    ...nonEmpty('properties', under(s, 'properties.', text)),
  };
}

const managedPrimary = (type: string): boolean => type === 'email' || type === 'username' || type === 'phone';

/** `type:value` back to its parts: a social type holds a colon itself (`oauth2:google:1234`). */
function splitIdentity(identity: string): { type: string; value: string } {
  const at = identity.startsWith('oauth2:') ? identity.indexOf(':', 'oauth2:'.length) : identity.indexOf(':');
  return { type: identity.slice(0, at), value: identity.slice(at + 1) };
}

function userLabel(u: LiveUser): string {
  const known = u.email ?? text(u.state['primary.username']) ?? text(u.state['primary.phone']);
  return known === undefined ? u.id : `${u.id} (${known})`;
}

type UserOutcome = { user: RawUser; key: string; unknownPrimary: boolean } | { skipped: SkipReason };

function user(u: LiveUser, live: Live): UserOutcome {
  const key = u.providedId ?? u.email;
  if (key === null) return { skipped: 'no-key' };
  const s = u.state;
  const parts = (texts(s.identities) ?? []).map(splitIdentity);
  if (parts.length === 0) return { skipped: 'no-identity' };
  const orgs = texts(s.organizations) ?? [];
  if (orgs.length === 0) return { skipped: 'no-organization' };
  const fields = live.writeOnly.get(writeOnlyKey('user', key));
  let unknownPrimary = false;
  const primaries = new Map<string, string>();
  for (const type of new Set(parts.map((p) => p.type))) {
    const values = parts.filter((p) => p.type === type).map((p) => p.value);
    const path = `primary.${type}`;
    const primary = text(s[path]) ?? (managedPrimary(type) ? undefined : recorded(fields, path, values));
    if (primary !== undefined) primaries.set(type, primary);
    else if (!(path in s) && values.length > 1) unknownPrimary = true;
  }
  // The first of each type is the primary one to the config, so the primary goes first and needs no `primary: true`.
  const rank = (p: { type: string; value: string }) => (primaries.get(p.type) === p.value ? 0 : 1);
  const identities = [...parts]
    .sort((a, b) => byText(a.type, b.type) || rank(a) - rank(b) || byText(a.value, b.value))
    .map(({ type, value }): RawIdentity => ({ type, value }));
  return {
    key,
    unknownPrimary,
    user: {
      ...opt('id', u.providedId ?? undefined),
      ...opt('first_name', text(s.first_name)),
      ...opt('last_name', text(s.last_name)),
      ...opt('suspended', bool(s.suspended)),
      identities,
      organizations: orgs.map((ext) => ({ external_id: ext, ...nonEmpty('roles', texts(s[`organizations.${ext}.roles`]) ?? []) })),
    },
  };
}

function users(live: Live): Pick<Exported, 'skippedUsers' | 'unknownPrimaries'> & { list: RawUser[] } {
  const list = new Map<string, RawUser>();
  const skippedUsers: SkippedUser[] = [];
  const unknownPrimaries: string[] = [];
  for (const u of sortedBy(live.users.values(), (x) => x.id)) {
    const outcome = user(u, live);
    if ('skipped' in outcome) {
      skippedUsers.push({ label: userLabel(u), reason: outcome.skipped });
      continue;
    }
    list.set(outcome.key, outcome.user);
    if (outcome.unknownPrimary) unknownPrimaries.push(outcome.key);
  }
  return { list: sortedBy(list, ([key]) => key).map(([, u]) => u), skippedUsers, unknownPrimaries: unknownPrimaries.sort(byText) };
}

/** `google:1098` -> its provider and subject (a subject may hold colons; a provider name does not). */
function link(identifier: string): RawKratosLink {
  const at = identifier.indexOf(':');
  return { provider: identifier.slice(0, at), subject: identifier.slice(at + 1) };
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Kratos answers null (or {}) for metadata never set: that is no metadata to manage. */
const metadata = (v: ReturnType<typeof unflattenJson>) => (v === undefined || v === null || (isObject(v) && Object.keys(v).length === 0) ? undefined : v);

const secretPaths = ['credentials.password', 'credentials.totp', 'credentials.lookup_secret'];

function identity(i: LiveIdentity): RawKratosIdentity {
  const s = i.state;
  const traits = unflattenJson('traits', s);
  const links = (type: 'oidc' | 'saml') => texts(s[`credentials.${type}`])?.map(link);
  const credentials = { ...opt('oidc', links('oidc')), ...opt('saml', links('saml')) };
  return {
    ...opt('schema_id', text(s.schema_id)),
    ...opt('external_id', text(s.external_id)),
    ...opt('state', s.state === 'inactive' ? ('inactive' as const) : undefined),
    traits: isObject(traits) ? traits : {},
    ...opt('metadata_public', metadata(unflattenJson('metadata_public', s))),
    ...opt('metadata_admin', metadata(unflattenJson('metadata_admin', s))),
    ...nonEmpty('credentials', credentials),
  };
}

function identities(live: Live): { list: RawKratosIdentity[]; skipped: string[]; secrets: boolean } {
  const keyed = sortedBy([...live.identities.values()].filter((i) => i.key !== null), (i) => i.key!);
  return {
    list: keyed.map(identity),
    skipped: sortedBy([...live.identities.values()].filter((i) => i.key === null), (i) => i.id).map((i) => i.id),
    secrets: keyed.some((i) => secretPaths.some((p) => p in i.state)),
  };
}

const overrideLevels: readonly OverrideLevel[] = ['env', 'org', 'usr'];

function flags(live: Live): FoundFlag[] {
  const env = live.settings.environment ?? {};
  return sortedBy(live.featureFlags.values(), (f) => f.key).map((f) => {
    const fields = live.writeOnly.get(writeOnlyKey('feature_flag', f.key));
    const path = `feature_flags.${f.key}`;
    const environment = flagValue(env[path]);
    const organizations: Record<string, FlagValue> = {};
    for (const org of sortedBy(live.organizations.values(), (o) => o.externalId)) {
      const value = flagValue(org.state[path]);
      if (value !== undefined && value !== environment) organizations[org.externalId] = value;
    }
    const seen = [...new Set([...(environment === undefined ? [] : [environment]), ...Object.values(organizations)])];
    const type = typeof f.state.type === 'string' ? f.state.type : null;
    const defaults: readonly FlagValue[] = type === 'bool' ? booleans : seen;
    return {
      key: f.key,
      type,
      ...opt('description', recorded(fields, 'description', [''])),
      ...opt('default', recorded(fields, 'default_value', defaults)),
      ...opt('overrideLevel', recorded(fields, 'override_level', overrideLevels)),
      ...opt('environment', environment),
      organizations,
    };
  });
}

const environmentMfaPolicies = ['required', 'off', 'optional'] as const;

function environment(state: FlatState, fields: Fingerprints): NonNullable<RawConfig['environment']> {
  const policy = recorded(fields, 'mfa.policy', environmentMfaPolicies);
  const factors = recorded(fields, 'mfa.factors', factorSets);
  const passkey = state['passkey.policy'];
  const trackingNames = ['google_analytics', 'hotjar_site_id', 'contentsquare'] as const;
  return {
    ...nonEmpty(
      'tracking',
      Object.fromEntries(trackingNames.filter((n) => `tracking.${n}` in state).map((n) => [n, text(state[`tracking.${n}`]) ?? null])),
    ),
    ...opt('mfa', policy && factors ? { policy, factors: [...factors], ...opt('recovery_codes', recorded(fields, 'mfa.recovery_codes', booleans)) } : undefined),
    ...opt('passkey', isPasskeyPolicy(passkey) ? { policy: passkey } : undefined),
  };
}

export function exportTenant(live: Live, options: ExportOptions = {}): Exported {
  const only = options.only ?? allCollections;
  const has = (c: Collection) => only.has(c);
  const business = live.settings.business;
  const env = live.settings.environment;
  const people = has('users') ? users(live) : { list: [], skippedUsers: [], unknownPrimaries: [] };
  const kratos = has('identities') ? identities(live) : { list: [], skipped: [], secrets: false };
  const prune = options.prune
    ? {
        ...opt('permissions', has('permissions') || undefined),
        ...opt('roles', has('roles') || undefined),
        ...opt('organizations', has('organizations') || undefined),
        ...opt('users', (has('users') && people.list.length > 0) || undefined),
        ...opt('identities', (has('identities') && kratos.list.length > 0) || undefined),
      }
    : {};
  const config: RawConfig = {
    version: 1,
    ...nonEmpty(
      'permissions',
      !has('permissions') ? [] : sortedBy(live.permissions.values(), (p) => p.key).map((p) => ({ key: p.key, name: p.name, ...opt('description', p.description ?? undefined) })),
    ),
    ...nonEmpty(
      'roles',
      !has('roles')
        ? []
        : sortedBy(live.roles.values(), (r) => r.key).map((r) => ({
            key: r.key,
            name: r.name,
            ...opt('description', r.description ?? undefined),
            ...(r.isDefault ? { default: true } : {}),
            ...nonEmpty('permissions', [...r.permissions].sort(byText)),
          })),
    ),
    ...nonEmpty(
      'organizations',
      !has('organizations')
        ? []
        : sortedBy(live.organizations.values(), (o) => o.externalId).map((o) => organization(o, live.writeOnly.get(writeOnlyKey('organization', o.externalId)))),
    ),
    ...opt(
      'business',
      has('business') && business
        ? {
            ...opt('name', text(business.name)),
            ...opt('policy_acceptance', bool(business.policy_acceptance)),
            ...('terms_url' in business ? { terms_url: text(business.terms_url) ?? null } : {}),
            ...('privacy_url' in business ? { privacy_url: text(business.privacy_url) ?? null } : {}),
          }
        : undefined,
    ),
    ...opt('environment', has('environment') && env ? environment(env, live.writeOnly.get(writeOnlyKey('environment', 'environment'))) : undefined),
    ...opt('users', people.list.length > 0 ? { mode: 'managed' as const, list: people.list } : undefined),
    ...nonEmpty('identities', kratos.list),
    ...nonEmpty('prune', prune),
  };
  return {
    config,
    flags: has('feature_flags') ? flags(live) : [],
    skippedUsers: people.skippedUsers,
    unknownPrimaries: people.unknownPrimaries,
    skippedIdentities: kratos.skipped,
    identitySecrets: kratos.secrets,
  };
}

/** The live tenant as the raw config `idm plan` reads. */
export const exportConfig = (live: Live, options: ExportOptions = {}): RawConfig => exportTenant(live, options).config;
