/**
 * Identities: the emails, phones, usernames and social or enterprise accounts a user signs in with. Listed under
 * `/users/{user_id}/identities` (cursor style, and unlike the other cursor listings without `page_size`), created
 * there, and read, made primary or deleted under `/identities/{identity_id}`. Rules kept, from Kinde's docs:
 * - An identity's value can never be edited (it could break sign-in): add the new one, then delete the old.
 * - One identity of each type is primary; the first of a type is, until another is made so.
 * - Emails and usernames are unique in the tenant, case-insensitively ("Kinde will not duplicate users with
 *   existing email addresses"; usernames "we ignore case"). Phones are not: users may share a number.
 * - A user with an enterprise identity can have no other identity, and a user with others cannot get one.
 * - A user's last identity cannot be deleted, so that an API user always keeps a way to be found.
 */
import { bodyObject, optionalBoolean, optionalEnum, optionalString, type Body } from './input.js';
import { cursorPaginate } from './pagination.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { isoSeconds, type Tenant } from './tenant.js';
import { foldCase, newIdentityId, type IdentityRecord, type IdentityType, type UserRecord } from './user-directory.js';

/** The identity kinds POST /users/{user_id}/identities takes. */
export const identityKinds = ['email', 'username', 'phone', 'enterprise', 'social'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** An identity checked and ready to add. */
export interface IdentityDraft {
  readonly type: IdentityType;
  readonly value: string;
  readonly phoneCountryId: string | null;
  readonly connectionId: string | null;
  readonly isConfirmed: boolean;
}

/** Values claimed by identities checked but not added yet: a batch must not clash with itself either. */
export interface Claims {
  readonly emails: Set<string>;
  readonly usernames: Set<string>;
  readonly providedIds: Set<string>;
}

export const noClaims = (): Claims => ({ emails: new Set(), usernames: new Set(), providedIds: new Set() });

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** E.164, which Kinde's import docs ask phones to be in. */
const phonePattern = /^\+[1-9]\d{6,14}$/;
const countryPattern = /^[A-Za-z]{2}$/;

export const isEmail = (value: string): boolean => emailPattern.test(value);

const isSocial = (type: IdentityType): boolean => type.startsWith('oauth2:');

/**
 * The draft of an identity of `kind` with `value`, its form checked. Social identities take their type from their
 * connection's strategy (`oauth2:google`), as Kinde reports them; enterprise ones are reported as `enterprise`.
 */
export function draftIdentity(
  tenant: Tenant,
  kind: IdentityKind,
  fields: { value: string | undefined; phoneCountryId?: string; connectionId?: string; isConfirmed?: boolean },
): IdentityDraft {
  const value = fields.value?.trim();
  if (!value) throw badRequest('INVALID_REQUEST', `The ${kind} identity needs a value`);
  const plain = { value, phoneCountryId: null, connectionId: null };
  switch (kind) {
    case 'email':
      if (!isEmail(value)) throw badRequest('INVALID_EMAIL', `${JSON.stringify(value)} is not an email address`);
      return { ...plain, type: 'email', isConfirmed: fields.isConfirmed ?? false };
    case 'username':
      if (/\s/.test(value)) throw badRequest('INVALID_USERNAME', 'A username must not contain spaces');
      // Nothing to verify about a username: it is confirmed by being taken.
      return { ...plain, type: 'username', isConfirmed: true };
    case 'phone': {
      if (!phonePattern.test(value)) throw badRequest('INVALID_PHONE', `${JSON.stringify(value)} is not a phone number in E.164 form, e.g. +61426148233`);
      const country = fields.phoneCountryId;
      if (country !== undefined && !countryPattern.test(country)) throw badRequest('INVALID_PHONE', 'phone_country_id must be a two-letter country code, e.g. au');
      return { ...plain, type: 'phone', phoneCountryId: country?.toLowerCase() ?? null, isConfirmed: fields.isConfirmed ?? false };
    }
    case 'social':
    case 'enterprise': {
      const id = fields.connectionId;
      if (!id) throw badRequest('INVALID_REQUEST', `connection_id is required for a ${kind} identity`);
      const connection = tenant.connections.get(id);
      if (!connection) throw badRequest('CONNECTION_NOT_FOUND', `No connection with id ${id}`);
      if (isSocial(connection.strategy) !== (kind === 'social')) {
        throw badRequest('INVALID_CONNECTION', `Connection ${id} (${connection.strategy}) is not a${kind === 'social' ? ' social' : 'n enterprise'} connection`);
      }
      // The identity provider vouched for the account.
      return { type: kind === 'social' ? connection.strategy : 'enterprise', value, phoneCountryId: null, connectionId: id, isConfirmed: true };
    }
  }
}

/** Throws the 400 Kinde gives when `draft` cannot join the user's identities (or a new user's, `user` undefined). */
export function checkIdentity(tenant: Tenant, user: UserRecord | undefined, draft: IdentityDraft, claims: Claims, others: readonly IdentityDraft[] = []): void {
  const mine = [...(user?.identities ?? []), ...others];
  if (draft.type === 'enterprise' ? mine.length > 0 : mine.some((i) => i.type === 'enterprise')) {
    throw badRequest('ENTERPRISE_IDENTITY_EXCLUSIVE', 'A user with an enterprise identity cannot have any other identity');
  }
  const taken = (what: string): never => {
    throw badRequest('IDENTITY_ALREADY_EXISTS', `The ${what} ${draft.value} already belongs to a user`);
  };
  const folded = foldCase(draft.value);
  if (draft.type === 'email' && (tenant.users.emailHolder(draft.value) || claims.emails.has(folded))) taken('email');
  if (draft.type === 'username' && (tenant.users.usernameHolder(draft.value) || claims.usernames.has(folded))) taken('username');
  if (mine.some((i) => i.type === draft.type && i.value === draft.value && i.connectionId === draft.connectionId)) {
    throw badRequest('IDENTITY_ALREADY_EXISTS', `The user already has the ${draft.type} identity ${draft.value}`);
  }
  if (draft.type === 'email') claims.emails.add(folded);
  if (draft.type === 'username') claims.usernames.add(folded);
}

/** Adds a checked identity; the first of its type becomes the user's primary one. */
export function addIdentity(tenant: Tenant, user: UserRecord, draft: IdentityDraft, createdOn: string = isoSeconds()): IdentityRecord {
  let id = newIdentityId();
  while (tenant.users.identity(id)) id = newIdentityId();
  const identity: IdentityRecord = {
    id,
    seq: tenant.nextSeq++,
    userId: user.id,
    createdOn,
    ...draft,
    isPrimary: !user.identities.some((i) => i.type === draft.type),
  };
  tenant.users.addIdentity(user, identity);
  return identity;
}

/** The user's primary identity of `type`. */
export const primaryOf = (user: UserRecord, type: IdentityType): IdentityRecord | undefined => user.identities.find((i) => i.type === type && i.isPrimary);

/** `identity`: `last_login_on` is left out (no one signs in here), as the schema's non-nullable string demands. */
export const identityView = (i: IdentityRecord) => ({
  id: i.id,
  type: i.type,
  is_confirmed: i.isConfirmed,
  created_on: i.createdOn,
  total_logins: 0,
  name: i.value,
  ...(isEmail(i.value) ? { email: i.value } : {}),
  connection_id: i.connectionId,
  is_primary: i.isPrimary,
});

export function userById(context: ApiContext, id: string): UserRecord {
  const user = context.tenant.users.get(id);
  if (!user) throw badRequest('USER_NOT_FOUND', `No user with id ${id}`);
  return user;
}

function identityById(context: ApiContext, id: string): IdentityRecord {
  const identity = context.tenant.users.identity(id);
  if (!identity) throw badRequest('IDENTITY_NOT_FOUND', `No identity with id ${id}`);
  return identity;
}

function readNewIdentity(body: Body, context: ApiContext): IdentityDraft {
  const kind = optionalEnum(body, 'type', identityKinds);
  if (kind === undefined) throw badRequest('INVALID_REQUEST', 'type is required');
  const phoneCountryId = optionalString(body, 'phone_country_id');
  // The spec: the country "only required when identity type is 'phone'".
  if (kind === 'phone' && !phoneCountryId) throw badRequest('INVALID_REQUEST', 'phone_country_id is required for a phone identity');
  return draftIdentity(context.tenant, kind, { value: optionalString(body, 'value'), phoneCountryId, connectionId: optionalString(body, 'connection_id') });
}

export const identityRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/users/{user_id}/identities',
    scope: 'read:user_identities',
    handle({ params, query }, context) {
      const user = userById(context, params.user_id!);
      // The operation takes cursors but no page_size: a page holds as many as the emulator's cap allows.
      const paging = new URLSearchParams(query);
      paging.set('page_size', String(context.pageSizeCap));
      const page = cursorPaginate(user.identities, paging, context.pageSizeCap);
      return success(200, { identities: page.items.map(identityView), has_more: page.hasMore });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/users/{user_id}/identities',
    scope: 'create:user_identities',
    handle({ params, body: raw }, context) {
      const user = userById(context, params.user_id!);
      const draft = readNewIdentity(bodyObject(raw), context);
      checkIdentity(context.tenant, user, draft, noClaims());
      const identity = addIdentity(context.tenant, user, draft);
      context.changed();
      return success(201, { identity: { id: identity.id } });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/identities/{identity_id}',
    scope: 'read:identities',
    handle({ params }, context) {
      // The schema is the identity itself, not wrapped in the success envelope.
      return { status: 200, body: identityView(identityById(context, params.identity_id!)) };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/identities/{identity_id}',
    scope: 'update:identities',
    handle({ params, body: raw }, context) {
      const identity = identityById(context, params.identity_id!);
      const isPrimary = optionalBoolean(bodyObject(raw), 'is_primary');
      if (isPrimary === undefined) {
        throw badRequest('INVALID_REQUEST', 'is_primary is required: it is the only field of an identity that can change (to change a value, add a new identity and delete this one)');
      }
      const user = context.tenant.users.get(identity.userId)!;
      if (isPrimary && !identity.isPrimary) {
        for (const other of user.identities) if (other.type === identity.type) other.isPrimary = other === identity;
        context.changed();
      }
      // Some identity of the type must stay primary, and which one is not for the emulator to guess.
      if (!isPrimary && identity.isPrimary) {
        throw badRequest('PRIMARY_IDENTITY_REQUIRED', `Make another ${identity.type} identity primary instead: a user's ${identity.type} identities always have a primary`);
      }
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/identities/{identity_id}',
    scope: 'delete:identities',
    handle({ params }, context) {
      const identity = identityById(context, params.identity_id!);
      const user = context.tenant.users.get(identity.userId)!;
      if (user.identities.length === 1) throw badRequest('LAST_IDENTITY', "A user's last identity cannot be deleted: add another first");
      context.tenant.users.removeIdentity(identity);
      if (identity.isPrimary) {
        // The oldest remaining identity of the type takes over as primary.
        const next = user.identities.find((i) => i.type === identity.type);
        if (next) next.isPrimary = true;
      }
      context.changed();
      return success(200);
    },
  },
];
