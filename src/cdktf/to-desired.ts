/**
 * IdmConfig tree -> the Desired model, normalised exactly as src/config/to-desired.ts normalises YAML: maps in
 * declaration order, sets for lists, defaults filled in, lower-case colours, domains, emails and usernames, and a
 * field left unset left out of the model (absent means "not managed").
 *
 * Every problem is collected, each prefixed with the construct path, before failing: one run shows them all.
 */
import type { IConstruct } from 'constructs';
import { IdmError } from '../errors.js';
import { isDomain, normaliseColor, normaliseDomain } from '../config/formats.js';
import type {
  BusinessSpec, ColorName, Desired, EnvironmentSpec, FeatureFlagSpec, FlagValue, IdentitySpec, MembershipSpec,
  MfaSpec, OrganizationPolicies, OrganizationSpec, PermissionSpec, RoleSpec, TrackingName, UserSpec,
} from '../model/desired.js';
import { BusinessSettings } from './business-settings.js';
import { EnvironmentSettings } from './environment-settings.js';
import { FeatureFlag } from './feature-flag.js';
import type { IdmConfig } from './idm-config.js';
import { Organization, type MfaProps, type OrganizationProps } from './organization.js';
import { Permission } from './permission.js';
import { Role } from './role.js';
import { SeedUser, type SeedUserProps } from './seed-user.js';

/** `{ [name]: value }`, or `{}` when value is undefined, as in the YAML loader. */
const opt = <K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [name]: value } as { [P in K]?: V }));
const keyOf = (ref: { readonly key: string } | string): string => (typeof ref === 'string' ? ref : ref.key);
const COLOR = /^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$/;

/** Where a construct is, for messages: its path in the tree (the root's id when it is the root). */
export const pathOf = (c: IConstruct): string => c.node.path || c.node.id;

class Problems {
  readonly list: string[] = [];
  add(c: IConstruct, message: string): void {
    this.list.push(`${pathOf(c)}: ${message}`);
  }
}

function matchesType(type: FeatureFlagSpec['type'], value: FlagValue): boolean {
  if (type === 'bool') return typeof value === 'boolean';
  if (type === 'int') return typeof value === 'number' && Number.isInteger(value);
  return typeof value === 'string';
}

function mfa(raw: MfaProps): MfaSpec {
  return { factors: new Set(raw.factors), ...opt('recoveryCodes', raw.recoveryCodes) };
}

/** Flag values checked against the declared flags: undeclared flags and values of the wrong type are problems. */
function flagValues(c: IConstruct, values: Readonly<Record<string, FlagValue>>, flags: ReadonlyMap<string, FeatureFlagSpec>, problems: Problems): Map<string, FlagValue> {
  for (const [key, value] of Object.entries(values)) {
    const flag = flags.get(key);
    if (!flag) problems.add(c, `sets feature flag "${key}", which no FeatureFlag declares (declared: ${[...flags.keys()].join(', ') || 'none'})`);
    else if (!matchesType(flag.type, value)) problems.add(c, `sets feature flag "${key}" to ${JSON.stringify(value)}, but the flag's type is ${flag.type}`);
  }
  return new Map(Object.entries(values));
}

function organization(o: Organization, flags: ReadonlyMap<string, FeatureFlagSpec>, problems: Problems): OrganizationSpec {
  const p: OrganizationProps = o.props;
  const colors: Partial<Record<ColorName, string>> = {};
  for (const [name, hex] of Object.entries(p.colors ?? {}) as [ColorName, string][]) {
    if (!COLOR.test(hex)) problems.add(o, `colors.${name} must be a hex colour, #rgb or #rrggbb, got ${JSON.stringify(hex)}`);
    colors[name] = normaliseColor(hex);
  }
  if (p.handle !== undefined && !/^[a-z0-9-]+$/.test(p.handle)) problems.add(o, `handle may contain only lower-case letters, digits and hyphens, got ${JSON.stringify(p.handle)}`);
  const pol = p.policies ?? {};
  for (const d of pol.allowedDomains ?? []) if (!isDomain(d)) problems.add(o, `policies.allowedDomains: ${JSON.stringify(d)} is not a domain name`);
  const policies: OrganizationPolicies = {
    ...opt('autoMembership', pol.autoMembership),
    ...opt('allowedDomains', pol.allowedDomains && new Set(pol.allowedDomains.map(normaliseDomain))),
    ...opt('autoJoinDomains', pol.autoJoinDomains),
    ...opt('enforceMfa', pol.enforceMfa),
  };
  return {
    externalId: p.externalId,
    name: p.name,
    ...opt('handle', p.handle),
    colors,
    policies,
    ...opt('mfa', p.mfa && mfa(p.mfa)),
    ...opt('passkey', p.passkey && { policy: p.passkey.policy, overrideEnvironment: p.passkey.overrideEnvironment ?? true }),
    ...opt('featureFlags', p.featureFlags && flagValues(o, p.featureFlags, flags, problems)),
    ...opt('properties', p.properties && new Map(Object.entries(p.properties))),
  };
}

function business(b: BusinessSettings): BusinessSpec {
  const p = b.props;
  return { ...opt('name', p.name), ...opt('policyAcceptance', p.policyAcceptance), ...opt('termsUrl', p.termsUrl), ...opt('privacyUrl', p.privacyUrl) };
}

function environment(e: EnvironmentSettings, flags: ReadonlyMap<string, FeatureFlagSpec>, problems: Problems): EnvironmentSpec {
  const p = e.props;
  const tracking: Partial<Record<TrackingName, string | null>> = { ...p.tracking };
  return {
    tracking,
    featureFlags: flagValues(e, p.featureFlags ?? {}, flags, problems),
    ...opt('mfa', p.mfa && { policy: p.mfa.policy, ...mfa(p.mfa) }),
    ...opt('passkey', p.passkey && { policy: p.passkey.policy }),
  };
}

interface Declared {
  readonly permissions: ReadonlyMap<string, PermissionSpec>;
  readonly roles: ReadonlyMap<string, RoleSpec>;
  readonly flags: ReadonlyMap<string, FeatureFlagSpec>;
  readonly organizations: ReadonlyMap<string, OrganizationSpec>;
}

function identities(u: SeedUser, problems: Problems): IdentitySpec[] {
  const list: IdentitySpec[] = [];
  const primaries = new Set<string>();
  for (const i of u.props.identities) {
    const primary = i.primary === true && !primaries.has(i.type);
    if (i.primary === true && primaries.has(i.type)) problems.add(u, `has more than one primary ${i.type} identity`);
    if (primary) primaries.add(i.type);
    list.push({
      type: i.type,
      value: i.type === 'email' || i.type === 'username' ? i.value.toLowerCase() : i.value,
      verified: i.verified === true,
      primary,
      ...opt('connectionId', i.connectionId),
    });
  }
  // As the loader does: the first identity of each type is primary when none is marked.
  return list.map((i) => (primaries.has(i.type) || list.find((j) => j.type === i.type) !== i ? i : { ...i, primary: true }));
}

function user(u: SeedUser, declared: Declared, problems: Problems): UserSpec | undefined {
  const p: SeedUserProps = u.props;
  const ids = identities(u, problems);
  const key = p.id ?? ids.find((i) => i.type === 'email' && i.primary)?.value;
  if (key === undefined) problems.add(u, 'has neither an id nor an email identity, so idm cannot tell whether it already exists');
  if (p.organizations.length === 0) problems.add(u, 'belongs to no organization; every Kinde user is in at least one');
  const organizations = new Map<string, MembershipSpec>();
  for (const m of p.organizations) {
    const org = typeof m.organization === 'string' ? m.organization : m.organization.externalId;
    if (!declared.organizations.has(org)) problems.add(u, `is a member of organization "${org}", which no Organization declares`);
    const roles = (m.roles ?? []).map(keyOf);
    const permissions = (m.permissions ?? []).map(keyOf);
    for (const r of roles) if (!declared.roles.has(r)) problems.add(u, `has role "${r}" in "${org}", which no Role declares`);
    for (const k of permissions) if (!declared.permissions.has(k)) problems.add(u, `has permission "${k}" in "${org}", which no Permission declares`);
    organizations.set(org, { roles: new Set(roles), permissions: new Set(permissions) });
  }
  if (key === undefined) return undefined;
  const password = p.password && { ...p.password, temporary: p.password.temporary ?? false, version: p.password.version ?? 1 };
  return {
    key,
    ...opt('id', p.id),
    ...opt('firstName', p.firstName),
    ...opt('lastName', p.lastName),
    ...opt('suspended', p.suspended),
    identities: ids,
    ...opt('password', password),
    ...opt('properties', p.properties && new Map(Object.entries(p.properties))),
    ...opt('featureFlags', p.featureFlags && flagValues(u, p.featureFlags, declared.flags, problems)),
    organizations,
    source: pathOf(u),
  };
}

/** Adds to a keyed map, reporting a second construct with the same key (a Map cannot hold both). */
function addUnique<T>(map: Map<string, T>, key: string, value: T, c: IConstruct, what: string, problems: Problems): void {
  if (map.has(key)) problems.add(c, `declares ${what} "${key}" a second time`);
  else map.set(key, value);
}

/** Walks the tree under `root` and returns the Desired model, or throws one IdmError listing every problem. */
export function toDesired(root: IdmConfig): Desired {
  const problems = new Problems();
  const all = root.node.findAll();
  const of = <T>(type: abstract new (...args: never[]) => T): T[] => all.filter((c): c is IConstruct & T => c instanceof type);

  const permissions = new Map<string, PermissionSpec>();
  for (const c of of(Permission)) addUnique(permissions, c.props.key, { key: c.props.key, name: c.props.name, ...opt('description', c.props.description) }, c, 'permission', problems);

  const roles = new Map<string, RoleSpec>();
  for (const c of of(Role)) {
    const keys = (c.props.permissions ?? []).map(keyOf);
    for (const k of keys) if (!permissions.has(k)) problems.add(c, `grants permission "${k}", which no Permission declares`);
    const spec: RoleSpec = { key: c.props.key, name: c.props.name, ...opt('description', c.props.description), isDefault: c.props.default ?? false, permissions: new Set(keys) };
    addUnique(roles, c.props.key, spec, c, 'role', problems);
  }

  const flags = new Map<string, FeatureFlagSpec>();
  for (const c of of(FeatureFlag)) {
    const p = c.props;
    if (!matchesType(p.type, p.default)) problems.add(c, `default ${JSON.stringify(p.default)} is not of the flag's type ${p.type}`);
    const spec: FeatureFlagSpec = { key: p.key, name: p.name, description: p.description ?? '', type: p.type, defaultValue: p.default, overrideLevel: p.overrideLevel ?? 'env' };
    addUnique(flags, p.key, spec, c, 'feature flag', problems);
  }

  const organizations = new Map<string, OrganizationSpec>();
  for (const c of of(Organization)) addUnique(organizations, c.props.externalId, organization(c, flags, problems), c, 'organization', problems);

  const single = <T extends IConstruct>(found: T[], what: string): T | undefined => {
    for (const extra of found.slice(1)) problems.add(extra, `is a second ${what}; declare at most one per IdmConfig`);
    return found[0];
  };
  const biz = single(of(BusinessSettings), 'BusinessSettings');
  const env = single(of(EnvironmentSettings), 'EnvironmentSettings');
  const environmentSpec = env && environment(env, flags, problems);

  const users = new Map<string, UserSpec>();
  const declared: Declared = { permissions, roles, flags, organizations };
  for (const c of of(SeedUser)) {
    const spec = user(c, declared, problems);
    if (spec) addUnique(users, spec.key, spec, c, 'user', problems);
  }

  if (problems.list.length > 0) {
    const n = problems.list.length;
    throw new IdmError(
      `${n} ${n === 1 ? 'problem' : 'problems'} in the idm constructs:\n  ${problems.list.join('\n  ')}`,
      'CONSTRUCT_INVALID',
      'fix the constructs named above; each reference must name a construct declared under the same IdmConfig',
    );
  }
  const prune = root.props.prune ?? {};
  return {
    permissions,
    roles,
    featureFlags: flags,
    organizations,
    ...opt('business', biz && business(biz)),
    ...opt('environment', environmentSpec),
    users,
    usersMode: root.props.usersMode ?? 'seed',
    prune: {
      permissions: prune.permissions ?? false,
      roles: prune.roles ?? false,
      organizations: prune.organizations ?? false,
      feature_flags: prune.feature_flags ?? false,
      users: prune.users ?? false,
    },
  };
}
