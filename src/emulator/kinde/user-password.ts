/**
 * `PUT /api/v1/users/{user_id}/password`: sets a user's password from a hash (Kinde never takes plain text). The
 * fields each hashing method takes, requires and rejects are the spec's, checked as it states them. Only that a
 * password is set, and how, is kept: no operation reads a password back, and the emulator never holds the hash.
 */
import { bodyObject, optionalBoolean, optionalEnum, optionalInteger, optionalString, type Body } from './input.js';
import { userById } from './identities.js';
import { badRequest, success } from './replies.js';
import type { Route } from './routes.js';
import { isoSeconds } from './tenant.js';

const hashingMethods = ['bcrypt', 'crypt', 'md5', 'sha256', 'wordpress', 'pbkdf2', 'firebase-scrypt', 'aspnet-identity-v2'] as const;
type HashingMethod = (typeof hashingMethods)[number];

/** The spec's examples of pbkdf2 variants (FusionAuth's names); it says "e.g.", but names no others. */
const pbkdf2Variants = ['salted-pbkdf2-hmac-sha256', 'salted-pbkdf2-hmac-sha256-512', 'salted-pbkdf2-hmac-sha512-512'];

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const bcryptPattern = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

const firebaseOnly = ['signer_key', 'salt_separator', 'rounds', 'mem_cost'] as const;

function checkBase64(body: Body, field: string, method: HashingMethod): void {
  const value = body[field];
  if (typeof value === 'string' && (value === '' || !base64Pattern.test(value))) {
    throw badRequest('INVALID_PASSWORD', `${field} must be base64-encoded for ${method}`);
  }
}

function checkPassword(body: Body): { method: HashingMethod; temporary: boolean } {
  const hash = optionalString(body, 'hashed_password');
  if (!hash) throw badRequest('INVALID_REQUEST', 'hashed_password is required');
  const method = optionalEnum(body, 'hashing_method', hashingMethods) ?? 'bcrypt';
  optionalString(body, 'salt');
  optionalEnum(body, 'salt_position', ['prefix', 'suffix']);
  optionalInteger(body, 'iterations', 1);
  const variant = optionalString(body, 'variant');
  for (const field of ['signer_key', 'salt_separator']) optionalString(body, field);
  const rounds = optionalInteger(body, 'rounds');
  const memCost = optionalInteger(body, 'mem_cost');
  const temporary = optionalBoolean(body, 'is_temporary_password') ?? false;

  const given = (field: string): boolean => body[field] !== undefined && body[field] !== null;
  const reject = (fields: readonly string[]): void => {
    const sent = fields.filter(given);
    if (sent.length > 0) throw badRequest('INVALID_PASSWORD', `${sent.join(', ')} cannot be used with hashing_method ${method}`);
  };
  const require = (fields: readonly string[]): void => {
    const missing = fields.filter((f) => !given(f));
    if (missing.length > 0) throw badRequest('INVALID_PASSWORD', `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required for hashing_method ${method}`);
  };

  if (method !== 'firebase-scrypt') reject(firebaseOnly);
  switch (method) {
    case 'bcrypt':
      if (!bcryptPattern.test(hash)) throw badRequest('INVALID_PASSWORD', 'hashed_password is not a bcrypt hash ($2a$, $2b$ or $2y$, cost, then 53 characters)');
      break;
    case 'pbkdf2':
      require(['salt', 'variant']);
      checkBase64(body, 'salt', method);
      if (!pbkdf2Variants.includes(variant!)) throw badRequest('INVALID_PASSWORD', `variant must be one of ${pbkdf2Variants.join(', ')}`);
      break;
    case 'firebase-scrypt':
      require(['salt', ...firebaseOnly]);
      reject(['iterations', 'variant']);
      for (const field of ['salt', 'signer_key', 'salt_separator']) checkBase64(body, field, method);
      if (rounds! < 1 || rounds! > 16) throw badRequest('INVALID_PASSWORD', 'rounds must be from 1 to 16');
      if (memCost! < 1 || memCost! > 20) throw badRequest('INVALID_PASSWORD', 'mem_cost must be from 1 to 20');
      break;
    case 'aspnet-identity-v2':
      // The salt, and the rest, are inside the hash.
      reject(['salt', 'salt_position', 'iterations', 'variant']);
      if (!base64Pattern.test(hash)) throw badRequest('INVALID_PASSWORD', 'hashed_password must be the base64 AspNetUsers.PasswordHash, as stored');
      break;
    default:
      // crypt, md5, sha256, wordpress: a salt is optional, and the spec restricts nothing else for them.
      break;
  }
  return { method, temporary };
}

export const userPasswordRoutes: readonly Route[] = [
  {
    method: 'PUT',
    path: '/api/v1/users/{user_id}/password',
    scope: 'update:user_passwords',
    handle({ params, body: raw }, context) {
      const user = userById(context, params.user_id!);
      const { method, temporary } = checkPassword(bodyObject(raw));
      user.password = { hashingMethod: method, isTemporary: temporary, setOn: isoSeconds() };
      context.changed();
      return success(200);
    },
  },
];
