/**
 * Users. As with organizations, Kinde splits the paths: the list is `/users`, but get, create, update and delete use
 * the singular `/user` and take the id as `?id=`. Quirks and rules kept:
 * - GET /user answers with the user's fields at the top level (the `user` schema), not in the success envelope,
 *   and names the primary email `preferred_email`; the list names it `email`.
 * - `organizations` and `identities` come only with `expand`; list identities carry no id (GET
 *   /users/{user_id}/identities has those).
 * - The schemas type most fields as non-nullable strings, so a user without a phone (say) has no `phone` field.
 * - A user created without `organization_code` joins the default organization (Kinde's docs: every user belongs
 *   to one). Create takes no `is_suspended`: suspending is an update.
 * - Emails and usernames are unique (see identities.ts); so are provided ids, which clients match users by.
 * - The list has no `sort` parameter (though its description speaks of sorting): users come in creation order,
 *   served from an index so that a page costs its own size, not the tenant's.
 */
import { IdmError } from '../../errors.js';
import { addIdentity, checkIdentity, draftIdentity, noClaims, primaryOf, userById, type Claims, type IdentityDraft } from './identities.js';
import { bodyObject, optionalBoolean, optionalObject, optionalObjectArray, optionalEnum, optionalString, requiredQuery, type Body } from './input.js';
import { forgetUser, join } from './memberships.js';
import { keysetPage } from './pagination.js';
import { ApiFailure, badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { defaultOrganizationOf, isoSeconds, type OrganizationRecord, type Tenant } from './tenant.js';
import { newUser, newUserId, type UserRecord } from './user-directory.js';

export interface NewUserSpec {
  readonly providedId?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly picture?: string;
  /** Undefined: the default organization. */
  readonly orgCodes?: readonly string[];
  readonly identities: readonly IdentityDraft[];
}

/** Checks a user to create against the tenant and `claims` (values taken earlier in the same batch); its orgs. */
export function checkNewUser(tenant: Tenant, spec: NewUserSpec, claims: Claims): OrganizationRecord[] {
  if (spec.providedId !== undefined) {
    if (tenant.users.byProvidedId(spec.providedId) || claims.providedIds.has(spec.providedId)) {
      throw badRequest('USER_ALREADY_EXISTS', `A user with provided_id ${spec.providedId} already exists`);
    }
    claims.providedIds.add(spec.providedId);
  }
  spec.identities.forEach((draft, i) => checkIdentity(tenant, undefined, draft, claims, spec.identities.slice(0, i)));
  if (spec.orgCodes === undefined) return [defaultOrganizationOf(tenant)];
  return [...new Set(spec.orgCodes)].map((code) => {
    const org = tenant.organizations.get(code);
    if (!org) throw badRequest('ORGANIZATION_NOT_FOUND', `No organization with code ${code}`);
    return org;
  });
}

/** Creates a user `checkNewUser` accepted, with its identities and memberships. */
export function createUser(tenant: Tenant, spec: NewUserSpec, orgs: readonly OrganizationRecord[]): UserRecord {
  let id = newUserId();
  while (tenant.users.get(id)) id = newUserId();
  const createdOn = isoSeconds();
  const user = newUser(id, tenant.nextSeq++, createdOn);
  user.providedId = spec.providedId ?? null;
  user.firstName = spec.firstName ?? null;
  user.lastName = spec.lastName ?? null;
  user.picture = spec.picture ?? null;
  tenant.users.add(user);
  for (const draft of spec.identities) addIdentity(tenant, user, draft, createdOn);
  for (const org of orgs) join(tenant, org, user, createdOn);
  return user;
}

/** The admin hook's input: the fields a bulk import carries. */
export interface SeedUser {
  provided_id?: string;
  email: string;
  first_name?: string;
  last_name?: string;
  /** Absent: the default organization, as for a user created through the API; `[]`: no organization. */
  org_codes?: string[];
}

/** Creates every user or none: the whole batch is checked first. Throws IdmError naming the first bad entry. */
export function seedUsers(tenant: Tenant, users: readonly SeedUser[]): string[] {
  const claims = noClaims();
  const checked = users.map((seed, i) => {
    try {
      const spec: NewUserSpec = {
        providedId: seed.provided_id,
        firstName: seed.first_name,
        lastName: seed.last_name,
        orgCodes: seed.org_codes,
        // An imported email counts as verified, as the import's `email_verified` usually says.
        identities: [draftIdentity(tenant, 'email', { value: seed.email, isConfirmed: true })],
      };
      return { spec, orgs: checkNewUser(tenant, spec, claims) };
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      const message = (error.reply.body as { errors: { message: string }[] }).errors[0]!.message;
      throw new IdmError(`Cannot seed user ${i} (${seed.email}): ${message}`, 'EMULATOR_SEED_INVALID', 'fix that entry; no user of the batch was created');
    }
  });
  return checked.map(({ spec, orgs }) => createUser(tenant, spec, orgs).id);
}

// --- views ---------------------------------------------------------------------------------------------------------

interface Expand {
  readonly organizations: boolean;
  readonly identities: boolean;
}

const expandValues = ['organizations', 'identities', 'billing'] as const;

function readExpand(query: URLSearchParams): Expand {
  const given = (query.get('expand') ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  const bad = given.find((v) => !(expandValues as readonly string[]).includes(v));
  if (bad !== undefined) throw badRequest('INVALID_REQUEST', `expand takes ${expandValues.join(', ')} (comma-separated); got ${JSON.stringify(bad)}`);
  // billing is accepted, but no emulated user is a billing customer, so it adds nothing.
  return { organizations: given.includes('organizations'), identities: given.includes('identities') };
}

/** A field the schema types as a non-nullable string: present only when set. */
const optional = <K extends string>(field: K, value: string | null | undefined): Partial<Record<K, string>> =>
  (value === null || value === undefined ? {} : { [field]: value }) as Partial<Record<K, string>>;

/** The fields `users_response` items and `user` share; the primary email is named by the caller. */
const commonView = (u: UserRecord) => ({
  id: u.id,
  ...optional('provided_id', u.providedId),
  ...optional('phone', primaryOf(u, 'phone')?.value),
  ...optional('username', primaryOf(u, 'username')?.value),
  ...optional('last_name', u.lastName),
  ...optional('first_name', u.firstName),
  is_suspended: u.isSuspended,
  ...optional('picture', u.picture),
  // No one signs in to the emulator.
  total_sign_ins: 0,
  failed_sign_ins: 0,
  last_signed_in: null,
  created_on: u.createdOn,
});

const listView = (u: UserRecord, expand: Expand) => ({
  ...commonView(u),
  ...optional('email', primaryOf(u, 'email')?.value),
  last_organization_sign_ins: [],
  ...(expand.organizations ? { organizations: [...u.organizations] } : {}),
  ...(expand.identities ? { identities: u.identities.map((i) => ({ type: i.type, identity: i.value, connection_id: i.connectionId })) } : {}),
});

/** `user`; its identities are `{type, identity}` only. */
const userView = (u: UserRecord, expand: Expand) => ({
  ...commonView(u),
  ...optional('preferred_email', primaryOf(u, 'email')?.value),
  ...(expand.organizations ? { organizations: [...u.organizations] } : {}),
  ...(expand.identities ? { identities: u.identities.map((i) => ({ type: i.type, identity: i.value })) } : {}),
});

// --- the list ------------------------------------------------------------------------------------------------------

/** A comma-separated filter's values; undefined when the filter is absent or empty. */
function readFilter(query: URLSearchParams, name: string): string[] | undefined {
  const values = (query.get(name) ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return values.length > 0 ? values : undefined;
}

function readBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (value !== 'true' && value !== 'false') throw badRequest('INVALID_REQUEST', `${name} must be true or false`);
  return value === 'true';
}

/**
 * The users the filters select, in creation order. Filters of different names must all match; the values of one
 * filter are alternatives. The id, email, username and phone filters are answered from indexes.
 */
function selectUsers(context: ApiContext, query: URLSearchParams): readonly UserRecord[] {
  const users = context.tenant.users;
  let selected: Set<UserRecord> | undefined;
  const narrow = (found: Iterable<UserRecord | undefined>): void => {
    const next = new Set([...found].filter((u): u is UserRecord => u !== undefined));
    selected = selected ? new Set([...selected].filter((u) => next.has(u))) : next;
  };
  const holder = (userId: string | undefined) => (userId === undefined ? undefined : users.get(userId));
  const ids = readFilter(query, 'user_id');
  if (ids) narrow(ids.map((id) => users.get(id)));
  const emails = readFilter(query, 'email');
  if (emails) narrow(emails.map((e) => holder(users.emailHolder(e)?.userId)));
  const usernames = readFilter(query, 'username');
  if (usernames) narrow(usernames.map((n) => holder(users.usernameHolder(n)?.userId)));
  const phones = readFilter(query, 'phone');
  if (phones) narrow(phones.flatMap((p) => users.phoneHolders(p).map((i) => holder(i.userId))));
  return selected ? [...selected].sort((a, b) => a.seq - b.seq) : users.inOrder();
}

function readActiveSince(query: URLSearchParams): boolean {
  const value = query.get('active_since');
  if (value === null || value === '') return false;
  if (Number.isNaN(Date.parse(value))) throw badRequest('INVALID_REQUEST', 'active_since must be an ISO 8601 date-time');
  return true;
}

// --- create and update ---------------------------------------------------------------------------------------------

const createKinds = ['email', 'phone', 'username'] as const;

function readCreateIdentities(body: Body, context: ApiContext): IdentityDraft[] {
  return (optionalObjectArray(body, 'identities') ?? []).map((item, i) => {
    const kind = optionalEnum(item, 'type', createKinds);
    if (kind === undefined) throw badRequest('INVALID_REQUEST', `identities[${i}].type is required`);
    const details = optionalObject(item, 'details') ?? {};
    return draftIdentity(context.tenant, kind, {
      value: optionalString(details, kind),
      phoneCountryId: kind === 'phone' ? optionalString(details, 'phone_country_id') : undefined,
      isConfirmed: optionalBoolean(item, 'is_verified'),
    });
  });
}

/** A name in an update: '' leaves it as it is (the Terraform provider reports that Kinde will not reset one). */
const nameUpdate = (body: Body, field: string): string | undefined => {
  const value = optionalString(body, field);
  return value === '' ? undefined : value;
};

function updateView(u: UserRecord) {
  return {
    id: u.id,
    ...optional('given_name', u.firstName),
    ...optional('family_name', u.lastName),
    ...optional('email', primaryOf(u, 'email')?.value),
    is_suspended: u.isSuspended,
    is_password_reset_requested: u.isPasswordResetRequested,
    picture: u.picture,
  };
}

export const userRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/users',
    scope: 'read:users',
    handle({ query }, context) {
      const expand = readExpand(query);
      const hasOrganization = readBoolean(query, 'has_organization');
      // Activity is signing in, which no emulated user ever does: an active_since filter leaves no one.
      const activeSince = readActiveSince(query);
      const keep = hasOrganization === undefined ? undefined : (u: UserRecord): boolean => (u.organizations.size > 0) === hasOrganization;
      const page = keysetPage(activeSince ? [] : selectUsers(context, query), query, context.pageSizeCap, keep);
      return success(200, { users: page.items.map((u) => listView(u, expand)), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/user',
    scope: 'read:users',
    handle({ query }, context) {
      const user = userById(context, requiredQuery(query, 'id'));
      return { status: 200, body: userView(user, readExpand(query)) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/user',
    scope: 'create:users',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const profile = optionalObject(body, 'profile') ?? {};
      const organizationCode = optionalString(body, 'organization_code');
      const spec: NewUserSpec = {
        providedId: optionalString(body, 'provided_id') || undefined,
        firstName: optionalString(profile, 'given_name') || undefined,
        lastName: optionalString(profile, 'family_name') || undefined,
        picture: optionalString(profile, 'picture') || undefined,
        orgCodes: organizationCode ? [organizationCode] : undefined,
        identities: readCreateIdentities(body, context),
      };
      const orgs = checkNewUser(context.tenant, spec, noClaims());
      const user = createUser(context.tenant, spec, orgs);
      context.changed();
      return {
        status: 200,
        body: { id: user.id, created: true, identities: user.identities.map((i) => ({ type: i.type, result: { created: true } })) },
      };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/user',
    scope: 'update:users',
    handle({ query, body: raw }, context) {
      const user = userById(context, requiredQuery(query, 'id'));
      const body = bodyObject(raw);
      const givenName = nameUpdate(body, 'given_name');
      const familyName = nameUpdate(body, 'family_name');
      const picture = optionalString(body, 'picture');
      const suspended = optionalBoolean(body, 'is_suspended');
      const resetRequested = optionalBoolean(body, 'is_password_reset_requested');
      const providedId = optionalString(body, 'provided_id');
      if (providedId) {
        const holder = context.tenant.users.byProvidedId(providedId);
        if (holder && holder !== user) throw badRequest('USER_ALREADY_EXISTS', `A user with provided_id ${providedId} already exists`);
      }
      if (givenName !== undefined) user.firstName = givenName;
      if (familyName !== undefined) user.lastName = familyName;
      if (picture !== undefined) user.picture = picture === '' ? null : picture;
      if (suspended !== undefined) user.isSuspended = suspended;
      if (resetRequested !== undefined) user.isPasswordResetRequested = resetRequested;
      if (providedId !== undefined) context.tenant.users.setProvidedId(user, providedId === '' ? null : providedId);
      context.changed();
      return { status: 200, body: updateView(user) };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/user',
    scope: 'delete:users',
    handle({ query }, context) {
      const user = userById(context, requiredQuery(query, 'id'));
      // Subscribers are not emulated, so deleting the profile too (is_delete_profile) removes nothing more.
      readBoolean(query, 'is_delete_profile');
      forgetUser(context.tenant, user);
      context.tenant.users.remove(user);
      context.changed();
      return success(200);
    },
  },
];
