/**
 * Imported password hashes as Kratos checks them (hash/hash_comparator.go, hash/hash_limits.go): the hash must
 * start with a known prefix, and the formats whose cost Kratos parses at import (bcrypt, argon2, pbkdf2, scrypt,
 * Firebase scrypt) must parse and stay within Ory's bounds. A plaintext password is hashed the way Kratos' default
 * hasher would store it: a bcrypt string of cost 12. The emulator cannot run bcrypt without a dependency, so the
 * digest part is a SHA-256 of salt and password in bcrypt's alphabet: shaped like bcrypt, never the password.
 */
import { createHash, randomBytes } from 'node:crypto';
import { badRequest, type KratosFailure } from './errors.js';

const knownFormats: readonly RegExp[] = [
  /^\$md5-crypt\$/,
  /^\$2[abzy]?\$/,
  /^\$sha256-crypt\$/,
  /^\$sha512-crypt\$/,
  /^\$argon2id\$/,
  /^\$argon2i\$/,
  /^\$pbkdf2-sha[0-9]{1,3}\$/,
  /^\$scrypt\$/,
  /^{SSHA(256|512)?}/,
  /^\$sha(1|256|512)\$/,
  /^\$firescrypt\$/,
  /^\$md5\$/,
  /^\$hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)\$/,
];

const unknownFormat = 'The imported password does not match any known hash format.';
const outOfBounds =
  'The imported password hash declares cost parameters that exceed the bounds enforced by Ory. Re-hash the password with a more conservative configuration before importing.';
const unparsable = 'The imported password hash could not be parsed.';

/** Why the import fails: the hash cannot be read, or it asks for more work than Ory allows. */
type Problem = 'unparsable' | 'out-of-bounds' | undefined;

/** Returns the 400 Kratos answers for an imported hash, or undefined when it would accept it. */
export function checkImportedHash(hash: string): KratosFailure | undefined {
  if (!knownFormats.some((format) => format.test(hash))) return badRequest(unknownFormat);
  const problem = costProblem(hash);
  if (problem === 'out-of-bounds') return badRequest(outOfBounds);
  if (problem === 'unparsable') return badRequest(unparsable);
  return undefined;
}

function costProblem(hash: string): Problem {
  if (/^\$2[abzy]?\$/.test(hash)) return bcrypt(hash);
  if (/^\$argon2id?\$/.test(hash)) return argon2(hash);
  if (/^\$pbkdf2-sha[0-9]{1,3}\$/.test(hash)) return pbkdf2(hash);
  if (/^\$scrypt\$/.test(hash)) return scrypt(hash);
  if (/^\$firescrypt\$/.test(hash)) return firebaseScrypt(hash);
  return undefined;
}

/** Go's bcrypt.Cost: at least 59 bytes, `$2`, an optional minor letter, `$`, a two-digit cost from 4 to 31. */
function bcrypt(hash: string): Problem {
  const match = /^\$2[abzy]?\$(\d\d)\$/.exec(hash);
  if (hash.length < 59 || !match) return 'unparsable';
  const cost = Number(match[1]);
  if (cost < 4 || cost > 31) return 'unparsable';
  return cost > 15 ? 'out-of-bounds' : undefined;
}

function argon2(hash: string): Problem {
  const parts = hash.split('$');
  if (parts.length !== 6) return 'unparsable';
  const version = /^v=(\d+)/.exec(parts[2]!);
  if (!version || Number(version[1]) !== 19) return 'unparsable';
  const cost = /^m=(\d+),t=(\d+),p=(\d+)/.exec(parts[3]!);
  if (!cost) return 'unparsable';
  const [m, t, p] = cost.slice(1).map(Number) as [number, number, number];
  // Go reads p into a uint8: anything above 255 does not even parse.
  if (p > 255) return 'unparsable';
  if (!inRange(m, 1, 2 ** 20) || !inRange(t, 1, 10) || !inRange(p, 1, 16)) return 'out-of-bounds';
  return rawBase64(parts[4]!) && rawBase64(parts[5]!) ? undefined : 'unparsable';
}

function pbkdf2(hash: string): Problem {
  const parts = hash.split('$');
  if (parts.length !== 5 || parts[1]!.split('-').length < 2) return 'unparsable';
  const cost = /^i=(\d+),l=(\d+)/.exec(parts[2]!);
  if (!cost) return 'unparsable';
  if (!inRange(Number(cost[1]), 1, 10_000_000)) return 'out-of-bounds';
  return rawBase64(parts[3]!) && rawBase64(parts[4]!) ? undefined : 'unparsable';
}

/** Kratos uses `ln` directly as N (not 2^ln), so N is what is bounded. */
function scrypt(hash: string): Problem {
  const parts = hash.split('$');
  if (parts.length !== 5) return 'unparsable';
  const cost = /^ln=(\d+),r=(\d+),p=(\d+)/.exec(parts[2]!);
  if (!cost) return 'unparsable';
  const [n, r, p] = cost.slice(1).map(Number) as [number, number, number];
  if (!inRange(n, 1, 2 ** 17) || !inRange(r, 1, 8) || !inRange(p, 1, 10)) return 'out-of-bounds';
  return paddedBase64(parts[3]!) && paddedBase64(parts[4]!) ? undefined : 'unparsable';
}

function firebaseScrypt(hash: string): Problem {
  const parts = hash.split('$');
  if (parts.length !== 7) return 'unparsable';
  const cost = /^ln=(\d+),r=(\d+),p=(\d+)/.exec(parts[2]!);
  if (!cost) return 'unparsable';
  const [ln, r, p] = cost.slice(1).map(Number) as [number, number, number];
  if (ln > 17 || !inRange(r, 1, 8) || !inRange(p, 1, 10)) return 'out-of-bounds';
  return parts.slice(3).every(paddedBase64) ? undefined : 'unparsable';
}

const inRange = (value: number, min: number, max: number): boolean => value >= min && value <= max;

/** Go's strict decoders: only canonical encodings pass, so decoding and encoding again must give the same text. */
const rawBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*$/.test(text) && Buffer.from(text, 'base64').toString('base64').replace(/=+$/, '') === text;
const paddedBase64 = (text: string): boolean => /^[A-Za-z0-9+/]*={0,2}$/.test(text) && Buffer.from(text, 'base64').toString('base64') === text;

const bcryptAlphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const inBcryptAlphabet = (bytes: Buffer, length: number): string =>
  Array.from({ length }, (_, i) => bcryptAlphabet[bytes[i % bytes.length]! % 64]).join('');

/** What a plaintext password is stored as: a bcrypt-shaped string of cost 12 (Kratos' default), never the password. */
export function hashPlaintext(password: string): string {
  const salt = inBcryptAlphabet(randomBytes(22), 22);
  const digest = inBcryptAlphabet(createHash('sha256').update(salt).update(password).digest(), 31);
  return `$2a$12$${salt}${digest}`;
}
