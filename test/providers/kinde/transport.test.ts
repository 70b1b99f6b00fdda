/** Retries, rate limits and bounds, against a node:http server whose every answer the test decides. */
import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ApiError, UnreachableError } from '../../../src/errors.js';
import { Transport } from '../../../src/providers/http/transport.js';
import { kindeUnreachable } from '../../../src/providers/kinde/errors.js';
import { createKindeProvider, type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { RateCap } from '../../../src/providers/http/rate.js';
import { realTiming, type Timing } from '../../../src/providers/http/timing.js';
import { clientId, clientSecret, fakeKinde, noScope, reply, virtualTiming } from './fake-kinde.js';
import { closeWhenDone, fakeProvider } from './providers.js';


const setup = <T extends Partial<Timing> = ReturnType<typeof virtualTiming>>(options: Partial<KindeProviderOptions> = {}, timing?: T) => fakeProvider<T>(options, timing);

describe('429', () => {
  test('waits RateLimit-Reset seconds, then retries', async () => {
    const { fake, provider, timing } = await setup();
    let limited = false;
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles' || limited) return false;
      limited = true;
      reply(res, 429, { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Request was throttled' }] }, { 'RateLimit-Reset': '2' });
      return true;
    };
    const live = await provider.read(noScope);
    expect(live.roles.size).toBe(0);
    expect(timing.sleeps).toContain(2000);
    expect(provider.stats()).toMatchObject({ rateLimited: 1, retries: 1 });
    expect(fake.count('/api/v1/roles')).toBe(2);
  });

  test('Retry-After works too, and with no header at all the client backs off', async () => {
    const { fake, provider, timing } = await setup();
    let n = 0;
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/permissions') return false;
      n++;
      if (n === 1) reply(res, 429, undefined, { 'Retry-After': '3' });
      else if (n === 2) reply(res, 429);
      else return false;
      return true;
    };
    await provider.read(noScope);
    expect(timing.sleeps).toContain(3000);
    expect(provider.stats().rateLimited).toBe(2);
  });

  test('while one request waits out a 429, every request of the provider waits', async () => {
    const fake = await fakeKinde();
    closeWhenDone(fake);
    let sentAt = 0;
    fake.intercept = (req, res) => {
      if (req.path === '/limited' && sentAt === 0) {
        sentAt = Date.now();
        reply(res, 429, undefined, { 'RateLimit-Reset': '1' });
        return true;
      }
      reply(res, 200, {});
      return true;
    };
    const transport = new Transport({ origin: fake.url, parallelism: 4, timeoutMs: 5000, retries: 5, timing: realTiming, unreachable: kindeUnreachable });
    closeWhenDone(transport);
    const first = transport.request({ method: 'GET', path: '/limited' });
    while (sentAt === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    const second = transport.request({ method: 'GET', path: '/other' });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    const other = fake.requests.find((r) => r.path === '/other')!;
    // /other was asked for 50 ms after the 429, but went out only when the limit reset.
    expect(other.at - sentAt).toBeGreaterThanOrEqual(950);
  });

  test('a limit that never lifts ends in an ApiError with a hint', async () => {
    const { fake, provider } = await setup({ retries: 1 });
    fake.intercept = (req, res) => {
      if (!req.path.startsWith('/api/')) return false;
      reply(res, 429, { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'Request was throttled' }] }, { 'RateLimit-Reset': '1' });
      return true;
    };
    const error = await provider.read(noScope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    expect((error as ApiError).hint).toMatch(/--max-rps/);
  });
});

describe('faults on idempotent requests', () => {
  test('500 then success: retried with backoff', async () => {
    const { fake, provider, timing } = await setup();
    let failed = false;
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/permissions' || failed) return false;
      failed = true;
      reply(res, 500, { errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'oops' }] });
      return true;
    };
    await provider.read(noScope);
    expect(fake.count('/api/v1/permissions')).toBe(2);
    expect(provider.stats().retries).toBe(1);
    expect(timing.sleeps.length).toBe(1);
    expect(timing.sleeps[0]).toBeLessThanOrEqual(100);
  });

  test('a destroyed socket, then success', async () => {
    const { fake, provider } = await setup();
    let dropped = false;
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles' || dropped) return false;
      dropped = true;
      res.socket?.destroy();
      return true;
    };
    await provider.read(noScope);
    expect(fake.count('/api/v1/roles')).toBe(2);
    expect(provider.stats().retries).toBe(1);
  });

  test('a timeout, then success', async () => {
    const { fake, provider } = await setup({ timeoutMs: 150 });
    let slow = false;
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles' || slow) return false;
      slow = true;
      setTimeout(() => reply(res, 200, { roles: [] }), 1000);
      return true;
    };
    await provider.read(noScope);
    expect(fake.count('/api/v1/roles')).toBe(2);
  });

  test('retries are bounded: the last 5xx becomes an ApiError', async () => {
    const { fake, provider } = await setup({ retries: 2 });
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles') return false;
      reply(res, 503, '');
      return true;
    };
    const error = await provider.read(noScope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('GET /api/v1/roles failed with 503: HTTP 503 with an empty body');
    expect(fake.count('/api/v1/roles')).toBe(3);
  });

  test('resets that never stop end in an UnreachableError naming the URL', async () => {
    const { fake, provider } = await setup({ retries: 1 });
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles') return false;
      res.socket?.destroy();
      return true;
    };
    const error = await provider.read(noScope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).exitCode).toBe(3);
    expect((error as Error).message).toBe(`Cannot reach Kinde at ${fake.url}: GET /api/v1/roles: the connection was reset after 2 attempts`);
  });
});

describe('unreachable', () => {
  test('connection refused: UnreachableError (exit 3) naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const provider = createKindeProvider({ domain: `http://127.0.0.1:${port}`, clientId, clientSecret, retries: 2 }, virtualTiming());
    closeWhenDone(provider);
    const error = await provider.read(noScope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).exitCode).toBe(3);
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
    expect((error as Error).message).toContain('connection refused');
    expect((error as Error).message).not.toContain(clientSecret);
    expect(provider.stats().requests).toBe(3);
  });
});

describe('bounds', () => {
  test('parallelism bounds requests in flight', async () => {
    const { fake, provider } = await setup({ parallelism: 3 });
    for (let i = 0; i < 12; i++) fake.tenant.roles.push({ id: `r${i}`, key: `role-${i}`, name: `Role ${i}`, description: null, is_default_role: false, permissions: [] });
    let inFlight = 0;
    let most = 0;
    fake.intercept = (req, res) => {
      if (!/^\/api\/v1\/roles\/[^/]+\/permissions$/.test(req.path)) return false;
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        reply(res, 200, { permissions: [] });
      }, 20);
      return true;
    };
    const live = await provider.read(noScope);
    expect(live.roles.size).toBe(12);
    expect(most).toBe(3);
  });

  test('--max-rps spaces requests evenly', async () => {
    const { fake, provider } = await setup({ maxRps: 20 }, {});
    for (let i = 0; i < 4; i++) fake.tenant.roles.push({ id: `r${i}`, key: `role-${i}`, name: `Role ${i}`, description: null, is_default_role: false, permissions: [] });
    const started = Date.now();
    await provider.read(noScope);
    // 1 token + 2 lists + 4 role permission lists = 7 requests at 20/s: at least 6 gaps of 50 ms.
    expect(provider.stats().requests).toBe(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const at = fake.requests.map((r) => r.at);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(290);
  });

  test('the rate cap reserves slots in call order', async () => {
    const cap = new RateCap(20, realTiming);
    const start = Date.now();
    const done: number[] = [];
    await Promise.all([0, 1, 2].map((i) => cap.take().then(() => (done[i] = Date.now() - start))));
    expect(done[0]).toBeLessThanOrEqual(done[1]!);
    expect(done[1]).toBeGreaterThanOrEqual(45);
    expect(done[2]).toBeGreaterThanOrEqual(95);
  });
});
