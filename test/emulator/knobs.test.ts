import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseRateLimit } from '../../src/emulator/kinde/index.js';
import { caller, token, openEmulator } from './client.js';

const start = openEmulator;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idm-emulator-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** One request on its own connection, so a dropped connection shows as 'dropped' rather than a retry. */
function rawCall(url: string, accessToken: string, method: string, path: string, body?: unknown): Promise<number | 'dropped'> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${url}${path}`, { method, agent: false, headers: { authorization: `Bearer ${accessToken}`, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('dropped'));
    req.end(payload);
  });
}

describe('rate limit', () => {
  test('beyond the window answers 429 error_response with RateLimit-Reset in whole seconds, then recovers', async () => {
    const emulator = await start({ rateLimit: { requests: 3, windowMs: 1000 } });
    // The token endpoint is outside the limit: it is billed per token, not throttled with the API.
    const call = caller(emulator.url, await token(emulator.url));
    for (let i = 0; i < 3; i++) expect((await call('GET', '/api/v1/roles')).status).toBe(200);
    const limited = await call('GET', '/api/v1/roles');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ code: 'TOO_MANY_REQUESTS', message: expect.any(String) }] });
    // Less than a second remains, but the header never says 0: a client waiting 0 s would only be refused again.
    expect(limited.headers.get('ratelimit-reset')).toBe('1');
    expect(emulator.stats().rateLimited).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await call('GET', '/api/v1/roles')).status).toBe(200);
  });

  test('parses the CLI notation N/WINDOW', () => {
    expect(parseRateLimit('10/1s')).toEqual({ requests: 10, windowMs: 1000 });
    expect(parseRateLimit('600/60s')).toEqual({ requests: 600, windowMs: 60_000 });
    expect(parseRateLimit('100/m')).toEqual({ requests: 100, windowMs: 60_000 });
    expect(parseRateLimit('5/250ms')).toEqual({ requests: 5, windowMs: 250 });
    for (const bad of ['10', '0/1s', '10/0s', 'ten/1s', '10/1d']) expect(() => parseRateLimit(bad)).toThrow(/rate limit/);
  });
});

describe('fault injection', () => {
  async function outcomes(seed: number): Promise<(number | 'dropped')[]> {
    const emulator = await start({ faultRate: 0.5, seed });
    const accessToken = await token(emulator.url);
    const seen: (number | 'dropped')[] = [];
    for (let i = 0; i < 40; i++) seen.push(await rawCall(emulator.url, accessToken, 'GET', '/api/v1/roles'));
    const failed = seen.filter((o) => o !== 200).length;
    expect(emulator.stats().faults).toBe(failed);
    return seen;
  }

  test('fails a seeded, repeatable share of requests, with both 500s and dropped connections', async () => {
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain('dropped');
    expect(first).toContain(200);
    expect(await outcomes(8)).not.toEqual(first);
  });

  test('some failed creates happened anyway (fault after the effect), others did not (fault before)', async () => {
    const dataFile = join(dir, 'faults.json');
    const faulty = await start({ faultRate: 1, seed: 3, dataFile });
    const accessToken = await token(faulty.url);
    for (let i = 0; i < 20; i++) {
      expect(await rawCall(faulty.url, accessToken, 'POST', '/api/v1/permissions', { key: `k${i}`, name: `K ${i}` })).not.toBe(201);
    }
    await faulty.close();
    const healthy = await start({ dataFile });
    const listed = await caller(healthy.url, await token(healthy.url))('GET', '/api/v1/permissions?page_size=50');
    expect(listed.body.permissions.length).toBeGreaterThan(0);
    expect(listed.body.permissions.length).toBeLessThan(20);
  });
});

describe('persistence', () => {
  test('ids, roles and role permissions survive a restart', async () => {
    const dataFile = join(dir, 'nested', 'state.json');
    const before = await start({ dataFile });
    const call = caller(before.url, await token(before.url));
    await call('POST', '/api/v1/permissions', { key: 'read:x', name: 'Read x' });
    const permissions = (await call('GET', '/api/v1/permissions')).body.permissions;
    const role = (await call('POST', '/api/v1/roles', { key: 'admin', name: 'Admin', is_default_role: true })).body.role.id;
    await call('PATCH', `/api/v1/roles/${role}/permissions`, { permissions: [{ id: permissions[0].id }] });
    const roles = (await call('GET', '/api/v1/roles')).body.roles;
    await before.close();

    const after = await start({ dataFile });
    const again = caller(after.url, await token(after.url));
    expect((await again('GET', '/api/v1/permissions')).body.permissions).toEqual(permissions);
    expect((await again('GET', '/api/v1/roles')).body.roles).toEqual(roles);
    expect((await again('GET', `/api/v1/roles/${role}/permissions`)).body.permissions).toEqual(permissions);
    // Creation order continues after the restart.
    await again('POST', '/api/v1/permissions', { key: 'a:first-by-name', name: 'A' });
    expect((await again('GET', '/api/v1/permissions')).body.permissions.map((p: { key: string }) => p.key)).toEqual(['read:x', 'a:first-by-name']);
  });

  test('a burst of changes is written shortly after, in few atomic writes, with no temp files left', async () => {
    const dataFile = join(dir, 'burst.json');
    const emulator = await start({ dataFile });
    const call = caller(emulator.url, await token(emulator.url));
    await Promise.all(Array.from({ length: 50 }, (_, i) => call('POST', '/api/v1/permissions', { key: `k${i}`, name: `K ${i}` })));
    await vi.waitFor(async () => expect(JSON.parse(await readFile(dataFile, 'utf8')).permissions).toHaveLength(50), { timeout: 5000, interval: 50 });
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a file that is not emulator state is refused with what to do', async () => {
    const dataFile = join(dir, 'garbage.json');
    await writeFile(dataFile, '{"hello": 1}');
    await expect(start({ dataFile })).rejects.toMatchObject({ code: 'EMULATOR_STATE_INVALID', hint: expect.stringContaining('--data') });
  });
});

describe('options', () => {
  test('refuses to listen on a non-loopback address', async () => {
    await expect(start({ host: '0.0.0.0' })).rejects.toMatchObject({ code: 'EMULATOR_OPTIONS_INVALID' });
    await expect(start({ host: '192.168.1.10' })).rejects.toThrow(/loopback/);
    const local = await start({ host: 'localhost' });
    expect(local.url).toMatch(/^http:\/\/localhost:\d+$/);
  });

  test('adds the configured latency to responses', async () => {
    const emulator = await start({ latencyMs: 120 });
    const call = caller(emulator.url, await token(emulator.url));
    const started = Date.now();
    await call('GET', '/api/v1/roles');
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  test('counts requests per route, with path parameters as in the spec', async () => {
    const emulator = await start();
    const call = caller(emulator.url, await token(emulator.url));
    const role = (await call('POST', '/api/v1/roles', { key: 'a', name: 'A' })).body.role.id;
    await call('GET', `/api/v1/roles/${role}`);
    await call('GET', `/api/v1/roles/${role}`);
    await call('GET', '/api/v1/nothing');
    expect(emulator.stats()).toEqual({
      requests: 5,
      byRoute: { 'POST /oauth2/token': 1, 'POST /api/v1/roles': 1, 'GET /api/v1/roles/{role_id}': 2, 'GET (unknown route)': 1 },
      replies: { 'POST /api/v1/roles 201': 1, 'GET /api/v1/roles/{role_id} 200': 2 },
      rateLimited: 0,
      faults: 0,
      tokensIssued: 1,
    });
    emulator.resetStats();
    expect(emulator.stats().requests).toBe(0);
  });
});
