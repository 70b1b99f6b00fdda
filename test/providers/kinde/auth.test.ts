/** The M2M token: how it is asked for, shared, cached, renewed, and how a refusal is reported. */
import { describe, expect, test } from 'vitest';
import { ApiError, AuthError, UnreachableError } from '../../../src/errors.js';
import { jwtExpiry } from '../../../src/providers/kinde/auth.js';
import { createKindeProvider, type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { clientId, clientSecret, fakeKinde, noScope, reply, type FakeKinde } from './fake-kinde.js';
import { closeWhenDone, fakeProvider } from './providers.js';


const setup = (options: Partial<KindeProviderOptions> = {}) => fakeProvider(options);

const tokenRequests = (fake: FakeKinde) => fake.requests.filter((r) => r.path === '/oauth2/token');

const jwt = (claims: object): string => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('the token', () => {
  test('is asked for with client credentials, form-encoded, for the {origin}/api audience', async () => {
    const { fake, provider } = await setup();
    await provider.read(noScope);
    const [request] = tokenRequests(fake);
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      audience: `${fake.url}/api`,
    });
    const api = fake.requests.filter((r) => r.path.startsWith('/api/'));
    expect(new Set(api.map((r) => r.headers.authorization))).toEqual(new Set([expect.stringMatching(/^Bearer token-\d+$/)]));
  });

  test('is fetched once, lazily, and shared by concurrent callers and later calls', async () => {
    const { fake, provider } = await setup({ parallelism: 8 });
    expect(tokenRequests(fake)).toHaveLength(0);
    for (let i = 0; i < 10; i++) fake.tenant.roles.push({ id: `r${i}`, key: `k${i}`, name: 'n', description: null, is_default_role: false, permissions: [] });
    await Promise.all([provider.read(noScope), provider.read(noScope), provider.read(noScope)]);
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(1);
    expect(provider.stats().tokenRequests).toBe(1);
    expect(provider.stats().requests).toBe(1 + 4 * 12);
  });

  test('is fetched again once it is about to expire, and not before', async () => {
    const { fake, provider, timing } = await setup();
    await provider.read(noScope);
    timing.advance(3_500_000); // 3500 s of 3600: inside the safety margin of a minute
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(1);
    timing.advance(50_000);
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(2);
  });

  test('without expires_in, the JWT exp claim says when it expires', async () => {
    const { fake, provider, timing } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/oauth2/token') return false;
      reply(res, 200, { access_token: jwt({ exp: Math.floor(timing.clock() / 1000) + 100 }), token_type: 'bearer' });
      return true;
    };
    await provider.read(noScope);
    timing.advance(80_000);
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(1);
    timing.advance(15_000); // within 10 s (a tenth of its life) of expiry
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(2);
    expect(jwtExpiry(jwt({ exp: 5 }))).toBe(5000);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });

  test('a 401 from the API renews the token once and retries', async () => {
    const { fake, provider } = await setup();
    let refused = false;
    fake.intercept = (req, res) => {
      if (req.path === '/api/v1/roles' && !refused) {
        refused = true;
        reply(res, 401, { errors: [{ code: 'TOKEN_EXPIRED', message: 'expired' }] });
        return true;
      }
      return false;
    };
    await provider.read(noScope);
    expect(tokenRequests(fake)).toHaveLength(2);
    const roles = fake.requests.filter((r) => r.path === '/api/v1/roles');
    expect(roles).toHaveLength(2);
    expect(roles[1]!.headers.authorization).not.toBe(roles[0]!.headers.authorization);
  });

  test('a 403 from the API is an ApiError that exits 3', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/permissions') return false;
      reply(res, 403, { errors: [{ code: 'FORBIDDEN', message: 'The access token is missing the scope this endpoint requires: read:permissions' }] });
      return true;
    };
    const error = (await provider.read(noScope).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('GET /api/v1/permissions failed with 403 FORBIDDEN: The access token is missing the scope this endpoint requires: read:permissions');
    expect(error.hint).toContain('read:permissions');
  });
});

describe('refused credentials', () => {
  test('a wrong secret is an AuthError (exit 3), one line, never showing the secret', async () => {
    const fake = await fakeKinde();
    const wrong = 'wrong-secret-0b7d2e4f';
    const provider = createKindeProvider({ domain: fake.url, clientId, clientSecret: wrong });
    closeWhenDone(provider, fake);
    const error = (await provider.read(noScope).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.exitCode).toBe(3);
    expect(error.message).not.toContain(wrong);
    expect(error.hint).not.toContain(wrong);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(`POST ${fake.url}/oauth2/token answered 401`);
    expect(error.message).toContain('invalid_client');
    expect(error.hint).toContain('KINDE_MANAGEMENT_CLIENT_SECRET');
    // Not retried: every token request is billed, and the same secret will not start working.
    expect(provider.stats().tokenRequests).toBe(1);
    expect(fake.count(/^\/api\//)).toBe(0);
  });

  test('400 from the token endpoint is an AuthError too', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      reply(res, 400, { error: 'invalid_request', error_description: 'audience is required' });
      return true;
    };
    await expect(provider.read(noScope)).rejects.toThrow(AuthError);
  });

  test('a token endpoint that is not there names the URL', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      reply(res, 404, '<html>Not found</html>');
      return true;
    };
    const error = (await provider.read(noScope).catch((e: unknown) => e)) as UnreachableError;
    expect(error).toBeInstanceOf(UnreachableError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(`${fake.url}/oauth2/token`);
    expect(error.hint).toContain('KINDE_DOMAIN');
  });

  test('a token endpoint that fails with 5xx is retried', async () => {
    const { fake, provider } = await setup();
    let failed = false;
    fake.intercept = (req, res) => {
      if (req.path !== '/oauth2/token' || failed) return false;
      failed = true;
      reply(res, 502, '');
      return true;
    };
    await provider.read(noScope);
    expect(provider.stats().tokenRequests).toBe(2);
  });
});
