/**
 * The fewest requests Kinde's Management API allows for what a config holds: the floor against which idm's request
 * counts are compared. Derived from the API's rules (see /work/shared/reference/kinde-api.md), not from idm's code:
 *
 * - token-paged lists (`page_size`, `next_token`) serve at most 500 items a page (Kinde's docs);
 * - environment variables are cursor-paged, and the spec's only example caps those pages at 100;
 * - bulk writes carry at most 100 objects (Kinde's docs);
 * - one M2M token serves a whole run (each token is billed, so a run fetches exactly one).
 *
 * Each formula below names the requests it counts; anything not listed has no cheaper way in the API.
 */
export const PAGE = 500;
export const CURSOR_PAGE = 100;
export const BULK = 100;

/** Requests to list `n` items (an empty list still costs one). */
export const pages = (n, size = PAGE) => Math.max(1, Math.ceil(n / size));

/** Orgs whose config fields the list lacks (allowed domains, colours): each needs `GET /organization?code=`. */
const needsDetail = (o) => o.policies?.allowed_domains !== undefined || o.colors !== undefined;

/** Objects with fields the API never returns (org `is_enforce_mfa`): each has one record in idm's state. */
const hasWriteOnly = (o) => o.policies?.enforce_mfa !== undefined || o.policies?.auto_join_domains !== undefined || o.mfa !== undefined;

/** Fields only `PATCH /organization/{code}` takes (`POST /organization` has none of them). */
const hasUpdateOnly = (o) => o.policies?.allowed_domains !== undefined || o.policies?.enforce_mfa !== undefined || o.policies?.auto_join_domains !== undefined;

/**
 * A plan of a tenant that already matches the config (seed-mode users): what the read needs.
 * `tenant` is what the tenant holds beyond the config: `organizations` (every org, the default one included, since
 * the list has no filter) and `users` (every user, for the same reason).
 */
export function minimumPlan(data, tenant) {
  const { permissions, roles, organizations } = data;
  return (
    1 + // the token
    pages(permissions.length) + // GET /permissions
    pages(roles.length) + // GET /roles
    // GET /roles/{id}/permissions: the API has no way to read the permissions of several roles at once
    roles.reduce((n, r) => n + pages(r.permissions.length), 0) +
    pages(tenant.organizations) + // GET /organizations
    organizations.filter(needsDetail).length + // GET /organization?code=, for the fields the list lacks
    pages(tenant.users) + // GET /users?expand=organizations,identities: names, identities and memberships in bulk
    // GET /environment_variables: idm's record of the write-only fields (read only when the config has some)
    (organizations.some(hasWriteOnly) ? pages(organizations.filter(hasWriteOnly).length, CURSOR_PAGE) : 0)
  );
}

/** An apply to an empty tenant (it has only the default org): the plan's read of it, then every write. */
export function minimumApplyFromEmpty(data, userCount) {
  const { permissions, roles, organizations } = data;
  const users = data.users(0, userCount);
  const writeOnly = organizations.filter(hasWriteOnly).length;
  // Users granted roles, per org: `PATCH /organizations/{code}/users` grants roles to up to 100 users at once.
  const granted = new Map();
  for (const u of users) for (const m of u.organizations) if (m.roles.length > 0) granted.set(m.external_id, (granted.get(m.external_id) ?? 0) + 1);
  return (
    1 + // the token
    // the plan's read of the empty tenant: one page each of permissions, roles and orgs (the default one), and of
    // users and the state record's variables when the config has any
    3 + (users.length > 0 ? 1 : 0) + (writeOnly > 0 ? 1 : 0) +
    permissions.length + // POST /permissions: there is no bulk create
    pages(permissions.length) + // GET /permissions: the create answers without the id that role grants need
    roles.length + // POST /roles (answers with the id)
    roles.reduce((n, r) => n + Math.ceil(r.permissions.length / BULK), 0) + // PATCH /roles/{id}/permissions, 100 a request
    organizations.length + // POST /organization
    organizations.filter(hasUpdateOnly).length + // PATCH /organization/{code}: allowed domains and enforced MFA are update-only
    writeOnly + // POST /environment_variables: one record per object with write-only fields
    users.length + // POST /user: there is no bulk create; it joins the user's first org
    [...granted.values()].reduce((n, count) => n + Math.ceil(count / BULK), 0) // role grants, 100 users a request
  );
}
