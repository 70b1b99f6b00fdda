/**
 * Users files, converted on their own (for `idm users convert`) or read for a config: the format is detected or
 * named, each user is read and checked, and every problem is located in the file.
 */
import { extname } from 'node:path';
import type { Diagnostic } from '../../errors.js';
import type { FlagType, FlagValue, UserSpec } from '../../model/desired.js';
import { ConfigCode } from '../codes.js';
import { byPosition, error } from '../diagnostic.js';
import type { UsersFileFormat } from '../schema.js';
import { checkUser, type CheckedUser, type UserContext } from '../users/check-user.js';
import { checkDuplicates, flagValueFromText } from '../users/cross-check.js';
import { readAuth0 } from './auth0.js';
import { isMapping } from './fields.js';
import { readIdmNdjson } from './idm-ndjson.js';
import { jsonRecords } from './json.js';
import { readKindeCsv } from './kinde-csv.js';
import { readKindeNdjson } from './kinde-ndjson.js';
import type { UsersRead } from './read.js';
import { LineIndex, skipBom } from './text.js';

export const usersFileFormats: readonly UsersFileFormat[] = ['idm', 'kinde-csv', 'kinde-ndjson', 'auth0'];

/** Reads the users of a file in a known format, unchecked. */
export function readUsers(text: string, format: UsersFileFormat, file: string): UsersRead {
  switch (format) {
    case 'idm':
      return readIdmNdjson(text, file);
    case 'kinde-csv':
      return readKindeCsv(text, file);
    case 'kinde-ndjson':
      return readKindeNdjson(text, file);
    case 'auth0':
      return readAuth0(text, file);
  }
}

export interface Detection {
  readonly format?: UsersFileFormat;
  /** Why no format could be told, when `format` is absent. */
  readonly reason?: string;
}

/**
 * The format of a users file, from its extension and its first record: .csv is Kinde's CSV; JSON records are told
 * apart by fields only one format has (Auth0's user_id and identities[].connection, Kinde's identities[].identity and
 * hashing_algorithm, idm's identities[].value and password.method).
 */
export function detectUsersFormat(text: string, file: string): Detection {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return { format: 'kinde-csv' };
  if (ext === '.yaml' || ext === '.yml') return { reason: 'a YAML file is not a users file: put the users in the config under users.list, or write them as NDJSON' };
  const lines = new LineIndex(file, text);
  const first = jsonRecords(lines, skipBom(text), true).records.find((r) => r.value !== undefined)?.value;
  if (!isMapping(first)) {
    const looksCsv = /^[^{[\n]*,[^\n]*\n/.test(text.slice(skipBom(text)));
    return looksCsv ? { format: 'kinde-csv' } : { reason: 'its first record is neither a JSON object nor a CSV heading row' };
  }
  const identities = Array.isArray(first.identities) ? first.identities.filter(isMapping) : [];
  const has = (field: string): boolean => identities.some((i) => field in i);
  const password = isMapping(first.password) ? first.password : {};
  if ('user_id' in first || '_id' in first || 'passwordHash' in first || 'custom_password_hash' in first || 'given_name' in first || has('connection') || has('isSocial')) return { format: 'auth0' };
  if (has('identity') || 'hashing_algorithm' in password || 'hashed_password' in password || Array.isArray(first.properties) || Array.isArray(first.feature_flags)) return { format: 'kinde-ndjson' };
  if (has('value') || 'method' in password || 'hash' in password || isMapping(first.properties) || isMapping(first.feature_flags)) return { format: 'idm' };
  return { reason: 'its first record has none of the fields that tell idm, Kinde and Auth0 users apart' };
}

export interface ConvertOptions {
  /** The external id of the organization of users the file puts in none (Auth0 exports never name one). */
  readonly defaultOrganization?: string;
  /**
   * The types of feature flags, by key (from a config, when the caller has one). Kinde NDJSON writes every flag value
   * as text: with the types, "true" and "42" become true and 42, so the output reads back as the flags' types.
   * Without them, values stay text, and a config reading them later does the same.
   */
  readonly flagTypes?: Readonly<Record<string, FlagType>>;
}

export interface ConvertResult {
  /** The valid users, in file order. */
  readonly users: UserSpec[];
  /** Every problem, by position: errors (each spoiling its user, who is left out of `users`) and warnings. */
  readonly problems: Diagnostic[];
}

/** Reads and checks the users of a file; the users of `checked` with no errors are the valid ones. */
export function checkUsersFile(read: UsersRead, context: UserContext): CheckedUser[] {
  return Array.from(read.candidates, (c) => checkUser(c, context));
}

/**
 * Converts a users file on its own: no config, so references to organizations, roles, permissions and flags are
 * not checked (the config that reads the file does that). `format` undefined: detected.
 */
export function convertUsers(text: string, format: UsersFileFormat | undefined, fileName: string, options: ConvertOptions = {}): ConvertResult {
  const detected = format ? { format } : detectUsersFormat(text, fileName);
  if (!detected.format) {
    return {
      users: [],
      problems: [error(ConfigCode.UsersFormatUnknown, `cannot tell the format of ${fileName}: ${detected.reason}`, { file: fileName, line: 1, col: 1 }, `name the format: one of ${usersFileFormats.join(', ')}`)],
    };
  }
  const read = readUsers(text, detected.format, fileName);
  if (read.fatal.length > 0) return { users: [], problems: byPosition([...read.fatal, ...read.warnings]) };
  const checked = checkUsersFile(read, options.defaultOrganization === undefined ? {} : { defaultOrganization: options.defaultOrganization });
  checkDuplicates(checked);
  const types = options.flagTypes;
  const typed = (u: UserSpec): UserSpec =>
    types && detected.format === 'kinde-ndjson' && u.featureFlags
      ? { ...u, featureFlags: new Map([...u.featureFlags].map(([k, v]) => [k, types[k] ? (flagValueFromText(types[k]!, v) as FlagValue) : v])) }
      : u;
  const users = checked.filter((u) => u.errors.length === 0 && u.spec).map((u) => typed(u.spec!));
  const problems = [...read.warnings, ...checked.flatMap((u) => [...u.errors, ...u.warnings])];
  return { users, problems: byPosition(problems) };
}
