/** The Writer: request bodies, ids resolved lazily and once, chunking, and creates that never happen twice. */
import { describe, expect, test } from 'vitest';
import { ApiError, IdmError } from '../../../src/errors.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { noScope, reply, type FakeKinde, type Recorded } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


const setup = (options: Partial<KindeProviderOptions> = {}) => fakeProvider(options);

const bodies = (fake: FakeKinde, method: string, path: string | RegExp): unknown[] =>
  fake.requests.filter((r: Recorded) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).map((r) => JSON.parse(r.body));

/** Marks where the test's writes start, so reads made to set up are not counted. */
const since = (fake: FakeKinde) => {
  const start = fake.requests.length;
  return (path: string | RegExp, method?: string) =>
    fake.requests.slice(start).filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)) && (method === undefined || r.method === method)).length;
};

describe('request bodies', () => {
  test('creates send key, name and a managed description; an unmanaged one is left out', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    await writer.createPermission('read:a', { name: 'Read A', description: 'Reads A' });
    await writer.createPermission('read:b', { name: 'Read B' });
    await writer.createPermission('read:c', { name: 'Read C', description: null });
    await writer.createRole('admin', { name: 'Admin', description: 'All of it', default: true });
    await writer.createRole('viewer', { name: 'Viewer', default: false });
    expect(bodies(fake, 'POST', '/api/v1/permissions')).toEqual([
      { key: 'read:a', name: 'Read A', description: 'Reads A' },
      { key: 'read:b', name: 'Read B' },
      { key: 'read:c', name: 'Read C' },
    ]);
    expect(bodies(fake, 'POST', '/api/v1/roles')).toEqual([
      { key: 'admin', name: 'Admin', description: 'All of it', is_default_role: true },
      { key: 'viewer', name: 'Viewer', is_default_role: false },
    ]);
  });

  test('updates restate name and key (Kinde requires both on roles); null clears a description', async () => {
    const { fake, provider } = await setup();
    fake.tenant.permissions.push({ id: 'p1', key: 'read:a', name: 'Read A', description: 'old' });
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: 'old', is_default_role: false, permissions: [] });
    const writer = provider.writer(await provider.read(noScope));
    await writer.updatePermission('read:a', { name: 'Read all A' });
    await writer.updatePermission('read:a', { name: 'Read all A', description: null });
    await writer.updateRole('admin', { name: 'Administrator', default: true });
    await writer.updateRole('admin', { name: 'Administrator', description: 'new', default: true });
    expect(bodies(fake, 'PATCH', '/api/v1/permissions/p1')).toEqual([
      { key: 'read:a', name: 'Read all A' },
      { key: 'read:a', name: 'Read all A', description: '' },
    ]);
    expect(bodies(fake, 'PATCH', '/api/v1/roles/r1')).toEqual([
      { name: 'Administrator', key: 'admin', is_default_role: true },
      { name: 'Administrator', key: 'admin', description: 'new', is_default_role: true },
    ]);
  });

  test('deletes address the ids read from the tenant', async () => {
    const { fake, provider } = await setup();
    fake.tenant.permissions.push({ id: 'p1', key: 'read:a', name: 'Read A' });
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
    const writer = provider.writer(await provider.read(noScope));
    const count = since(fake);
    await writer.deleteRole('admin');
    await writer.deletePermission('read:a');
    expect(fake.tenant).toMatchObject({ permissions: [], roles: [] });
    expect(count(/./)).toBe(2);
  });

  test('changing role permissions sends ids, adds and removes in one PATCH, chunked at 100', async () => {
    const { fake, provider } = await setup();
    for (let i = 0; i < 260; i++) fake.tenant.permissions.push({ id: `p${i}`, key: `k${i}`, name: `n${i}` });
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: ['p250', 'p251'] });
    const writer = provider.writer(await provider.read(noScope));
    const add = Array.from({ length: 248 }, (_, i) => `k${i}`);
    await writer.changeRolePermissions('admin', add, ['k250']);
    const patches = bodies(fake, 'PATCH', '/api/v1/roles/r1/permissions') as { permissions: { id: string; operation?: string }[] }[];
    expect(patches.map((p) => p.permissions.length)).toEqual([100, 100, 49]);
    expect(patches[0]!.permissions[0]).toEqual({ id: 'p0' });
    expect(patches[2]!.permissions.at(-1)).toEqual({ id: 'p250', operation: 'delete' });
    expect(fake.tenant.roles[0]!.permissions).toHaveLength(249);
    await writer.changeRolePermissions('admin', [], []);
    expect(fake.count('/api/v1/roles/r1/permissions', 'PATCH')).toBe(3);
  });
});

describe('ids of what this run created', () => {
  test('permissions created without an id are found by ONE listing shared by every role that needs them', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => writer.createPermission(`p:${k}`, { name: k })));
    await Promise.all(['r1', 'r2', 'r3', 'r4'].map((r) => writer.createRole(r, { name: r, default: false })));
    const count = since(fake);
    await Promise.all([
      writer.changeRolePermissions('r1', ['p:a', 'p:b'], []),
      writer.changeRolePermissions('r2', ['p:c'], []),
      writer.changeRolePermissions('r3', ['p:d', 'p:e'], []),
      writer.changeRolePermissions('r4', ['p:a'], []),
    ]);
    expect(count('/api/v1/permissions', 'GET')).toBe(1);
    expect(count(/^\/api\/v1\/roles$/)).toBe(0);
    const keys = (role: string) => fake.tenant.roles.find((r) => r.key === role)!.permissions.map((id) => fake.tenant.permissions.find((p) => p.id === id)!.key);
    expect(keys('r1')).toEqual(['p:a', 'p:b']);
    expect(keys('r3')).toEqual(['p:d', 'p:e']);
    // Later calls use the ids that listing found.
    await writer.changeRolePermissions('r2', ['p:e'], ['p:c']);
    expect(count('/api/v1/permissions', 'GET')).toBe(1);
  });

  test('a permission created after a listing started is looked up by a new one', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    await writer.createRole('r', { name: 'r', default: false });
    await writer.createPermission('p:1', { name: '1' });
    await writer.changeRolePermissions('r', ['p:1'], []);
    await writer.createPermission('p:2', { name: '2' });
    await writer.changeRolePermissions('r', ['p:2'], []);
    expect(fake.count('/api/v1/permissions', 'GET')).toBe(3); // the read, then one per creation round
  });

  test('an id in the create response (as the docs show) is used, and nothing is listed', async () => {
    const { fake, provider } = await setup();
    fake.tenant.permissionIdOnCreate = true;
    const writer = provider.writer(await provider.read(noScope));
    const count = since(fake);
    await writer.createPermission('p:1', { name: '1' });
    await writer.createRole('r', { name: 'r', default: false });
    await writer.changeRolePermissions('r', ['p:1'], []);
    expect(count(/./, 'GET')).toBe(0);
  });

  test('a permission that exists nowhere is an error naming it; removing one that is gone is a no-op', async () => {
    const { fake, provider } = await setup();
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
    const writer = provider.writer(await provider.read(noScope));
    const error = (await writer.changeRolePermissions('admin', ['nope'], []).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.message).toContain('"nope"');
    await writer.changeRolePermissions('admin', [], ['gone']);
    expect(fake.count('/api/v1/roles/r1/permissions', 'PATCH')).toBe(0);
  });
});

describe('creates are never repeated blindly', () => {
  test('a POST that times out but did create: found by listing, not sent again', async () => {
    const { fake, provider } = await setup({ timeoutMs: 200 });
    const writer = provider.writer(await provider.read(noScope));
    let first = true;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/permissions' || !first) return false;
      first = false;
      const body = JSON.parse(req.body);
      tenant.permissions.push({ id: 'p-created', key: body.key, name: body.name });
      setTimeout(() => reply(res, 201, { code: 'OK', message: 'Success' }), 2000);
      return true;
    };
    await writer.createPermission('read:a', { name: 'Read A' });
    expect(fake.count('/api/v1/permissions', 'POST')).toBe(1);
    expect(fake.tenant.permissions).toHaveLength(1);
    // The listing that found it also told us its id.
    await writer.createRole('r', { name: 'r', default: false });
    const count = since(fake);
    await writer.changeRolePermissions('r', ['read:a'], []);
    expect(count('/api/v1/permissions', 'GET')).toBe(0);
    expect(bodies(fake, 'PATCH', /\/permissions$/)).toEqual([{ permissions: [{ id: 'p-created' }] }]);
  });

  test('a POST answered 500 that did not create: listed, found missing, sent again, created once', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    let first = true;
    fake.intercept = (req, res) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/roles' || !first) return false;
      first = false;
      reply(res, 500, { errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'oops' }] });
      return true;
    };
    await writer.createRole('admin', { name: 'Admin', default: false });
    expect(fake.count('/api/v1/roles', 'POST')).toBe(2);
    expect(fake.tenant.roles.map((r) => r.key)).toEqual(['admin']);
    expect(provider.stats().retries).toBe(1);
  });

  test('a POST whose connection drops after it created: the role id comes from the listing', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    let first = true;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/roles' || !first) return false;
      first = false;
      tenant.roles.push({ id: 'r-created', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
      res.socket?.destroy();
      return true;
    };
    await writer.createRole('admin', { name: 'Admin', default: false });
    await writer.updateRole('admin', { name: 'Administrator', default: false });
    expect(fake.count('/api/v1/roles', 'POST')).toBe(1);
    expect(fake.tenant.roles).toEqual([expect.objectContaining({ id: 'r-created', name: 'Administrator' })]);
  });

  test('a retried POST refused as "already exists" after a lost answer is checked, not reported', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(noScope));
    let posts = 0;
    let lists = 0;
    fake.intercept = (req, res, tenant) => {
      if (req.path !== '/api/v1/permissions') return false;
      if (req.method === 'GET' && ++lists === 1) {
        // The slow first attempt lands only after the first check has listed, so the
        // retry is refused as a duplicate and the second check finds the permission.
        reply(res, 200, { permissions: [] });
        tenant.permissions.push({ id: 'late', key: 'read:a', name: 'Read A' });
        return true;
      }
      if (req.method === 'POST' && ++posts === 1) {
        reply(res, 503, '');
        return true;
      }
      return false;
    };
    await writer.createPermission('read:a', { name: 'Read A' });
    expect(posts).toBe(2);
    expect(fake.tenant.permissions.map((p) => p.id)).toEqual(['late']);
  });

  test('a POST failing every time: bounded retries, each after a check, then an ApiError and nothing created', async () => {
    const { fake, provider } = await setup({ retries: 2 });
    const writer = provider.writer(await provider.read(noScope));
    fake.intercept = (req, res) => {
      if (req.method !== 'POST') return false;
      reply(res, 500, { errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'oops' }] });
      return true;
    };
    const error = (await writer.createPermission('read:a', { name: 'Read A' }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(500);
    expect(fake.count('/api/v1/permissions', 'POST')).toBe(3);
    expect(fake.tenant.permissions).toHaveLength(0);
  });
  test('when retries run out, one last check still finds a create that the final attempt made', async () => {
    const { fake, provider } = await setup({ retries: 1 });
    const writer = provider.writer(await provider.read(noScope));
    let posts = 0;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/roles') return false;
      if (++posts === 2) tenant.roles.push({ id: 'r-late', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
      reply(res, 500, '');
      return true;
    };
    await writer.createRole('admin', { name: 'Admin', default: false });
    await writer.updateRole('admin', { name: 'Admin', default: true });
    expect(posts).toBe(2);
    expect(fake.tenant.roles).toEqual([expect.objectContaining({ id: 'r-late', is_default_role: true })]);
  });
});

describe('deletes', () => {
  test('a DELETE that failed after deleting, then hears "not found", is done', async () => {
    const { fake, provider } = await setup();
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
    fake.tenant.permissions.push({ id: 'p1', key: 'read:a', name: 'Read A' });
    const writer = provider.writer(await provider.read(noScope));
    const seen = new Set<string>();
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'DELETE' || seen.has(req.path)) return false;
      seen.add(req.path);
      tenant.roles = tenant.roles.filter((r) => !req.path.endsWith(r.id));
      tenant.permissions = tenant.permissions.filter((p) => !req.path.endsWith(p.id));
      reply(res, 502, '');
      return true;
    };
    await writer.deleteRole('admin'); // retry answered 400 ROLE_NOT_FOUND
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'DELETE') return false;
      if (!seen.has(req.path)) {
        seen.add(req.path);
        tenant.permissions = [];
        res.socket?.destroy();
      } else reply(res, 404, { errors: { code: 'ROUTE_NOT_FOUND', message: 'gone' } });
      return true;
    };
    await writer.deletePermission('read:a');
    expect(fake.count(/^\/api\/v1\/(roles|permissions)\/[^/]+$/, 'DELETE')).toBe(4);
  });

  test('a DELETE refused as "not found" at the first attempt is an error: someone else changed the tenant', async () => {
    const { fake, provider } = await setup();
    fake.tenant.roles.push({ id: 'r1', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: [] });
    const writer = provider.writer(await provider.read(noScope));
    fake.tenant.roles = [];
    const error = (await writer.deleteRole('admin').catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.apiCode).toBe('ROLE_NOT_FOUND');
  });
});
