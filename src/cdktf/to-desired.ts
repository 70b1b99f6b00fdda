/**
 * IdmConfig tree -> the Desired model. The constructs are turned into the same raw config object a YAML file parses
 * to, and the YAML loader's own toDesired builds the model from it, so both front ends normalise identically (maps
 * in declaration order, sets, defaults, lower-case colours and domains, absent fields left out). What stays here is
 * what only a tree has: checks whose messages name the construct's path, and the users (which the loader also
 * builds apart from toDesired).
 *
 * Every problem is collected, each prefixed with the construct path, before failing: one run shows them all.
 */
import type { IConstruct } from 'constructs';
import { IdmError } from '../errors.js';
import { isDomain } from '../config/formats.js';
import type { RawBusiness, RawEnvironment, RawFeatureFlag, RawMfa, RawOrganization, RawPermission, RawRole } from '../config/schema.js';
import { opt, toDesired as configToDesired } from '../config/to-desired.js';
import type { Desired, FeatureFlagSpec, FlagValue, IdentitySpec, MembershipSpec, OrganizationSpec, PermissionSpec, RoleSpec, UserSpec } from '../model/desired.js';
import { BusinessSettings } from './business-settings.js';
import { EnvironmentSettings } from './environment-settings.js';
import { FeatureFlag } from './feature-flag.js';
import type { IdmConfig } from './idm-config.js';
import { Organization, type MfaProps, type OrganizationProps } from './organization.js';
import { Permission } from './permission.js';
import { Role } from './role.js';
import { SeedUser, type SeedUserProps } from './seed-user.js';

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

const rawMfa = (m: MfaProps): RawMfa => ({ factors: m.factors, ...opt('recovery_codes', m.recoveryCodes) });

/** Flag values checked against the declared flags: undeclared flags and values of the wrong type are problems. */
function checkFlagValues(c: IConstruct, values: Readonly<Record<string, FlagValue>>, flags: ReadonlyMap<string, FeatureFlagSpec>, problems: Problems): void {
  for (const [key, value] of Object.entries(values)) {
    const flag = flags.get(key);
    if (!flag) problems.add(c, `sets feature flag "${key}", which no FeatureFlag declares (declared: ${[...flags.keys()].join(', ') || 'none'})`);
    else if (!matchesType(flag.type, value)) problems.add(c, `sets feature flag "${key}" to ${JSON.stringify(value)}, but the flag's type is ${flag.type}`);
  }
}

function rawOrganization(o: Organization, problems: Problems): RawOrganization {
  const p: OrganizationProps = o.props;
  for (const [name, hex] of Object.entries(p.colors ?? {})) {
    if (!COLOR.test(hex)) problems.add(o, `colors.${name} must be a hex colour, #rgb or #rrggbb, got ${JSON.stringify(hex)}`);
  }
  if (p.handle !== undefined && !/^[a-z0-9-]+$/.test(p.handle)) problems.add(o, `handle may contain only lower-case letters, digits and hyphens, got ${JSON.stringify(p.handle)}`);
  const pol = p.policies ?? {};
  for (const d of pol.allowedDomains ?? []) if (!isDomain(d)) problems.add(o, `policies.allowedDomains: ${JSON.stringify(d)} is not a domain name`);
  return {
    external_id: p.externalId,
    name: p.name,
    ...opt('handle', p.handle),
    ...opt('colors', p.colors),
    policies: {
      ...opt('auto_membership', pol.autoMembership),
      ...opt('allowed_domains', pol.allowedDomains),
      ...opt('auto_join_domains', pol.autoJoinDomains),
      ...opt('enforce_mfa', pol.enforceMfa),
    },
    ...opt('mfa', p.mfa && rawMfa(p.mfa)),
    ...opt('passkey', p.passkey && { policy: p.passkey.policy, ...opt('override_environment', p.passkey.overrideEnvironment) }),
    ...opt('feature_flags', p.featureFlags),
    ...opt('properties', p.properties),
  };
}

function rawBusiness(b: BusinessSettings): RawBusiness {
  const p = b.props;
  return { ...opt('name', p.name), ...opt('policy_acceptance', p.policyAcceptance), ...opt('terms_url', p.termsUrl), ...opt('privacy_url', p.privacyUrl) };
}

function rawEnvironment(e: EnvironmentSettings): RawEnvironment {
  const p = e.props;
  return {
    ...opt('tracking', p.tracking),
    ...opt('feature_flags', p.featureFlags),
    ...opt('mfa', p.mfa && { policy: p.mfa.policy, ...rawMfa(p.mfa) }),
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
  if (p.featureFlags) checkFlagValues(u, p.featureFlags, declared.flags, problems);
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
    ...opt('featureFlags', p.featureFlags && new Map(Object.entries(p.featureFlags))),
    organizations,
    source: pathOf(u),
  };
}

/** Walks the tree under `root` and returns the Desired model, or throws one IdmError listing every problem. */
export function toDesired(root: IdmConfig): Desired {
  const problems = new Problems();
  const all = root.node.findAll();
  const of = <T>(type: abstract new (...args: never[]) => T): T[] => all.filter((c): c is IConstruct & T => c instanceof type);

  /** One raw entry per key; a second construct with the same key is a problem (a Map cannot hold both). */
  const unique = <C extends IConstruct, R>(found: C[], keyOf: (c: C) => string, what: string, raw: (c: C) => R): R[] => {
    const seen = new Set<string>();
    return found.flatMap((c) => {
      const key = keyOf(c);
      if (seen.has(key)) {
        problems.add(c, `declares ${what} "${key}" a second time`);
        return [];
      }
      seen.add(key);
      return [raw(c)];
    });
  };
  const single = <T extends IConstruct>(found: T[], what: string): T | undefined => {
    for (const extra of found.slice(1)) problems.add(extra, `is a second ${what}; declare at most one per IdmConfig`);
    return found[0];
  };
  const biz = single(of(BusinessSettings), 'BusinessSettings');
  const env = single(of(EnvironmentSettings), 'EnvironmentSettings');
  const base = configToDesired({
    version: 1,
    permissions: unique(of(Permission), (c) => c.props.key, 'permission', (c): RawPermission => ({ key: c.props.key, name: c.props.name, ...opt('description', c.props.description) })),
    roles: unique(of(Role), (c) => c.props.key, 'role', (c): RawRole => ({
      key: c.props.key, name: c.props.name, ...opt('description', c.props.description), ...opt('default', c.props.default), permissions: (c.props.permissions ?? []).map(keyOf),
    })),
    feature_flags: unique(of(FeatureFlag), (c) => c.props.key, 'feature flag', (c): RawFeatureFlag => ({
      key: c.props.key, name: c.props.name, ...opt('description', c.props.description), type: c.props.type, default: c.props.default, ...opt('override_level', c.props.overrideLevel),
    })),
    organizations: unique(of(Organization), (c) => c.props.externalId, 'organization', (c) => rawOrganization(c, problems)),
    ...opt('business', biz && rawBusiness(biz)),
    ...opt('environment', env && rawEnvironment(env)),
    users: { mode: root.props.usersMode ?? 'seed' },
    ...opt('prune', root.props.prune),
  });

  for (const c of of(Role)) {
    for (const k of (c.props.permissions ?? []).map(keyOf)) if (!base.permissions.has(k)) problems.add(c, `grants permission "${k}", which no Permission declares`);
  }
  for (const c of of(FeatureFlag)) {
    if (!matchesType(c.props.type, c.props.default)) problems.add(c, `default ${JSON.stringify(c.props.default)} is not of the flag's type ${c.props.type}`);
  }
  for (const c of of(Organization)) if (c.props.featureFlags) checkFlagValues(c, c.props.featureFlags, base.featureFlags, problems);
  if (env?.props.featureFlags) checkFlagValues(env, env.props.featureFlags, base.featureFlags, problems);

  const users = new Map<string, UserSpec>();
  const declared: Declared = { permissions: base.permissions, roles: base.roles, flags: base.featureFlags, organizations: base.organizations };
  for (const c of of(SeedUser)) {
    const spec = user(c, declared, problems);
    if (!spec) continue;
    if (users.has(spec.key)) problems.add(c, `declares user "${spec.key}" a second time`);
    else users.set(spec.key, spec);
  }

  if (problems.list.length > 0) {
    const n = problems.list.length;
    throw new IdmError(
      `${n} ${n === 1 ? 'problem' : 'problems'} in the idm constructs:\n  ${problems.list.join('\n  ')}`,
      'CONSTRUCT_INVALID',
      'fix the constructs named above; each reference must name a construct declared under the same IdmConfig',
    );
  }
  return { ...base, users };
}
