/** Reading roles and permissions into Live: pagination, request counts, progress, normalisation. */
import { describe, expect, test } from 'vitest';
import { ApiError, IdmError } from '../../../src/errors.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import type { ProgressEvent } from '../../../src/providers/provider.js';
import { noScope, reply, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


const setup = (options: Partial<KindeProviderOptions> = {}) => fakeProvider(options);

function seed(fake: FakeKinde, permissions: number, roles: number, perRole: (i: number) => number): void {
  for (let i = 0; i < permissions; i++) {
    fake.tenant.permissions.push({ id: `p${i}`, key: `perm:${String(i).padStart(5, '0')}`, name: `Permission ${i}`, ...(i % 2 ? { description: `about ${i}` } : {}) });
  }
  for (let i = 0; i < roles; i++) {
    const granted = fake.tenant.permissions.slice(0, perRole(i)).map((p) => p.id);
    fake.tenant.roles.push({ id: `r${i}`, key: `role-${i}`, name: `Role ${i}`, description: i === 0 ? 'the first' : null, is_default_role: i === 1, permissions: granted });
  }
}

describe('read', () => {
  test('follows next_token with page_size=500 through every page', async () => {
    const { fake, provider } = await setup();
    seed(fake, 1203, 2, (i) => (i === 0 ? 1100 : 3));
    const live = await provider.read(noScope);
    expect(live.permissions.size).toBe(1203);
    expect(live.roles.get('role-0')!.permissions.size).toBe(1100);
    expect(live.roles.get('role-1')!.permissions.size).toBe(3);
    const lists = fake.requests.filter((r) => r.method === 'GET');
    expect(lists.every((r) => r.query.get('page_size') === '500')).toBe(true);
    const permissionPages = lists.filter((r) => r.path === '/api/v1/permissions');
    expect(permissionPages.map((r) => r.query.get('next_token') !== null)).toEqual([false, true, true]);
    expect(fake.count('/api/v1/roles/r0/permissions')).toBe(3);
  });

  test('follows next_token even when the server pages smaller than asked', async () => {
    const { fake, provider } = await setup();
    fake.tenant.pageCap = 7;
    seed(fake, 30, 9, () => 8);
    const live = await provider.read(noScope);
    expect(live.permissions.size).toBe(30);
    expect(live.roles.size).toBe(9);
    expect([...live.roles.values()].every((r) => r.permissions.size === 8)).toBe(true);
  });

  test('N roles and M permissions cost 1 + ceil(M/500) + ceil(N/500) + N requests (each role under 500 permissions)', async () => {
    const { fake, provider } = await setup();
    seed(fake, 1001, 17, (i) => i);
    await provider.read(noScope);
    expect(provider.stats().requests).toBe(1 + 3 + 1 + 17);
    // No per-object GETs and no environment call.
    expect(fake.requests.filter((r) => /^\/api\/v1\/(roles|permissions)\/[^/]+$/.test(r.path) || r.path.includes('environment'))).toEqual([]);
  });

  test('an empty tenant costs 3 requests', async () => {
    const { provider } = await setup();
    const live = await provider.read(noScope);
    expect(live).toEqual({ permissions: new Map(), roles: new Map(), featureFlags: new Map(), organizations: new Map(), users: new Map(), identities: new Map(), settings: {}, writeOnly: new Map(), unfinishedUsers: new Set() });
    expect(provider.stats().requests).toBe(3);
  });

  test('builds Live in keys: permission keys in role sets, null for missing descriptions', async () => {
    const { fake, provider } = await setup();
    seed(fake, 3, 2, (i) => (i === 0 ? 2 : 0));
    const live = await provider.read(noScope);
    expect(live.permissions.get('perm:00000')).toEqual({ id: 'p0', key: 'perm:00000', name: 'Permission 0', description: null });
    expect(live.permissions.get('perm:00001')).toEqual({ id: 'p1', key: 'perm:00001', name: 'Permission 1', description: 'about 1' });
    expect(live.roles.get('role-0')).toEqual({
      id: 'r0', key: 'role-0', name: 'Role 0', description: 'the first', isDefault: false, permissions: new Set(['perm:00000', 'perm:00001']),
    });
    expect(live.roles.get('role-1')).toMatchObject({ description: null, isDefault: true, permissions: new Set() });
    expect([...live.permissions.keys()]).toEqual(['perm:00000', 'perm:00001', 'perm:00002']);
  });

  test('reports progress per phase, ending with done === total', async () => {
    const { fake, provider } = await setup();
    seed(fake, 4, 3, () => 1);
    const events: ProgressEvent[] = [];
    await provider.read(noScope, (e) => events.push(e));
    const last = (phase: string) => events.filter((e) => e.phase === phase).at(-1);
    expect(last('permissions')).toEqual({ phase: 'permissions', done: 4, total: 4 });
    expect(last('roles')).toEqual({ phase: 'roles', done: 3, total: 3 });
    expect(events.filter((e) => e.phase === 'role permissions')).toEqual([0, 1, 2, 3].map((done) => ({ phase: 'role permissions', done, total: 3 })));
  });

  test('two objects with one key cannot be told apart: an error, not a guess', async () => {
    const { fake, provider } = await setup();
    fake.tenant.permissions.push({ id: 'a', key: 'same', name: 'A' }, { id: 'b', key: 'same', name: 'B' });
    const error = (await provider.read(noScope).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.code).toBe('DUPLICATE_KEY');
  });

  test('a list in a shape the API does not document is an ApiError', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles') return false;
      reply(res, 200, { roles: [{ name: 'no id' }] });
      return true;
    };
    await expect(provider.read(noScope)).rejects.toThrow(ApiError);
  });

  test('a next_token that repeats stops the read instead of looping forever', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/roles') return false;
      reply(res, 200, { roles: [], next_token: 'again' });
      return true;
    };
    await expect(provider.read(noScope)).rejects.toThrow(/next_token/);
  });
});
