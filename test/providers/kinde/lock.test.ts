/**
 * The Kinde tenant lock (`IDM_LOCK`) against the emulator: one winner among racing runs, takeover of stale locks
 * (expired, or left by a process of this host that has ended), and a release that only ever removes its own lock.
 * Also against a Kinde that does not refuse a second variable with the same key, which its spec allows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { emulatedScopes, startKindeEmulator, type KindeEmulator } from '../../../src/emulator/kinde/index.js';
import { fingerprint } from '../../../src/plan/fingerprint.js';
import { createKindeProvider } from '../../../src/providers/kinde/index.js';
import { lockVariableKey } from '../../../src/providers/kinde/lock.js';
import type { Provider, TenantLock } from '../../../src/providers/provider.js';
import { listAll, tenantClient, type TenantClient } from '../../helpers/tenant.js';
import { clientId as fakeClientId, clientSecret as fakeClientSecret, fakeKinde, noScope, reply } from './fake-kinde.js';

const clientId = 'lock-test';
const clientSecret = 'lock-test-secret';
const hour = 3_600_000;

let emulator: KindeEmulator;
let tenant: TenantClient;
const open: Provider[] = [];

beforeAll(async () => {
  // Latency makes concurrent requests overlap on the server as they would over the internet.
  emulator = await startKindeEmulator({ clientId, clientSecret, latencyMs: 15 });
  tenant = await tenantClient(emulator.url, clientId, clientSecret);
});
afterAll(() => emulator?.close());
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
  for (const v of await lockVariables()) await tenant.call('DELETE', `/environment_variables/${v.id}`);
});

/** A run of idm: a provider of its own, with its own connection and token. */
function run(now?: () => number): TenantLock {
  const provider = createKindeProvider({ domain: emulator.url, clientId, clientSecret }, now ? { now } : {});
  open.push(provider);
  return provider.lock!;
}

const lockVariables = async () => (await listAll(tenant, '/environment_variables', 'environment_variables')).filter((v) => v.key === lockVariableKey);

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

const lockRecord = (owner: string, startedAgoMs: number, ttlMs = hour) => {
  const started = Date.now() - startedAgoMs;
  return JSON.stringify({ owner, started: new Date(started).toISOString(), expires: new Date(started + ttlMs).toISOString() });
};

async function plantLock(value: string): Promise<void> {
  expect((await tenant.call('POST', '/environment_variables', { key: lockVariableKey, value, is_secret: false })).status).toBe(201);
}

describe('acquire', () => {
  test('of eight runs racing for the lock, exactly one wins; the others are told who holds it', async () => {
    const runs = Array.from({ length: 8 }, () => run());
    const results = await Promise.all(runs.map((lock, i) => lock.acquire(`ci@runner-${i} pid ${1000 + i}`, hour)));
    const winners = results.flatMap((r, i) => (r.acquired ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = `ci@runner-${winners[0]} pid ${1000 + winners[0]!}`;
    for (const r of results) if (!r.acquired) expect(r.holder.owner).toBe(winner);
    const variables = await lockVariables();
    expect(variables).toHaveLength(1);
    expect(variables[0].is_secret).toBe(false);
    expect(JSON.parse(variables[0].value)).toMatchObject({ owner: winner });
  });

  test('the record says who, since when and until when', async () => {
    const before = Date.now();
    expect(await run().acquire('ana@laptop pid 42', hour)).toEqual({ acquired: true });
    const record = JSON.parse((await lockVariables())[0].value);
    expect(Object.keys(record)).toEqual(['owner', 'started', 'expires']);
    expect(record.owner).toBe('ana@laptop pid 42');
    expect(Date.parse(record.started)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(record.expires) - Date.parse(record.started)).toBe(hour);
  });

  test('an expired lock is taken over, and the takeover says whose it was', async () => {
    // Written two hours ago, for an hour.
    const old = run(() => Date.now() - 2 * hour);
    expect((await old.acquire('ci@runner-1 pid 77', hour)).acquired).toBe(true);
    const result = await run().acquire('ana@laptop pid 42', hour);
    expect(result).toMatchObject({ acquired: true, replaced: { reason: 'expired', holder: { owner: 'ci@runner-1 pid 77' } } });
    const variables = await lockVariables();
    expect(variables.map((v) => JSON.parse(v.value).owner)).toEqual(['ana@laptop pid 42']);
  });

  test('of runs racing to take over one expired lock, exactly one wins', async () => {
    await plantLock(lockRecord('ci@runner-1 pid 77', 2 * hour));
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => run().acquire(`ci@runner-${10 + i} pid ${i}`, hour)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    expect(await lockVariables()).toHaveLength(1);
  });

  test('a lock left by a process of this host that has ended (kill -9) is taken over at once', async () => {
    const pid = await deadPid();
    const owner = `ana@${hostname()} pid ${pid}`;
    await plantLock(lockRecord(owner, 1000));
    const result = await run().acquire('ana@laptop pid 42', hour);
    expect(result).toMatchObject({ acquired: true, replaced: { reason: 'ended', holder: { owner } } });
  });

  test('a lock of a process still running on this host, or of another host, holds', async () => {
    const alive = `ana@${hostname()} pid ${process.pid}`;
    await plantLock(lockRecord(alive, 1000));
    expect(await run().acquire('ana@laptop pid 42', hour)).toMatchObject({ acquired: false, holder: { owner: alive } });

    await tenant.call('DELETE', `/environment_variables/${(await lockVariables())[0].id}`);
    // idm cannot see another host's processes: only expiry frees that lock.
    const elsewhere = `ci@elsewhere-${hostname()} pid ${await deadPid()}`;
    await plantLock(lockRecord(elsewhere, 1000));
    expect(await run().acquire('ana@laptop pid 42', hour)).toMatchObject({ acquired: false, holder: { owner: elsewhere } });
  });

  test('a lock record idm cannot read holds until removed, and says so', async () => {
    await plantLock('written by hand');
    const result = await run().acquire('ana@laptop pid 42', hour);
    expect(result.acquired).toBe(false);
    expect(!result.acquired && result.holder.owner).toContain('IDM_LOCK environment variable is not a lock record idm can read');
  });
});

describe('release', () => {
  test('removes the lock this run holds, and nothing when it holds none', async () => {
    const a = run();
    const b = run();
    expect((await a.acquire('a@host pid 1', hour)).acquired).toBe(true);
    await b.release();
    expect(await lockVariables()).toHaveLength(1);
    await a.release();
    expect(await lockVariables()).toHaveLength(0);
    await a.release();
  });

  test('never removes the lock of the run that took over its expired one', async () => {
    const late = run(() => Date.now() - 2 * hour);
    expect((await late.acquire('late@host pid 1', hour)).acquired).toBe(true);
    const next = run();
    expect((await next.acquire('next@host pid 2', hour)).acquired).toBe(true);
    await late.release();
    expect((await lockVariables()).map((v) => JSON.parse(v.value).owner)).toEqual(['next@host pid 2']);
  });

  test('holder shows the lock without touching it; forceRelease removes whatever lock is there', async () => {
    const lock = run();
    expect(await lock.holder()).toBeNull();
    expect(await lock.forceRelease()).toBeNull();
    expect((await run().acquire('a@host pid 1', hour)).acquired).toBe(true);
    expect(await lock.holder()).toMatchObject({ owner: 'a@host pid 1' });
    expect(await lockVariables()).toHaveLength(1);
    expect(await lock.forceRelease()).toMatchObject({ owner: 'a@host pid 1' });
    expect(await lockVariables()).toHaveLength(0);
    expect((await lock.acquire('b@host pid 2', hour)).acquired).toBe(true);
  });
});

test('the lock is not drift: what idm reads, write-only record included, is the same with and without it', async () => {
  const reader = createKindeProvider({ domain: emulator.url, clientId, clientSecret });
  open.push(reader);
  const scope = { ...noScope, feature_flags: true, organizations: true, business: true, environment: { details: true, feature_flags: true, passkey: true }, write_only: true };
  const unlocked = await reader.read(scope);
  expect((await run().acquire('a@host pid 1', hour)).acquired).toBe(true);
  const locked = await reader.read(scope);
  expect(locked.writeOnly.size).toBe(0);
  // A saved plan, made before the lock was taken, still matches the tenant `apply plan.json` reads under it.
  expect(fingerprint(locked)).toBe(fingerprint(unlocked));
});

test('an M2M app without the environment variable scopes is told which to grant, and why an apply needs them', async () => {
  const scoped = await startKindeEmulator({ clientId, clientSecret, scopes: emulatedScopes.filter((s) => !s.endsWith(':environment_variables')) });
  const provider = createKindeProvider({ domain: scoped.url, clientId, clientSecret });
  try {
    await expect(provider.lock!.acquire('a@host pid 1', hour)).rejects.toMatchObject({
      status: 403,
      exitCode: 3,
      message: expect.stringContaining('POST /api/v1/environment_variables failed with 403'),
      hint: expect.stringMatching(/apply lock in the tenant, as the environment variable IDM_LOCK: .*read:environment_variables, create:environment_variables and delete:environment_variables/),
    });
  } finally {
    await provider.close();
    await scoped.close();
  }
});

describe('a Kinde that accepts a second variable with the same key', () => {
  test('of eight racing runs exactly one wins, and the losers remove their own records', async () => {
    let created = 0;
    const fake = await fakeKinde((req, res, t) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/environment_variables') return false;
      const body = JSON.parse(req.body);
      const id = `env_var_${String(++created).padStart(32, '0')}`;
      // Kinde's created_on is to the second: every racer here gets the same one.
      t.variables.push({ id, key: body.key, value: body.value, is_secret: false, created_on: '2025-01-01T10:00:00Z' } as (typeof t.variables)[number]);
      // Answer late, so that the racers' creates all land before any of them lists.
      setTimeout(() => reply(res, 201, { code: 'VARIABLE_CREATED', message: 'Environment variable created', environment_variable: { id } }), 30);
      return true;
    });
    const providers = Array.from({ length: 8 }, () => createKindeProvider({ domain: fake.url, clientId: fakeClientId, clientSecret: fakeClientSecret }));
    try {
      const results = await Promise.all(providers.map((p, i) => p.lock!.acquire(`ci@runner-${i} pid ${i}`, hour)));
      expect(created).toBe(8);
      const winners = results.flatMap((r, i) => (r.acquired ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(fake.tenant.variables.map((v) => JSON.parse(v.value).owner)).toEqual([`ci@runner-${winners[0]} pid ${winners[0]}`]);
      // The oldest record wins: the first created.
      expect(fake.tenant.variables[0]!.id).toBe(`env_var_${String(1).padStart(32, '0')}`);
    } finally {
      await Promise.all([...providers.map((p) => p.close()), fake.close()]);
    }
  });
});

describe('interrupted while taking the lock', () => {
  test('a release between creating the record and learning its id still removes it', async () => {
    const lock = run();
    const created = () => emulator.stats().replies['POST /api/v1/environment_variables 201'] ?? 0;
    const before = created();
    const taking = lock.acquire('ctrl-c@this-host pid 1', hour).catch((error: unknown) => error);
    // Watched in-process, so the release lands while the listing that would give the record's id is still on its way.
    while (created() === before) await new Promise((r) => setTimeout(r, 1));
    await lock.release();
    expect(await lockVariables()).toEqual([]);
    await taking;
  });
});
