/**
 * Seed users. Kinde spreads a user over many calls: the create takes the profile, the first org and the email, phone
 * and username identities; every other org membership, social and enterprise identity, primary flag, the password,
 * suspension, property values and flag overrides each have their own call. A create makes every call its fields
 * need; an update only those its diff paths need, in an order that never leaves a user without a way to sign in:
 * identities are added, then made primary, and only then are the ones they replace deleted.
 *
 * Bulk membership endpoints take role and permission keys; the per-user ones take ids. Grants are added with one
 * bulk PATCH per org (keys, however many); revoking one has only a per-user DELETE, by id.
 *
 * Password hashes and salts travel in one request body and nowhere else: never in an error, a log or a record.
 */
import { ApiError, IdmError } from '../../errors.js';
import type { HashingMethod, IdentitySpec, PasswordSpec, UserSpec } from '../../model/desired.js';
import { writeOnlyKey, type LiveUser } from '../../model/live.js';
import { isSetDiff, isWriteOnlyDiff, type FieldDiff, type FlatState, type UserChange, type Value } from '../../model/plan.js';
import { isRecord, type KindeClient } from './client.js';
import type { IdDirectory } from './ids.js';
import { identityValue, isManagedIdentityType, readablePrimaryTypes } from './read-users.js';
import type { StateRecords } from './state-record.js';
import { flagValueText } from './values.js';
import { propertiesBody } from './write-organization.js';
import { fingerprintsOf } from './write-only.js';

const segment = encodeURIComponent;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the plan does not carry about a user but a create needs: the provided id (the plan knows only the key, which
 * is the provided id or the primary email), whether each identity is verified, and the connection of a social or
 * enterprise identity. Given when the caller has the config's UserSpec; without it, see `providedIdOf`,
 * `verifiedOf` and `connectionOf` for what idm assumes.
 */
export type UserDetails = Pick<UserSpec, 'id' | 'identities'>;

/** The identity types the create takes; others are added after it, one call each. */
const createTypes = new Set(['email', 'phone', 'username']);

interface Identity {
  readonly type: string;
  readonly value: string;
  /** `type:value`, as states hold it. */
  readonly text: string;
}

/** `oauth2:google:ada@acme.com` -> type `oauth2:google`; otherwise the type ends at the first colon. */
function parseIdentity(text: string): Identity {
  const colon = text.startsWith('oauth2:') ? text.indexOf(':', 'oauth2:'.length) : text.indexOf(':');
  if (colon <= 0) throw new IdmError(`The identity ${JSON.stringify(text)} has no type`, 'INVALID_CHANGE', 'this is a bug in idm: identities are `type:value`');
  return { type: text.slice(0, colon), value: text.slice(colon + 1), text };
}

const list = (state: FlatState | null, path: string): string[] => {
  const value = state?.[path];
  return Array.isArray(value) ? [...value] : [];
};
const text = (state: FlatState, path: string): string | undefined => (typeof state[path] === 'string' ? (state[path] as string) : undefined);

/** Keys added and removed by a set diff; a write-only one (the set could not be read) only adds. */
function setChange(diff: FieldDiff | undefined): { added: string[]; removed: string[] } {
  if (!diff) return { added: [], removed: [] };
  if (isSetDiff(diff)) return { added: [...diff.added], removed: [...diff.removed] };
  if (isWriteOnlyDiff(diff) && Array.isArray(diff.after)) return { added: [...diff.after], removed: [] };
  return { added: [], removed: [] };
}

/**
 * The Kinde id of the user a change names, matched as the planner matched it: by provided id, then by primary email
 * (a delete's key is the provided id, the email or the Kinde id, whichever the user had first). Users created in
 * this run are remembered by key.
 */
export class UserDirectory {
  private readonly byProvidedId = new Map<string, string>();
  private readonly byEmail = new Map<string, string>();
  private readonly ids = new Set<string>();
  private readonly created = new Map<string, string>();

  constructor(users: Iterable<LiveUser>) {
    for (const u of users) {
      this.ids.add(u.id);
      if (u.providedId !== null) this.byProvidedId.set(u.providedId, u.id);
      if (u.email !== null) this.byEmail.set(u.email, u.id);
    }
  }

  set(key: string, id: string): void {
    this.created.set(key, id);
  }

  find(key: string, state: FlatState | null): string | undefined {
    const emails = [text(state ?? {}, 'primary.email'), ...list(state, 'identities').map(parseIdentity).filter((i) => i.type === 'email').map((i) => i.value)];
    return (
      this.created.get(key) ??
      this.byProvidedId.get(key) ??
      emails.map((e) => (e === undefined ? undefined : this.byEmail.get(e))).find((id) => id !== undefined) ??
      this.byEmail.get(key.toLowerCase()) ??
      (this.ids.has(key) ? key : undefined)
    );
  }
}

export interface UserContext {
  readonly client: KindeClient;
  readonly records: StateRecords;
  /** External id -> org code. */
  readonly orgs: IdDirectory;
  readonly roles: IdDirectory;
  readonly permissions: IdDirectory;
  readonly users: UserDirectory;
}

/**
 * The provided id to create a user with. The key is the config's `id` when it has one, else the primary email: a key
 * that is one of the user's emails is taken for the latter.
 */
function providedIdOf(key: string, identities: readonly Identity[], details: UserDetails | undefined): string | undefined {
  if (details) return details.id;
  return identities.some((i) => i.type === 'email' && i.value === key.toLowerCase()) ? undefined : key;
}

const specOf = (details: UserDetails | undefined, identity: Identity): IdentitySpec | undefined =>
  details?.identities.find((i) => i.type === identity.type && identityValue(i.type, i.value) === identity.value);

/** Without the config's word, an identity is not claimed verified: a wrong "verified" would let others link to it. */
const verifiedOf = (details: UserDetails | undefined, identity: Identity): boolean => specOf(details, identity)?.verified ?? false;

function connectionOf(details: UserDetails | undefined, identity: Identity, key: string): string {
  const connection = specOf(details, identity)?.connectionId;
  if (connection) return connection;
  throw new IdmError(
    `Cannot add the ${identity.type} identity of the user "${key}": Kinde needs its connection id, and idm was not given one`,
    'IDENTITY_CONNECTION_UNKNOWN',
    `set connection_id on the identity in the config${details ? '' : " (this apply was not given the config's user details)"}`,
  );
}

/** The body of an identity added to an existing user (`POST /users/{id}/identities`). */
function identityBody(identity: Identity, details: UserDetails | undefined, key: string): Record<string, string> {
  if (createTypes.has(identity.type)) return { type: identity.type, value: identity.value };
  const type = identity.type.startsWith('oauth2:') ? 'social' : identity.type;
  return { type, value: identity.value, connection_id: connectionOf(details, identity, key) };
}

// --- passwords ---------------------------------------------------------------------------------------------------

type PasswordField = 'salt' | 'salt_position' | 'iterations' | 'variant' | 'signer_key' | 'salt_separator' | 'rounds' | 'mem_cost';

/** The fields of `PUT /users/{id}/password` each method uses; the spec rejects the others (or ignores them). */
const passwordFields: Readonly<Record<HashingMethod, readonly PasswordField[]>> = {
  bcrypt: [],
  crypt: ['salt', 'salt_position'],
  md5: ['salt', 'salt_position'],
  sha256: ['salt', 'salt_position'],
  wordpress: ['salt', 'salt_position'],
  pbkdf2: ['salt', 'salt_position', 'iterations', 'variant'],
  'firebase-scrypt': ['salt', 'signer_key', 'salt_separator', 'rounds', 'mem_cost'],
  // The salt is inside the hash; the spec says to send none of salt, salt_position, iterations and variant.
  'aspnet-identity-v2': [],
};

/** Methods whose salt Kinde takes base64-encoded. */
const base64Salt = new Set<HashingMethod>(['pbkdf2', 'firebase-scrypt']);

/**
 * The password body. bcrypt's `$2b$` (and `$2y$`) hashes are sent as `$2a$`: the same algorithm under the prefix
 * Kinde's bcrypt accepts. The spec has no salt format field: a hex salt is turned into the base64 that pbkdf2 and
 * firebase-scrypt take, and refused for the methods that take the salt as text (sent as is, it would be the
 * wrong salt, and the password would silently never match).
 */
export function passwordBody(password: PasswordSpec, key: string): Record<string, string | number | boolean> {
  const hash = password.method === 'bcrypt' ? password.hash.replace(/^\$2[by]\$/, '$2a$') : password.hash;
  const fields = new Set(passwordFields[password.method]);
  let salt = password.salt;
  if (salt !== undefined && fields.has('salt') && password.saltFormat === 'hex') {
    if (!base64Salt.has(password.method)) {
      throw new IdmError(
        `The password of the user "${key}" has a hex salt, which Kinde's API cannot take for ${password.method}`,
        'PASSWORD_SALT_FORMAT',
        `give the salt as the text ${password.method} used (salt_format: string), or import this user in the Kinde admin UI`,
      );
    }
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(salt)) {
      throw new IdmError(`The password salt of the user "${key}" is not hex`, 'PASSWORD_SALT_FORMAT', 'check salt and salt_format in the config');
    }
    salt = Buffer.from(salt, 'hex').toString('base64');
  }
  const optional: Record<PasswordField, string | number | undefined> = {
    salt,
    salt_position: password.saltPosition,
    iterations: password.iterations,
    variant: password.variant,
    signer_key: password.signerKey,
    salt_separator: password.saltSeparator,
    rounds: password.rounds,
    mem_cost: password.memCost,
  };
  const body: Record<string, string | number | boolean> = { hashed_password: hash, hashing_method: password.method };
  for (const field of fields) {
    const value = optional[field];
    if (value !== undefined) body[field] = value;
  }
  body.is_temporary_password = password.temporary;
  return body;
}

/** An error of the password call without any secret in it: a server may quote what it was sent. */
function scrubbed(error: unknown, password: PasswordSpec, body: Record<string, unknown>): unknown {
  const secrets = [password.hash, String(body.hashed_password), password.salt, String(body.salt ?? ''), password.signerKey, password.saltSeparator]
    .filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const scrub = (message: string): string => secrets.reduce((m, s) => m.split(s).join('[redacted]'), message);
  if (error instanceof ApiError) {
    const message = scrub(error.apiMessage);
    return message === error.apiMessage ? error : new ApiError(error.method, error.path, error.status, error.apiCode, message, error.hint);
  }
  if (error instanceof Error && secrets.some((s) => error.message.includes(s))) {
    return new IdmError(scrub(error.message), error instanceof IdmError ? error.code : 'PASSWORD_FAILED', error instanceof IdmError ? error.hint : undefined);
  }
  return error;
}

async function setPassword(context: UserContext, userId: string, key: string, password: PasswordSpec | undefined): Promise<void> {
  if (!password) {
    throw new IdmError(
      `The password of the user "${key}" cannot be set: idm was not given its hash`,
      'PASSWORD_UNAVAILABLE',
      'plans never hold password hashes: apply with the config that has the hash (-c)',
    );
  }
  const body = passwordBody(password, key);
  try {
    await context.client.call('PUT', `/users/${segment(userId)}/password`, { body });
  } catch (error) {
    throw scrubbed(error, password, body);
  }
}

// --- the writer ----------------------------------------------------------------------------------------------------

function createdUserId(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const id = body.id ?? (isRecord(body.user) ? body.user.id : undefined);
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function createdIdentityId(body: unknown): string | undefined {
  const identity = isRecord(body) ? body.identity : undefined;
  const id = isRecord(identity) ? identity.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** One user's calls, with what they learn on the way (ids of identities) shared between them. */
class UserWrite {
  /** `type:value` -> identity id: those created here, then, once listed, all of the user's. */
  private readonly identityIds = new Map<string, string>();
  private listed = false;
  readonly written: string[] = [];
  /** Written paths a read will not see (the primary among several social identities of a type). */
  readonly unreadable: string[] = [];

  constructor(
    private readonly context: UserContext,
    private readonly key: string,
    private readonly id: string,
    private readonly details: UserDetails | undefined,
  ) {}

  private get client(): KindeClient {
    return this.context.client;
  }

  private get user(): string {
    return `/users/${segment(this.id)}`;
  }

  /** The user's identities as Kinde lists them now: the only place identity ids are found. */
  private async listIdentities(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const item of await this.client.listCursor(`${this.user}/identities`, 'identities', undefined)) {
      const type = typeof item.type === 'string' ? item.type : '';
      const value = typeof item.name === 'string' && item.name !== '' ? item.name : typeof item.email === 'string' ? item.email : '';
      if (type !== '' && value !== '' && isManagedIdentityType(type)) found.set(`${type}:${identityValue(type, value)}`, item.id as string);
    }
    return found;
  }

  private async identityId(identity: Identity): Promise<string | undefined> {
    if (!this.identityIds.has(identity.text) && !this.listed) {
      for (const [text, id] of await this.listIdentities()) this.identityIds.set(text, id);
      this.listed = true;
    }
    return this.identityIds.get(identity.text);
  }

  async addIdentity(identity: Identity): Promise<void> {
    let found: string | undefined;
    const result = await this.client.call('POST', `${this.user}/identities`, {
      body: identityBody(identity, this.details, this.key),
      alreadyDone: async () => (found = (await this.listIdentities()).get(identity.text)) !== undefined,
    });
    const id = result.recovered ? found : createdIdentityId(result.body);
    if (id !== undefined) this.identityIds.set(identity.text, id);
  }

  async makePrimary(identity: Identity): Promise<void> {
    const id = await this.identityId(identity);
    if (id === undefined) {
      throw new IdmError(`The user "${this.key}" has no identity ${JSON.stringify(identity.text)} to make primary`, 'IDENTITY_NOT_FOUND', 'the tenant changed while idm was applying; run idm plan again');
    }
    await this.client.call('PATCH', `/identities/${segment(id)}`, { body: { is_primary: true } });
  }

  async deleteIdentity(identity: Identity): Promise<void> {
    const id = await this.identityId(identity);
    if (id === undefined) return; // gone already: what was asked
    await this.client.call('DELETE', `/identities/${segment(id)}`);
    this.identityIds.delete(identity.text);
  }

  /** Whether the user is a member of the org now: the check before re-sending a membership add whose answer was lost. */
  private async memberOf(code: string): Promise<boolean> {
    const body = await this.client.object('GET', '/users', { query: { user_id: this.id, expand: 'organizations' } });
    const users = Array.isArray(body.users) ? body.users : [];
    return users.some((u) => isRecord(u) && u.id === this.id && Array.isArray(u.organizations) && u.organizations.includes(code));
  }

  async join(code: string, roles: readonly string[], permissions: readonly string[]): Promise<void> {
    await this.client.call('POST', `/organizations/${segment(code)}/users`, {
      body: { users: [{ id: this.id, roles, permissions }] },
      alreadyDone: () => this.memberOf(code),
    });
  }

  /** Adds grants in an org the user belongs to (or joins it with them): one bulk PATCH, by key. */
  async grant(code: string, roles: readonly string[], permissions: readonly string[]): Promise<void> {
    if (roles.length === 0 && permissions.length === 0) return;
    await this.client.call('PATCH', `/organizations/${segment(code)}/users`, {
      body: { users: [{ id: this.id, ...(roles.length > 0 ? { roles } : {}), ...(permissions.length > 0 ? { permissions } : {}) }] },
    });
  }

  /** Revokes grants one by one (the bulk update can only add them), by id; one that no longer exists is not granted. */
  async revoke(code: string, roles: readonly string[], permissions: readonly string[]): Promise<void> {
    const base = `/organizations/${segment(code)}/users/${segment(this.id)}`;
    const [roleIds, permissionIds] = await Promise.all([
      roles.length > 0 ? this.context.roles.lookup(roles) : [],
      permissions.length > 0 ? this.context.permissions.lookup(permissions) : [],
    ]);
    for (const id of roleIds) if (id !== undefined) await this.client.call('DELETE', `${base}/roles/${segment(id)}`);
    for (const id of permissionIds) if (id !== undefined) await this.client.call('DELETE', `${base}/permissions/${segment(id)}`);
  }

  async leave(code: string): Promise<void> {
    try {
      await this.client.call('DELETE', `/organizations/${segment(code)}/users/${segment(this.id)}`);
    } catch (error) {
      // Not a member (any more: a retry after a lost answer hears this too) is what was asked.
      if (!(error instanceof ApiError && error.status === 400 && /NOT_IN_ORGANIZATION$|NOT_FOUND$/.test(error.apiCode ?? ''))) throw error;
    }
  }

  async updateProfile(body: Record<string, Value>): Promise<void> {
    await this.client.call('PATCH', '/user', { query: { id: this.id }, body });
  }

  async setProperties(after: FlatState, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.client.call('PATCH', `${this.user}/properties`, { body: propertiesBody(after, paths) });
  }

  async setFlag(key: string, value: Value | undefined): Promise<void> {
    // As for orgs, the override value travels in the query string.
    await this.client.call('PATCH', `${this.user}/feature_flags/${segment(key)}`, { query: { value: flagValueText(value) } });
  }
}

const grantsOf = (after: FlatState, ext: string) => ({
  roles: list(after, `organizations.${ext}.roles`).sort(byText),
  permissions: list(after, `organizations.${ext}.permissions`).sort(byText),
});

const flagPrefix = 'feature_flags.';
const propertyPrefix = 'properties.';
const primaryPrefix = 'primary.';

/** Whether a user read shows this primary (the top-level email, username and phone). */
const isReadablePrimary = (path: string): boolean => (readablePrimaryTypes as readonly string[]).includes(path.slice(primaryPrefix.length));

function checkPaths(change: UserChange & { after: FlatState }): void {
  const known = (path: string): boolean =>
    ['first_name', 'last_name', 'suspended', 'identities', 'organizations', 'password.method', 'password.version', 'password.temporary'].includes(path) ||
    /^organizations\..+\.(roles|permissions)$/.test(path) ||
    [flagPrefix, propertyPrefix, primaryPrefix].some((prefix) => path.startsWith(prefix) && path.length > prefix.length);
  const unknown = Object.keys(change.after).filter((p) => !known(p));
  if (unknown.length > 0) {
    throw new IdmError(`idm cannot write ${unknown.join(', ')} of the user "${change.key}"`, 'INVALID_CHANGE', 'this is a bug in idm: the plan holds a field no call writes');
  }
}

export async function writeUser(context: UserContext, change: UserChange, password: PasswordSpec | undefined, details?: UserDetails): Promise<void> {
  const { client, records, users } = context;
  const object = writeOnlyKey('user', change.key);
  if (change.action === 'delete') {
    const id = users.find(change.key, change.before);
    if (id === undefined) {
      throw new IdmError(`No user "${change.key}" exists in Kinde`, 'USER_NOT_FOUND', 'the tenant changed while idm was applying; run idm plan again');
    }
    // is_delete_profile: all of the user's data goes, the subscriber list entry included, as a config prune means.
    await client.call('DELETE', '/user', { query: { id, is_delete_profile: 'true' } });
    await records.remove(object);
    return;
  }
  checkPaths(change);
  const write = change.action === 'create' ? await create(context, change, password, details) : await update(context, change, password, details);
  await records.record(object, fingerprintsOf('user', write.written, change.after, change.diff, write.unreadable));
}

/** The user listed under its primary email, username or phone now: the check before re-sending a lost create. */
async function existing(client: KindeClient, identities: readonly Identity[], after: FlatState): Promise<string | undefined> {
  const pick = (type: string) => text(after, `${primaryPrefix}${type}`) ?? identities.find((i) => i.type === type)?.value;
  for (const type of ['email', 'username', 'phone'] as const) {
    const value = pick(type);
    if (value === undefined) continue;
    const body = await client.object('GET', '/users', { query: { [type]: value } });
    const found = (Array.isArray(body.users) ? body.users : []).find(
      (u) => isRecord(u) && typeof u.id === 'string' && typeof u[type] === 'string' && identityValue(type, u[type] as string) === value,
    ) as { id: string } | undefined;
    return found?.id;
  }
  return undefined;
}

async function create(context: UserContext, change: UserChange & { action: 'create' }, password: PasswordSpec | undefined, details: UserDetails | undefined): Promise<UserWrite> {
  const { client, orgs, users } = context;
  const { key, after } = change;
  const identities = list(after, 'identities').map(parseIdentity);
  const orgList = list(after, 'organizations').sort(byText);
  const codes = new Map(orgList.map((ext, i) => [ext, i]));
  const orgCodes = await orgs.resolve(orgList);
  const codeOf = (ext: string): string => orgCodes[codes.get(ext)!]!;
  // The create joins one org for free; one without grants needs no further call at all.
  const first = orgList.find((ext) => {
    const g = grantsOf(after, ext);
    return g.roles.length === 0 && g.permissions.length === 0;
  }) ?? orgList[0];

  const primary = (i: Identity): boolean => text(after, `${primaryPrefix}${i.type}`) === i.value;
  // The primary of each type goes first, in case Kinde makes the first identity of a type its primary.
  const basic = identities.filter((i) => createTypes.has(i.type)).sort((a, b) => byText(a.type, b.type) || Number(primary(b)) - Number(primary(a)));
  const profile = Object.fromEntries([['given_name', text(after, 'first_name')], ['family_name', text(after, 'last_name')]].filter(([, v]) => v !== undefined));
  const providedId = providedIdOf(key, identities, details);
  let found: string | undefined;
  const result = await client.call('POST', '/user', {
    body: {
      ...(Object.keys(profile).length > 0 ? { profile } : {}),
      ...(first === undefined ? {} : { organization_code: codeOf(first) }),
      ...(providedId === undefined ? {} : { provided_id: providedId }),
      identities: basic.map((i) => ({ type: i.type, is_verified: verifiedOf(details, i), details: { [i.type]: i.value } })),
    },
    alreadyDone: async () => (found = await existing(client, identities, after)) !== undefined,
  });
  const id = result.recovered ? found : createdUserId(result.body) ?? (await existing(client, identities, after));
  if (id === undefined) {
    throw new IdmError(`Kinde created the user "${key}" but did not say its id, and idm could not find it`, 'USER_NOT_FOUND', 'run idm plan again: the user will be matched, not created twice');
  }
  users.set(key, id);
  const write = new UserWrite(context, key, id, details);
  write.written.push('first_name', 'last_name', 'identities', 'organizations');

  for (const ext of orgList) {
    const g = grantsOf(after, ext);
    if (ext === first) await write.grant(codeOf(ext), g.roles, g.permissions);
    else await write.join(codeOf(ext), g.roles, g.permissions);
    write.written.push(`organizations.${ext}.roles`, `organizations.${ext}.permissions`);
  }
  for (const identity of identities.filter((i) => !createTypes.has(i.type))) await write.addIdentity(identity);
  // The only identity of its type is its primary; of several, the primary is made so explicitly (whatever Kinde
  // makes of the order they were created in).
  for (const identity of identities) {
    if (!primary(identity)) continue;
    const path = `${primaryPrefix}${identity.type}`;
    if (identities.filter((i) => i.type === identity.type).length > 1) {
      await write.makePrimary(identity);
      if (!isReadablePrimary(path)) write.unreadable.push(path);
    }
    write.written.push(path);
  }
  if ('password.method' in after) {
    await setPassword(context, id, key, password);
    write.written.push('password.method', 'password.version', 'password.temporary');
  }
  // Kinde cannot create a suspended user.
  if (after.suspended === true) await write.updateProfile({ is_suspended: true });
  write.written.push('suspended');
  const properties = Object.keys(after).filter((p) => p.startsWith(propertyPrefix));
  await write.setProperties(after, properties);
  write.written.push(...properties);
  for (const path of Object.keys(after).filter((p) => p.startsWith(flagPrefix))) {
    await write.setFlag(path.slice(flagPrefix.length), after[path]);
    write.written.push(path);
  }
  return write;
}

async function update(context: UserContext, change: UserChange & { action: 'update' }, password: PasswordSpec | undefined, details: UserDetails | undefined): Promise<UserWrite> {
  const { orgs, users } = context;
  const { key, after } = change;
  const id = users.find(key, after);
  if (id === undefined) throw new IdmError(`No user "${key}" exists in Kinde`, 'USER_NOT_FOUND', 'the tenant changed while idm was applying; run idm plan again');
  const write = new UserWrite(context, key, id, details);
  const diffs = new Map(change.diff.map((d) => [d.path, d]));
  const paths = [...diffs.keys()];

  // Identities: add, make primary, then delete what they replace, so that a user always has a way to sign in.
  const identities = setChange(diffs.get('identities'));
  for (const identity of identities.added.map(parseIdentity)) await write.addIdentity(identity);
  for (const path of paths.filter((p) => p.startsWith(primaryPrefix))) {
    const value = after[path];
    if (typeof value === 'string') await write.makePrimary(parseIdentity(`${path.slice(primaryPrefix.length)}:${value}`));
  }
  for (const identity of identities.removed.map(parseIdentity)) await write.deleteIdentity(identity);
  write.written.push(...paths.filter((p) => p === 'identities' || p.startsWith(primaryPrefix)));

  // Memberships: joins carry their grants; in orgs kept, grants added in one PATCH and revoked one by one.
  const memberships = setChange(diffs.get('organizations'));
  const joined = new Set(memberships.added);
  const touched = [...new Set(paths.flatMap((p) => /^organizations\.(.+)\.(roles|permissions)$/.exec(p)?.[1] ?? []))].filter((ext) => !joined.has(ext));
  const orgIds = await orgs.lookup([...memberships.added, ...memberships.removed, ...touched]);
  const codeOf = new Map([...memberships.added, ...memberships.removed, ...touched].map((ext, i) => [ext, orgIds[i]]));
  const missing = [...memberships.added, ...touched].filter((ext) => codeOf.get(ext) === undefined);
  if (missing.length > 0) await orgs.resolve(missing); // throws, naming them
  for (const ext of memberships.added) {
    const g = grantsOf(after, ext);
    await write.join(codeOf.get(ext)!, g.roles, g.permissions);
  }
  for (const ext of touched) {
    const roles = setChange(diffs.get(`organizations.${ext}.roles`));
    const permissions = setChange(diffs.get(`organizations.${ext}.permissions`));
    await write.grant(codeOf.get(ext)!, roles.added, permissions.added);
    await write.revoke(codeOf.get(ext)!, roles.removed, permissions.removed);
  }
  for (const ext of memberships.removed) {
    const code = codeOf.get(ext);
    if (code !== undefined) await write.leave(code); // an org gone has no members
  }
  write.written.push(...paths.filter((p) => p === 'organizations' || /^organizations\..+\.(roles|permissions)$/.test(p)));

  if (paths.some((p) => p.startsWith('password.'))) {
    await setPassword(context, id, key, password);
    write.written.push('password.method', 'password.version', 'password.temporary');
  }
  const profileFields: Record<string, string> = { first_name: 'given_name', last_name: 'family_name', suspended: 'is_suspended' };
  const profile = paths.filter((p) => p in profileFields);
  if (profile.length > 0) {
    await write.updateProfile(Object.fromEntries(profile.map((p) => [profileFields[p]!, after[p] ?? null])));
    write.written.push(...profile);
  }
  const properties = paths.filter((p) => p.startsWith(propertyPrefix));
  await write.setProperties(after, properties);
  write.written.push(...properties);
  for (const path of paths.filter((p) => p.startsWith(flagPrefix))) {
    await write.setFlag(path.slice(flagPrefix.length), after[path]);
    write.written.push(path);
  }
  return write;
}
