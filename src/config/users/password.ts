/**
 * Password hashes, checked offline against what each hashing method produces and takes (Kinde's
 * `PUT /users/{id}/password` and its import docs):
 *
 * | method             | hash                         | salt                | salt_position        | other parameters                                   |
 * |--------------------|------------------------------|---------------------|----------------------|----------------------------------------------------|
 * | bcrypt (default)   | $2a$NN$ + 53 of ./A-Za-z0-9  | no (in the hash)    | no                   |                                                    |
 * | md5                | 32 hex digits                | optional            | required with a salt | salt_format hex or string                          |
 * | sha256             | 64 hex digits                | optional            | required with a salt | salt_format hex or string                          |
 * | crypt, wordpress   | any, without whitespace      | optional            | no                   |                                                    |
 * | pbkdf2             | base64                       | required, base64    | no                   | variant (required), iterations (optional)          |
 * | firebase-scrypt    | base64                       | required, base64    | no                   | signer_key, salt_separator, rounds 1-16, mem_cost 1-20 (all required) |
 * | aspnet-identity-v2 | base64                       | no (in the hash)    | no                   |                                                    |
 *
 * Hashes and salts are secrets: no message or hint ever contains one, nor any part of one.
 */
import type { Diagnostic } from '../../errors.js';
import type { HashingMethod, PasswordSpec } from '../../model/desired.js';
import { ConfigCode } from '../codes.js';
import { error, warning } from '../diagnostic.js';
import type { Path } from '../source.js';
import { quoted, type UserView } from './view.js';

export const hashingMethods: readonly HashingMethod[] = ['bcrypt', 'crypt', 'md5', 'sha256', 'wordpress', 'pbkdf2', 'firebase-scrypt', 'aspnet-identity-v2'];
export const isHashingMethod = (m: unknown): m is HashingMethod => typeof m === 'string' && (hashingMethods as readonly string[]).includes(m);

const BCRYPT = /^\$2[abyx]?\$\d\d\$[./A-Za-z0-9]{53}$/;
const HEX = /^[0-9A-Fa-f]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const isBase64 = (s: string): boolean => s !== '' && BASE64.test(s);

/** Why `hash` is not what `method` produces, or undefined when it is. Never includes any of the hash. */
function hashProblem(method: HashingMethod, hash: string): string | undefined {
  switch (method) {
    case 'bcrypt': {
      if (BCRYPT.test(hash)) return undefined;
      const prefix = /^\$2[abyx]?\$/.exec(hash);
      if (!prefix) return 'it does not start with $2a$, $2b$, $2x$ or $2y$';
      const cost = /^\d\d\$/.exec(hash.slice(prefix[0].length));
      if (!cost) return 'the cost after the prefix is not two digits and a $';
      const rest = hash.slice(prefix[0].length + 3);
      if (/[^./A-Za-z0-9]/.test(rest)) return 'it has characters other than . / A-Z a-z 0-9 after the cost';
      return `it has ${rest.length} characters after the cost, not 53`;
    }
    case 'md5':
    case 'sha256': {
      const digits = method === 'md5' ? 32 : 64;
      if (!HEX.test(hash)) return 'it has characters other than hex digits (Kinde takes these hashes in hex)';
      return hash.length === digits ? undefined : `it is ${hash.length} hex digits long, not ${digits}`;
    }
    case 'crypt':
    case 'wordpress':
      return /\s/.test(hash) ? 'it contains whitespace' : undefined;
    case 'pbkdf2':
    case 'firebase-scrypt':
    case 'aspnet-identity-v2':
      return isBase64(hash) ? undefined : 'it is not base64';
  }
}

/** What a hash of each method looks like, for hints. */
const hashShapes: Readonly<Record<HashingMethod, string>> = {
  bcrypt: 'a bcrypt hash is 60 characters: $2a$ (or $2b$, $2y$), a two-digit cost and $, then 53 characters of ./A-Za-z0-9',
  md5: 'an md5 hash is 32 hex digits',
  sha256: 'a sha256 hash is 64 hex digits',
  crypt: 'a crypt hash is one word, e.g. $6$salt$hash',
  wordpress: 'a WordPress hash is one word, e.g. $P$B and 31 more characters',
  pbkdf2: 'a pbkdf2 hash is base64, as FusionAuth stores it',
  'firebase-scrypt': 'a Firebase scrypt hash is base64, as `firebase auth:export` writes it',
  'aspnet-identity-v2': 'pass AspNetUsers.PasswordHash unchanged: it is base64',
};

/** The method a hash looks like it is of, for "did you mean method: md5?". */
function looksLike(hash: string): HashingMethod | undefined {
  if (BCRYPT.test(hash)) return 'bcrypt';
  if (/^[0-9A-Fa-f]{32}$/.test(hash)) return 'md5';
  if (/^[0-9A-Fa-f]{64}$/.test(hash)) return 'sha256';
  return undefined;
}

interface MethodRule {
  readonly salt: 'no' | 'optional' | 'required';
  /** Whether salt_position and salt_format apply (and salt_position is then required with a salt). */
  readonly positioned: boolean;
  readonly base64Salt: boolean;
}

const rules: Readonly<Record<HashingMethod, MethodRule>> = {
  bcrypt: { salt: 'no', positioned: false, base64Salt: false },
  md5: { salt: 'optional', positioned: true, base64Salt: false },
  sha256: { salt: 'optional', positioned: true, base64Salt: false },
  crypt: { salt: 'optional', positioned: false, base64Salt: false },
  wordpress: { salt: 'optional', positioned: false, base64Salt: false },
  pbkdf2: { salt: 'required', positioned: false, base64Salt: true },
  'firebase-scrypt': { salt: 'required', positioned: false, base64Salt: true },
  'aspnet-identity-v2': { salt: 'no', positioned: false, base64Salt: false },
};

/** Parameters that belong to one method only. */
const parameterOwners: Readonly<Record<string, HashingMethod>> = {
  variant: 'pbkdf2',
  iterations: 'pbkdf2',
  signer_key: 'firebase-scrypt',
  salt_separator: 'firebase-scrypt',
  rounds: 'firebase-scrypt',
  mem_cost: 'firebase-scrypt',
};

/** The names the password fields have in each users file format, for hints that name the field to fix. */
const fieldNames: Readonly<Partial<Record<UserView['from'], Readonly<Record<string, string>>>>> = {
  'kinde-csv': { hash: 'hashed_password', method: 'hashing_method' },
  'kinde-ndjson': { hash: 'hashed_password', method: 'hashing_algorithm' },
  auth0: { hash: 'passwordHash', method: 'custom_password_hash.algorithm' },
};

export interface PasswordContext {
  /** Reads a hash_file, as written (relative to the config). Absent for users files: hash_file is a config feature. */
  readonly readHashFile?: (path: string) => string;
}

export interface PasswordCheck {
  readonly spec?: PasswordSpec;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the password at `user.password`; `spec` is set when it is valid. */
export function checkPassword(raw: unknown, view: UserView, context: PasswordContext): PasswordCheck {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  if (!isMapping(raw)) return { errors, warnings }; // a schema error
  const at = (field?: string): Path => (field === undefined ? ['password'] : ['password', field]);
  const name = (field: string): string => fieldNames[view.from]?.[field] ?? field;
  const fail = (code: ConfigCode, message: string, path: Path, hint: string): void => void errors.push(error(code, message, view.locate(path), hint));
  const owner = `the password of ${view.label}`;

  const method = raw.method ?? 'bcrypt';
  if (!isHashingMethod(method)) return { errors, warnings }; // a schema error, reported there
  const rule = rules[method];
  const str = (field: string): string | undefined => (typeof raw[field] === 'string' && raw[field] !== '' ? (raw[field] as string) : undefined);

  // The hash: from hash (a literal or ${env:...}) or from hash_file.
  let hash: string | undefined;
  let hashPath = at('hash');
  let source = '';
  let judge = true;
  const hashFile = str('hash_file');
  if (str('hash') !== undefined && hashFile !== undefined) {
    fail(ConfigCode.PasswordNoHash, `${owner} has both hash and hash_file`, at('hash_file'), 'keep one: hash for a value from ${env:...}, or hash_file for a file holding the hash');
  } else if (hashFile !== undefined) {
    hashPath = at('hash_file');
    if (!context.readHashFile) {
      fail(ConfigCode.PasswordHashFile, `${owner} names a hash_file, which is read only in the config, not in a users file`, hashPath, 'write the hash itself in the users file, as "hash"');
    } else if (!view.unresolved(hashPath)) {
      const shown = quoted(view, hashPath, hashFile);
      try {
        hash = context.readHashFile(hashFile).trim();
        source = ` (from hash_file ${shown})`;
        if (hash === '') {
          fail(ConfigCode.PasswordHashFile, `hash_file ${shown} of ${view.label} is empty`, hashPath, 'write the hash in the file, on one line');
          hash = undefined;
        }
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (cause as Error).message;
        fail(ConfigCode.PasswordHashFile, `cannot read hash_file ${shown} of ${view.label}: ${reason}`, hashPath, 'a hash_file path is relative to the file it is written in (the config, or an environment\'s overlay); check the path and that the file is readable');
      }
    } else judge = false;
  } else if (typeof raw.hash === 'string' && raw.hash !== '') {
    hash = raw.hash;
    const vars = view.secretVars(hashPath);
    if (view.unresolved(hashPath)) judge = false;
    else if (vars) source = ` (from ${vars.map((v) => `\${env:${v}}`).join(' and ')})`;
    else if (view.from === 'config') {
      warnings.push(
        warning(
          ConfigCode.PasswordLiteral,
          `${owner} has its hash written in the config; secrets belong in env vars or files`,
          view.locate(hashPath),
          'write hash: "${env:NAME}" and set NAME in the environment (your CI\'s secrets), or hash_file: a path to a file kept out of version control',
        ),
      );
    }
  } else if (raw.hash === undefined) {
    const hint =
      view.from === 'config'
        ? 'add hash: "${env:NAME}" (the hash, from an environment variable) or hash_file: path (a file holding it, relative to the config)'
        : `add ${name('hash')} (the hash itself), or leave out the password entirely`;
    fail(ConfigCode.PasswordNoHash, `${owner} has no hash`, at(), hint);
  }

  if (hash !== undefined && judge) {
    const problem = hashProblem(method, hash);
    if (problem) {
      const other = looksLike(hash);
      const hint = other && other !== method ? `it looks like ${other === 'md5' ? 'an' : 'a'} ${other} hash: write ${name('method')}: ${other}` : hashShapes[method];
      const tip = method === 'bcrypt' && source.startsWith(' (from $') ? '; in a shell, put a bcrypt hash in single quotes, or its $ signs are expanded' : '';
      fail(ConfigCode.PasswordHashFormat, `${owner}${source} is not ${method === 'md5' || method === 'aspnet-identity-v2' ? 'an' : 'a'} ${method} hash: ${problem}`, hashPath, hint + tip);
    }
  }

  // Salts.
  const salt = str('salt');
  const position = raw.salt_position;
  const format = raw.salt_format;
  if (salt !== undefined && rule.salt === 'no') {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt, which ${method} does not take (${method === 'bcrypt' ? 'a' : 'an'} ${method} hash carries its own salt)`, at('salt'), 'remove the salt');
  }
  if (salt === undefined && rule.salt === 'required' && raw.salt === undefined) {
    fail(ConfigCode.PasswordSalt, `${owner} has no salt, which ${method} needs`, at(), `add the base64 salt of this user's hash as ${name('salt')}`);
  }
  if (salt !== undefined && rule.base64Salt && !isBase64(salt)) {
    fail(ConfigCode.PasswordSalt, `the salt of ${view.label} is not base64, as ${method} needs`, at('salt'), 'write the salt base64-encoded, as your previous system exported it');
  }
  if (position !== undefined && !rule.positioned) {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt_position, which only md5 and sha256 take, not ${method}`, at('salt_position'), 'remove salt_position');
  } else if (position !== undefined && salt === undefined && raw.salt === undefined) {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt_position but no salt`, at('salt_position'), 'add the salt, or remove salt_position');
  } else if (salt !== undefined && rule.positioned && position === undefined) {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt but no salt_position, which a salted ${method} hash needs`, at('salt'), 'add salt_position: prefix (the salt goes before the password) or suffix (after)');
  }
  if (format !== undefined && !rule.positioned) {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt_format, which only md5 and sha256 take, not ${method}`, at('salt_format'), 'remove salt_format');
  } else if (format !== undefined && salt === undefined && raw.salt === undefined) {
    fail(ConfigCode.PasswordSalt, `${owner} has a salt_format but no salt`, at('salt_format'), 'add the salt, or remove salt_format');
  } else if (format === 'hex' && salt !== undefined && !(HEX.test(salt) && salt.length % 2 === 0)) {
    fail(ConfigCode.PasswordSalt, `the salt of ${view.label} is not hex, as salt_format: hex says`, at('salt'), 'write the salt as pairs of hex digits (68656c6c6f for "hello"), or write salt_format: string');
  }

  // Parameters of pbkdf2 and firebase-scrypt.
  for (const [field, owning] of Object.entries(parameterOwners)) {
    if (raw[field] === undefined || owning === method) continue;
    const hint = method === 'firebase-scrypt' && field === 'iterations' ? 'firebase-scrypt takes rounds and mem_cost instead; remove iterations' : `remove ${field}`;
    fail(ConfigCode.PasswordParameter, `${owner} has ${field}, which only ${owning} takes, not ${method}`, at(field), hint);
  }
  const integer = (field: string, min: number, max: number): number | undefined => {
    const v = raw[field];
    if (v === undefined || typeof v !== 'number') return undefined; // absent, or a schema error
    if (Number.isInteger(v) && v >= min && v <= max) return v;
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`;
    fail(ConfigCode.PasswordParameter, `${field} of the password of ${view.label} must be a whole number ${range}, got ${v}`, at(field), `write a whole number ${range}`);
    return undefined;
  };
  if (method === 'pbkdf2' && str('variant') === undefined && raw.variant === undefined) {
    fail(ConfigCode.PasswordParameter, `${owner} has no variant, which pbkdf2 needs`, at(), 'add variant: e.g. salted-pbkdf2-hmac-sha256, salted-pbkdf2-hmac-sha256-512 or salted-pbkdf2-hmac-sha512-512');
  }
  const iterations = method === 'pbkdf2' ? integer('iterations', 1, Number.MAX_SAFE_INTEGER) : undefined;
  let rounds: number | undefined;
  let memCost: number | undefined;
  if (method === 'firebase-scrypt') {
    const missing = ['signer_key', 'salt_separator', 'rounds', 'mem_cost'].filter((f) => raw[f] === undefined);
    if (missing.length > 0) {
      fail(ConfigCode.PasswordParameter, `${owner} lacks ${missing.join(', ')}, which firebase-scrypt needs`, at(), 'copy them from the hash parameters of your Firebase project (Authentication > Users > Password hash parameters)');
    }
    for (const field of ['signer_key', 'salt_separator']) {
      const v = str(field);
      if (v !== undefined && !isBase64(v)) fail(ConfigCode.PasswordParameter, `${field} of the password of ${view.label} is not base64`, at(field), 'copy it as Firebase shows it: base64');
    }
    rounds = integer('rounds', 1, 16);
    memCost = integer('mem_cost', 1, 20);
  }
  const version = integer('version', 1, Number.MAX_SAFE_INTEGER);

  if (errors.length > 0 || hash === undefined) return { errors, warnings };
  const temporary = raw.temporary === true;
  const spec: PasswordSpec = {
    method,
    // Kinde substitutes $2a$ for $2b$ on import; doing it here keeps the model equal to what Kinde stores.
    hash: method === 'bcrypt' && hash.startsWith('$2b$') ? `$2a$${hash.slice(4)}` : hash,
    ...(salt === undefined ? {} : { salt }),
    ...(position === 'prefix' || position === 'suffix' ? { saltPosition: position } : {}),
    ...(format === 'hex' || format === 'string' ? { saltFormat: format } : {}),
    ...(iterations === undefined ? {} : { iterations }),
    ...(str('variant') === undefined ? {} : { variant: str('variant')! }),
    ...(str('signer_key') === undefined ? {} : { signerKey: str('signer_key')! }),
    ...(str('salt_separator') === undefined ? {} : { saltSeparator: str('salt_separator')! }),
    ...(rounds === undefined ? {} : { rounds }),
    ...(memCost === undefined ? {} : { memCost }),
    temporary,
    version: version ?? 1,
  };
  return { spec, errors, warnings };
}

/** The hash of a raw password, to compare two rows of one user without ever showing either. */
export const samePassword = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
