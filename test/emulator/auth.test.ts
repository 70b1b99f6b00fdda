import { describe, expect, test } from 'vitest';
import { emulatedScopes } from '../../src/emulator/kinde/index.js';
import { caller, credentials, requestToken, token, openEmulator } from './client.js';

const start = openEmulator;

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('POST /oauth2/token', () => {
  test('issues a bearer JWT with the claims Kinde documents and every granted scope', async () => {
    const { url, stats } = await start();
    const got = await requestToken(url);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ token_type: 'bearer', expires_in: 86_400, scope: emulatedScopes.join(' ') });
    const header = JSON.parse(Buffer.from(got.body.access_token.split('.')[0], 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = claimsOf(got.body.access_token);
    expect(claims).toMatchObject({ aud: [`${url}/api`], azp: credentials.clientId, gty: ['client_credentials'], iss: url, scope: got.body.scope });
    expect(claims.exp - claims.iat).toBe(86_400);
    expect(typeof claims.jti).toBe('string');
    expect(stats().tokensIssued).toBe(1);
  });

  test('grants a requested subset of scopes and refuses scopes the app was not given', async () => {
    const { url } = await start({ scopes: ['read:roles', 'read:permissions'] });
    const subset = await requestToken(url, { scope: 'read:roles' });
    expect(subset.body.scope).toBe('read:roles');
    const tooMuch = await requestToken(url, { scope: 'read:roles delete:roles' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toMatchObject({ error: 'invalid_scope' });
  });

  test('answers 401 invalid_client, OAuth2 style, to a wrong secret or client id', async () => {
    const { url, stats } = await start();
    for (const wrong of [{ client_secret: 'nope' }, { client_id: 'someone-else' }] as Record<string, string>[]) {
      const got = await requestToken(url, wrong);
      expect(got.status).toBe(401);
      expect(got.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
    expect(stats().tokensIssued).toBe(0);
  });

  test('rejects an audience that is not the management API, another grant type, and a JSON body', async () => {
    const { url } = await start();
    expect((await requestToken(url, { audience: url })).body.error).toBe('invalid_request');
    expect((await requestToken(url, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    const json = await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
  });
});

describe('bearer tokens on /api/v1', () => {
  test('answers 403 error_response without a token, with a forged one, and with an expired one', async () => {
    const { url } = await start({ tokenTtlSeconds: 1 });
    const none = await caller(url, undefined)('GET', '/api/v1/roles');
    expect(none.status).toBe(403);
    expect(none.body.errors[0].code).toBe('UNAUTHORIZED');

    const real = await token(url);
    const [head, , signature] = real.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ ...claimsOf(real), scope: 'read:roles read:users' })).toString('base64url');
    const forged = await caller(url, `${head}.${forgedClaims}.${signature}`)('GET', '/api/v1/roles');
    expect(forged.status).toBe(403);
    expect(forged.body.errors[0].code).toBe('UNAUTHORIZED');

    expect((await caller(url, real)('GET', '/api/v1/roles')).status).toBe(200);
    const exp = claimsOf(real).exp as number;
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const expired = await caller(url, real)('GET', '/api/v1/roles');
    expect(expired.status).toBe(403);
    expect(expired.body.errors[0].code).toBe('TOKEN_EXPIRED');
  });

  test('answers 403 naming the scope when the token lacks the one the operation needs', async () => {
    const { url } = await start();
    const readOnly = caller(url, await token(url, 'read:roles read:permissions'));
    expect((await readOnly('GET', '/api/v1/roles')).status).toBe(200);
    const denied = await readOnly('POST', '/api/v1/roles', { key: 'admin', name: 'Admin' });
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].message).toContain('create:roles');
    const roles = await readOnly('GET', '/api/v1/roles');
    expect(roles.body.roles).toEqual([]);
  });
});
