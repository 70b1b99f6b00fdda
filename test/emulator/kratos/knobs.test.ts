/** The Kratos emulator's API key, state file, rate limit, faults, latency, stats and option checks. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKratosEmulator } from '../../../src/emulator/kratos/index.js';
import { caller } from '../client.js';
import { kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idm-kratos-emulator-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One request on its own connection, so that a dropped connection shows as 'dropped'. */
function rawCall(url: string, method: string, path: string, body?: unknown): Promise<number | 'dropped'> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${url}${path}`, { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('dropped'));
    req.end(payload);
  });
}

describe('API key', () => {
  test('with a key, admin calls without it or with another are 401 in Ory\'s envelope; /schemas stays public', async () => {
    const { emulator, call } = await start({ apiKey: 'ory_pat_secret' });
    for (const key of [undefined, 'ory_pat_wrong']) {
      const refused = await caller(emulator.url, key)('GET', '/admin/identities');
      expect(refused.status).toBe(401);
      expect(refused.body.error).toMatchObject({ code: 401, status: 'Unauthorized' });
      expect(JSON.stringify(refused.body)).not.toContain('ory_pat_secret');
    }
    expect((await caller(emulator.url, undefined)('GET', '/schemas')).status).toBe(200);
    expect((await call('GET', '/admin/identities')).status).toBe(200);
  });

  test('without a key, as self-hosted Kratos, no header is needed', async () => {
    const { emulator } = await start();
    expect((await caller(emulator.url, undefined)('GET', '/admin/identities')).status).toBe(200);
  });
});

describe('persistence', () => {
  test('identities survive a restart, unique indexes included', async () => {
    const dataFile = join(dir, 'nested', 'kratos.json');
    const before = await startKratosEmulator({ dataFile });
    const call = caller(before.url, undefined);
    const created = await call('POST', '/admin/identities', person('ada@example.com', { external_id: 'u-1', credentials: { totp: { config: { totp_url: 'otpauth://totp/a' } } } }));
    const saved = (await call('GET', `/admin/identities/${created.body.id}?include_credential=totp`)).body;
    await before.close();

    const after = await startKratosEmulator({ dataFile });
    try {
      const again = caller(after.url, undefined);
      const reloaded = (await again('GET', `/admin/identities/${created.body.id}?include_credential=totp`)).body;
      expect({ ...reloaded, schema_url: '' }).toEqual({ ...saved, schema_url: '' });
      expect((await again('POST', '/admin/identities', person('ADA@example.com'))).status).toBe(409);
      expect((await again('GET', '/admin/identities/by/external/u-1')).body.id).toBe(created.body.id);
      expect((await readdir(join(dir, 'nested'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await after.close();
    }
  });

  test('a file that is not Kratos emulator state is refused with what to do', async () => {
    const dataFile = join(dir, 'garbage.json');
    await writeFile(dataFile, '{"permissions": []}');
    await expect(startKratosEmulator({ dataFile })).rejects.toMatchObject({ code: 'EMULATOR_STATE_INVALID', message: expect.stringContaining('Kratos'), hint: expect.stringContaining('--data') });
  });
});

describe('rate limit, faults and latency', () => {
  test('beyond the window: 429 in Ory\'s envelope with RateLimit-Reset, then it recovers', async () => {
    const { emulator, call } = await start({ rateLimit: { requests: 2, windowMs: 1000 } });
    expect((await call('GET', '/admin/identities')).status).toBe(200);
    expect((await call('GET', '/schemas')).status).toBe(200);
    const limited = await call('GET', '/admin/identities');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 429, status: 'Too Many Requests' });
    expect(limited.headers.get('ratelimit-reset')).toBe('1');
    expect(emulator.stats().rateLimited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await call('GET', '/admin/identities')).status).toBe(200);
  });

  test('a seeded share of requests fails with 500s and dropped connections; some failed creates happened anyway', async () => {
    const outcomes = async (seed: number) => {
      const { emulator } = await start({ faultRate: 0.5, seed });
      const seen: (number | 'dropped')[] = [];
      for (let i = 0; i < 30; i++) seen.push(await rawCall(emulator.url, 'POST', '/admin/identities', person(`u${i}@example.com`)));
      const stats = emulator.stats();
      expect(stats.faults).toBe(seen.filter((o) => o !== 201).length);
      // Replies are counted as computed, even when a fault after the effect hid them from the client.
      return { seen, stored: stats.replies['POST /admin/identities 201'] ?? 0 };
    };
    const first = await outcomes(11);
    expect((await outcomes(11)).seen).toEqual(first.seen);
    expect(first.seen).toEqual(expect.arrayContaining([201, 500, 'dropped']));
    // Faults after the effect: more identities exist than creates that were answered 201.
    expect(first.stored).toBeGreaterThan(first.seen.filter((o) => o === 201).length);
    expect(first.stored).toBeLessThan(30);
  });

  test('latency is added to every answer', async () => {
    const { call } = await start({ latencyMs: 100 });
    const started = Date.now();
    await call('GET', '/schemas');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe('stats and options', () => {
  test('counts requests per route as the spec names them, and replies per route and status', async () => {
    const { emulator, call } = await start();
    const id = (await call('POST', '/admin/identities', person('a@example.com'))).body.id;
    await call('GET', `/admin/identities/${id}`);
    await call('GET', '/admin/identities/0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001');
    await call('GET', '/admin/nothing');
    expect(emulator.stats()).toEqual({
      requests: 4,
      byRoute: { 'POST /admin/identities': 1, 'GET /admin/identities/{id}': 2, 'GET (unknown route)': 1 },
      replies: { 'POST /admin/identities 201': 1, 'GET /admin/identities/{id} 200': 1, 'GET /admin/identities/{id} 404': 1 },
      rateLimited: 0,
      faults: 0,
      tokensIssued: 0,
    });
    emulator.resetStats();
    expect(emulator.stats().requests).toBe(0);
  });

  test.each([
    [{ port: 70_000 }, /port/],
    [{ faultRate: 2 }, /fault rate/],
    [{ apiKey: ' ' }, /API key/],
    [{ defaultSchemaId: 'customer' }, /default identity schema "customer"/],
    [{ schemas: { default: { type: 'object', properties: { traits: { type: 'nonsense' } } } } }, /does not compile/],
  ])('refuses %j', async (options, message) => {
    await expect(startKratosEmulator(options)).rejects.toThrow(message);
  });
});
