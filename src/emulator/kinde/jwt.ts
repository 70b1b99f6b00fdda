/**
 * HS256 JSON Web Tokens with node:crypto. The emulator signs with a random per-instance key: a client must
 * treat the token as opaque, as it would a real tenant's, so nothing outside the emulator needs to verify it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const sign = (input: string, key: Buffer): Buffer => createHmac('sha256', key).update(input).digest();

export function signJwt(claims: object, key: Buffer): string {
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign(input, key).toString('base64url')}`;
}

/** The token's claims if it is well-formed and signed with `key`, otherwise undefined. Expiry is the caller's check. */
export function verifyJwt(token: string, key: Buffer): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== header) return undefined;
  const expected = sign(`${parts[0]}.${parts[1]}`, key);
  const actual = Buffer.from(parts[2]!, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
