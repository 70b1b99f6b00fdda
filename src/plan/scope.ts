/** What a plan must read from the tenant, derived from what the config manages (see ReadScope). */
import type { Desired, OrganizationSpec } from '../model/desired.js';
import type { ReadScope, UserReadScope } from '../model/plan.js';

const needsDetail = (o: OrganizationSpec): boolean => Object.keys(o.colors).length > 0 || o.policies.allowedDomains !== undefined;

const hasWriteOnly = (d: Desired): boolean =>
  d.featureFlags.size > 0 ||
  [...d.users.values()].some((u) => u.password !== undefined || (u.featureFlags !== undefined && u.featureFlags.size > 0)) ||
  d.environment?.mfa !== undefined ||
  [...d.organizations.values()].some((o) => o.policies.autoJoinDomains !== undefined || o.policies.enforceMfa !== undefined || o.mfa !== undefined);

/** Scopes already derived: a plan derives its config's scope again, and with many users that costs. */
const derived = new WeakMap<Desired, ReadScope>();

export function readScope(d: Desired): ReadScope {
  let scope = derived.get(d);
  if (!scope) {
    scope = deriveScope(d);
    derived.set(d, scope);
  }
  return scope;
}

function deriveScope(d: Desired): ReadScope {
  const env = d.environment;
  return {
    feature_flags: d.featureFlags.size > 0 || d.prune.feature_flags,
    organizations: d.organizations.size > 0 || d.prune.organizations,
    organization_details: Object.fromEntries(
      [...d.organizations.values()].map((o) => [
        o.externalId,
        { detail: needsDetail(o), feature_flags: o.featureFlags !== undefined && o.featureFlags.size > 0, passkey: o.passkey !== undefined, properties: o.properties !== undefined && o.properties.size > 0 },
      ]),
    ),
    business: d.business !== undefined,
    environment: {
      details: env !== undefined && Object.keys(env.tracking).length > 0,
      feature_flags: env !== undefined && env.featureFlags.size > 0,
      passkey: env?.passkey !== undefined,
    },
    // Seed users: the same records say which creates an earlier apply left unfinished.
    write_only: hasWriteOnly(d) || (d.usersMode === 'seed' && d.users.size > 0),
    users: userScope(d),
    identities: d.identities.size > 0 || d.prune.identities ? { match: d.identityMatch } : null,
  };
}

/**
 * Users are read in bulk (the user list carries organizations and identities); per-user reads happen only for what
 * the list lacks and the config manages: direct permissions in an org and property values. In `seed` mode existing
 * users are never updated, so nothing beyond the list is read.
 */
function userScope(d: Desired): UserReadScope {
  const users = [...d.users.values()];
  const managed = d.usersMode === 'managed';
  const primaryEmail = (u: (typeof users)[number]) => u.identities.find((i) => i.type === 'email' && i.primary)?.value ?? u.identities.find((i) => i.type === 'email')?.value;
  const permissions = managed ? users.flatMap((u) => [...u.organizations].filter(([, m]) => m.permissions.size > 0).map(([org]) => [u.key, org] as const)) : [];
  const properties = managed ? users.filter((u) => u.properties !== undefined && u.properties.size > 0).map((u) => u.key) : [];
  // Only users with reads of their own need matching before them; the planner matches the rest (a seed-mode scope of
  // many users would otherwise carry every one of them).
  const detailed = new Set([...permissions.map(([key]) => key), ...properties]);
  return {
    list: users.length > 0 || (managed && d.prune.users),
    member_orgs: managed ? [...new Set(users.flatMap((u) => [...u.organizations.keys()]))].sort() : [],
    match: Object.fromEntries(users.filter((u) => detailed.has(u.key)).map((u) => {
      const email = primaryEmail(u);
      return [u.key, { ...(u.id === undefined ? {} : { id: u.id }), ...(email === undefined ? {} : { email }) }];
    })),
    permissions,
    properties,
  };
}
