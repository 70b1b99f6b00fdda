/**
 * An Auth0 user export: NDJSON (the bulk user export job, or the password hash export Auth0 support provides) or a
 * JSON list (the Management API's GET /users), mapped to users of `users.list`.
 *
 * | Auth0                                            | idm                                                            |
 * |--------------------------------------------------|----------------------------------------------------------------|
 * | user_id (else "auth0|" + _id.$oid)               | id (Kinde's provided_id)                                       |
 * | given_name, family_name                          | first_name, last_name                                          |
 * | blocked                                          | suspended                                                      |
 * | identity with provider auth0 (a database         | email identity (email, email_verified), and a username         |
 * |   connection, e.g. Username-Password-Authentication) |   identity when the user has a username; the password      |
 * | identity with provider email (passwordless)      | email identity                                                 |
 * | identity with provider sms                       | phone identity (phone_number, phone_verified)                  |
 * | google-oauth2, github, apple, windowslive,       | oauth2:google, oauth2:github, oauth2:apple, oauth2:microsoft,  |
 * |   microsoft, facebook, twitter, linkedin,        |   oauth2:microsoft, oauth2:facebook, oauth2:twitter,           |
 * |   twitch, bitbucket                              |   oauth2:linkedin, oauth2:twitch, oauth2:bitbucket; the value  |
 * |                                                  |   is the provider's user id, and the email (if any) is added   |
 * |                                                  |   as an email identity, as Kinde's own export does             |
 * | enterprise connections (samlp, waad, adfs, oidc, | email identity: Kinde links such users to the enterprise       |
 * |   okta, google-apps, ad, ...)                    |   connection by their email domain once it is set up           |
 * | passwordHash (bcrypt)                            | password { method: bcrypt }                                    |
 * | custom_password_hash { algorithm: bcrypt, md5,   | password with that method; base64 md5/sha256 hashes and salts  |
 * |   sha256; hash; salt }                           |   are turned into hex, which Kinde takes                       |
 *
 * Auth0 exports hold no organizations: name one with users_file `default_organization`. Other providers and hashing
 * algorithms (sha1, sha512, argon2, pbkdf2 in PHC form, ldap) have no Kinde equivalent and are errors. Fields with no
 * Kinde counterpart (picture, logins_count, app_metadata, ...) are reported once each, with a count.
 */
import type { Diagnostic } from '../../errors.js';
import { ConfigCode } from '../codes.js';
import { Describer, userLabel } from '../describe.js';
import { error, quote } from '../diagnostic.js';
import type { Path } from '../source.js';
import { fileUserView, PathLocator, type UserCandidate } from '../users/view.js';
import { isMapping, RecordReader } from './fields.js';
import { jsonRecords, type JsonRecord } from './json.js';
import { IgnoredFields, type UsersRead } from './read.js';
import { LineIndex, skipBom } from './text.js';

/** Auth0 social providers and the Kinde social connection each becomes. */
export const auth0SocialProviders: Readonly<Record<string, string>> = {
  'google-oauth2': 'oauth2:google',
  github: 'oauth2:github',
  apple: 'oauth2:apple',
  windowslive: 'oauth2:microsoft',
  microsoft: 'oauth2:microsoft',
  facebook: 'oauth2:facebook',
  twitter: 'oauth2:twitter',
  linkedin: 'oauth2:linkedin',
  twitch: 'oauth2:twitch',
  bitbucket: 'oauth2:bitbucket',
};

/** Auth0 enterprise connection strategies: imported by email, which Kinde matches to its enterprise connection. */
const enterpriseProviders = new Set(['samlp', 'waad', 'adfs', 'oidc', 'okta', 'google-apps', 'ad', 'auth0-adldap', 'pingfederate', 'sharepoint', 'ip']);

const ignoredWhy: Readonly<Record<string, string>> = {
  name: 'Kinde takes display names from given_name and family_name, which are imported',
  nickname: 'Kinde has no nickname',
  picture: 'Kinde takes the picture from the provider at sign-in',
  created_at: 'sign-in history stays with Auth0',
  updated_at: 'sign-in history stays with Auth0',
  last_login: 'sign-in history stays with Auth0',
  last_ip: 'sign-in history stays with Auth0',
  logins_count: 'sign-in history stays with Auth0',
  password_set_date: 'Kinde records when it sets the password',
  app_metadata: 'copy what you need into user properties (idm NDJSON format)',
  user_metadata: 'copy what you need into user properties (idm NDJSON format)',
  multifactor: 'users enrol their second factor again in Kinde',
  phone_number: 'only users of the sms connection sign in with their phone number',
};
const mapped = new Set(['user_id', '_id', 'email', 'email_verified', 'username', 'phone_number', 'phone_verified', 'given_name', 'family_name', 'blocked', 'identities', 'passwordHash', 'custom_password_hash', 'connection']);
const exportDetails = new Set(['tenant', '_tmp_is_unique']);

export function readAuth0(text: string, file: string): UsersRead {
  const lines = new LineIndex(file, text);
  const { records, fatal } = jsonRecords(lines, skipBom(text));
  if (fatal) return { fatal: [error(ConfigCode.JsonSyntax, `invalid JSON: ${fatal.message}`, fatal.location, 'fix the JSON at this position; a JSON validator shows the exact spot')], warnings: [], candidates: [] };
  const ignored = new IgnoredFields('export');
  const candidates = records.map((record) => convert(record, file, ignored));
  return { fatal: [], warnings: ignored.warnings(), candidates };
}

/** base64 -> hex, for hashes and salts Kinde takes only in hex. */
const base64ToHex = (s: string): string => Buffer.from(s, 'base64').toString('hex');
const isBase64 = (s: string): boolean => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 0;

function label(value: unknown, line: number): string {
  const v = isMapping(value) ? value : {};
  const oid = isMapping(v._id) && typeof v._id.$oid === 'string' ? `auth0|${v._id.$oid}` : undefined;
  return userLabel({ id: v.user_id ?? oid, identities: [{ type: 'email', value: v.email }] }, `the user on line ${line}`);
}

function convert(record: JsonRecord, file: string, ignored: IgnoredFields): UserCandidate {
  const name = label(record.value, record.line);
  const problems: Diagnostic[] = [];
  const loc = new PathLocator(record.locator.index, record.locator.offset([]));
  const view = fileUserView(file, 'auth0', name, [record.line], (path, options) => loc.locate(path, options), false);
  if (record.syntax) {
    problems.push(error(ConfigCode.JsonSyntax, `line ${record.line} is not valid JSON: ${record.syntax.message}`, record.syntax.location, 'each line holds one user as a JSON object; fix the JSON at this position'));
    return { raw: undefined, view, problems };
  }
  if (!isMapping(record.value)) {
    problems.push(error(ConfigCode.WrongType, `each user of an Auth0 export must be a JSON object`, record.locator.locate([]), 'export the users from Auth0 again, as JSON'));
    return { raw: undefined, view, problems };
  }
  const user = record.value;
  const r = new RecordReader(user, record.locator, new Describer(record.locator, user, new Map(), name), problems);
  const set = (to: Path, from: Path): void => loc.set(to, record.locator.offset(from), record.locator.offset(from, { key: true }));
  const raw: Record<string, unknown> = {};
  const fail = (code: ConfigCode, message: string, path: Path, hint: string): void => void problems.push(error(code, message, r.at(path), hint));

  // The id: Auth0's user_id, which the password export writes as a Mongo id of the database connection.
  const userId = r.get(['user_id'], 'string');
  const oid = isMapping(user._id) ? r.get(['_id', '$oid'], 'string') : undefined;
  if (userId) {
    raw.id = userId;
    set(['id'], ['user_id']);
  } else if (oid) {
    raw.id = `auth0|${oid}`;
    set(['id'], ['_id', '$oid']);
  }
  for (const [to, from] of [['first_name', 'given_name'], ['last_name', 'family_name']] as const) {
    const v = r.get([from], 'string');
    if (v) {
      raw[to] = v;
      set([to], [from]);
    }
  }
  const blocked = r.get(['blocked'], 'boolean');
  if (blocked !== undefined) {
    raw.suspended = blocked;
    set(['suspended'], ['blocked']);
  }

  // Identities.
  const email = r.get(['email'], 'string');
  const emailVerified = r.get(['email_verified'], 'boolean') ?? false;
  const username = r.get(['username'], 'string');
  const phone = r.get(['phone_number'], 'string');
  const phoneVerified = r.get(['phone_verified'], 'boolean') ?? false;
  const identities: Record<string, unknown>[] = [];
  const added = new Set<string>();
  let usedPhone = false;
  const add = (type: string, value: string, verified: boolean, from: Path): void => {
    const id = `${type}:${type === 'email' || type === 'username' ? value.toLowerCase() : value}`;
    if (added.has(id)) return;
    added.add(id);
    set(['identities', identities.length], from);
    set(['identities', identities.length, 'value'], from);
    identities.push({ type, value, verified });
  };
  const addEmail = (needed: boolean, at: Path, why: string): void => {
    if (email) add('email', email, emailVerified, ['email']);
    else if (needed) fail(ConfigCode.UserNoIdentity, `${name} ${why}, but has no email`, at, 'export the users again with the email field, or remove this user');
  };

  const listed = r.get(['identities'], 'array');
  const connection = r.get(['connection'], 'string');
  // The password export has no identities, only the database connection's name.
  const connections: { provider: string; path: Path; userId?: string }[] = [];
  if (listed) {
    listed.forEach((item, j) => {
      const at: Path = ['identities', j];
      if (!r.get(at, 'object')) return;
      const provider = r.get([...at, 'provider'], 'string');
      if (!provider) return void r.missing(at, 'provider', 'export the users again with the identities field');
      const id = (item as Record<string, unknown>).user_id;
      connections.push({ provider, path: [...at, 'provider'], ...(typeof id === 'string' || typeof id === 'number' ? { userId: String(id) } : {}) });
    });
  } else {
    connections.push({ provider: 'auth0', path: connection ? ['connection'] : [] });
  }
  for (const c of connections) {
    if (c.provider === 'auth0') {
      addEmail(!username, c.path, 'is a database user');
      if (username) add('username', username, false, ['username']);
    } else if (c.provider === 'email') {
      addEmail(true, c.path, 'signs in with an email code');
    } else if (c.provider === 'sms') {
      usedPhone = true;
      if (phone) add('phone', phone, phoneVerified, ['phone_number']);
      else fail(ConfigCode.UserNoIdentity, `${name} signs in by SMS, but has no phone_number`, c.path, 'export the users again with the phone_number field, or remove this user');
    } else if (auth0SocialProviders[c.provider]) {
      addEmail(false, c.path, '');
      if (c.userId) add(auth0SocialProviders[c.provider]!, c.userId, true, c.path.slice(0, -1).concat('user_id'));
      else fail(ConfigCode.UserNoIdentity, `the ${c.provider} identity of ${name} has no user_id`, c.path, 'export the users again with the identities field');
    } else if (enterpriseProviders.has(c.provider)) {
      addEmail(true, c.path, `signs in through an enterprise connection (${c.provider})`);
      ignored.note(`identities[].provider: ${c.provider}`, r.at(c.path), 'enterprise users are imported by email; set up the connection in Kinde first, and Kinde links them to it by their email domain');
    } else {
      fail(
        ConfigCode.InvalidIdentity,
        `the Auth0 provider ${quote(c.provider)} of ${name} has no Kinde equivalent`,
        c.path,
        `Kinde imports these Auth0 providers: auth0 (database), email, sms, ${Object.keys(auth0SocialProviders).join(', ')}; remove this user or this identity`,
      );
    }
  }
  if (phone && !usedPhone) ignored.note('phone_number', r.at(['phone_number'], { key: true }), ignoredWhy.phone_number!);
  raw.identities = identities;
  // An identity that could not be mapped is an error already: that the user is left with none follows from it.
  const incomplete = new Set<'identities' | 'organizations'>(problems.length > 0 ? ['identities'] : []);

  // The password.
  const plain = r.get(['passwordHash'], 'string');
  const custom = r.get(['custom_password_hash'], 'object');
  if (plain !== undefined && custom !== undefined) {
    fail(ConfigCode.PasswordNoHash, `${name} has both passwordHash and custom_password_hash`, ['custom_password_hash'], 'keep one of the two');
  } else if (plain !== undefined) {
    raw.password = { method: 'bcrypt', hash: plain };
    set(['password'], ['passwordHash']);
    set(['password', 'hash'], ['passwordHash']);
  } else if (custom) {
    const password = customHash(r, name, fail);
    if (password) {
      raw.password = password;
      set(['password'], ['custom_password_hash']);
      set(['password', 'method'], ['custom_password_hash', 'algorithm']);
      set(['password', 'hash'], ['custom_password_hash', 'hash', 'value']);
      for (const [to, from] of [['salt', 'value'], ['salt_position', 'position'], ['salt_format', 'encoding']] as const) set(['password', to], ['custom_password_hash', 'salt', from]);
    }
  }

  for (const field of Object.keys(user)) {
    if (mapped.has(field) || exportDetails.has(field)) continue;
    ignored.note(field, r.at([field], { key: true }), ignoredWhy[field] ?? 'idm maps no Kinde field from it');
  }
  raw.organizations = [];
  return { raw, view, problems, incomplete };
}

/** Auth0's import format for hashes from elsewhere, as Kinde takes them; undefined (with an error) when it cannot. */
function customHash(r: RecordReader, name: string, fail: (code: ConfigCode, message: string, path: Path, hint: string) => void): Record<string, string> | undefined {
  const base = ['custom_password_hash'];
  const algorithm = r.get([...base, 'algorithm'], 'string');
  const value = r.get([...base, 'hash', 'value'], 'string');
  if (!algorithm) return void r.missing(base, 'algorithm', 'add "algorithm": bcrypt, md5 or sha256');
  if (!value) return void r.missing([...base, 'hash'], 'value', 'add "value": the hash');
  const method = algorithm.toLowerCase();
  if (method === 'bcrypt') return { method, hash: value };
  if (method !== 'md5' && method !== 'sha256') {
    return void fail(
      ConfigCode.PasswordUnsupported,
      `the ${quote(algorithm)} password hash of ${name} cannot be imported into Kinde`,
      [...base, 'algorithm'],
      'Kinde takes bcrypt, md5 and sha256 hashes from Auth0; users with other hashes can import without a password and reset it',
    );
  }
  const encoding = (r.get([...base, 'hash', 'encoding'], 'string') ?? 'hex').toLowerCase();
  let hash = value;
  if (encoding === 'base64') {
    if (!isBase64(value)) return void fail(ConfigCode.PasswordHashFormat, `the password hash of ${name} is not base64, as its encoding says`, [...base, 'hash', 'value'], 'export the hash again');
    hash = base64ToHex(value);
  } else if (encoding !== 'hex') {
    return void fail(ConfigCode.PasswordUnsupported, `the password hash of ${name} is encoded as ${quote(encoding)}; Kinde takes md5 and sha256 hashes in hex`, [...base, 'hash', 'encoding'], 'export the hash as hex or base64');
  }
  const out: Record<string, string> = { method, hash };
  const salt = r.get([...base, 'salt'], 'object');
  if (salt) {
    const saltValue = r.get([...base, 'salt', 'value'], 'string');
    const position = r.choice([...base, 'salt', 'position'], ['prefix', 'suffix'] as const);
    const saltEncoding = (r.get([...base, 'salt', 'encoding'], 'string') ?? 'utf8').toLowerCase();
    if (saltValue) {
      if (saltEncoding === 'base64') {
        out.salt = base64ToHex(saltValue);
        out.salt_format = 'hex';
      } else if (saltEncoding === 'hex') {
        out.salt = saltValue;
        out.salt_format = 'hex';
      } else {
        out.salt = saltValue;
        out.salt_format = 'string';
      }
      if (position) out.salt_position = position;
    }
  }
  return out;
}
