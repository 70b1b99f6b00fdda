import { describe, expect, test } from 'vitest';
import { type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';
import { token, type Call, startEmulator } from './client.js';

const start = async (options: Partial<KindeEmulatorOptions> = {}): Promise<Call> => (await startEmulator(options)).call;

async function createPermissions(call: Call, count: number, prefix = 'p'): Promise<void> {
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${String(i).padStart(4, '0')}`;
    expect((await call('POST', '/api/v1/permissions', { key, name: `Name ${key}` })).status).toBe(201);
  }
}

/** Follows next_token to the end, as a careful client does. */
async function listAll(call: Call, path: string, field: string): Promise<{ items: { id: string; key: string }[]; pages: number[] }> {
  const items: { id: string; key: string }[] = [];
  const pages: number[] = [];
  let next: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const got = await call('GET', next ? `${path}${sep}next_token=${encodeURIComponent(next)}` : path);
    expect(got.status).toBe(200);
    items.push(...got.body[field]);
    pages.push(got.body[field].length);
    next = got.body.next_token;
  } while (next);
  return { items, pages };
}

async function permissionId(call: Call, key: string): Promise<string> {
  const { items } = await listAll(call, '/api/v1/permissions?page_size=500', 'permissions');
  const found = items.find((p) => p.key === key);
  if (!found) throw new Error(`no permission ${key}`);
  return found.id;
}

async function createRole(call: Call, key: string, extra: object = {}): Promise<string> {
  const got = await call('POST', '/api/v1/roles', { key, name: `Role ${key}`, ...extra });
  expect(got.status).toBe(201);
  return got.body.role.id as string;
}

describe('permissions', () => {
  test('create answers 201 with the bare success envelope (no id); the permission then shows in the list', async () => {
    const call = await start();
    const created = await call('POST', '/api/v1/permissions', { key: 'read:invoices', name: 'Read invoices', description: 'See them' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ code: 'OK', message: 'Success' });
    expect(created.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const list = await call('GET', '/api/v1/permissions');
    expect(list.body.permissions).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), key: 'read:invoices', name: 'Read invoices', description: 'See them' }]);
    expect(list.body.next_token).toBeUndefined();
  });

  test('a duplicate key, a missing key and a body that is not JSON are 400 error_response', async () => {
    const call = await start();
    await createPermissions(call, 1);
    const duplicate = await call('POST', '/api/v1/permissions', { key: 'p:0000', name: 'Again' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0].code).toBe('PERMISSION_ALREADY_EXISTS');
    expect((await call('POST', '/api/v1/permissions', { name: 'No key' })).status).toBe(400);
    const broken = await call('POST', '/api/v1/permissions', '{"key": ');
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0].code).toBe('INVALID_JSON');
  });

  test('PATCH updates in place (200) and refuses a key another permission holds; an unknown id is 400', async () => {
    const call = await start();
    await createPermissions(call, 2);
    const id = await permissionId(call, 'p:0000');
    const updated = await call('PATCH', `/api/v1/permissions/${id}`, { name: 'Renamed', description: 'Now described' });
    expect(updated).toMatchObject({ status: 200, body: { code: 'OK', message: 'Success' } });
    const list = await call('GET', '/api/v1/permissions');
    expect(list.body.permissions[0]).toEqual({ id, key: 'p:0000', name: 'Renamed', description: 'Now described' });
    expect((await call('PATCH', `/api/v1/permissions/${id}`, { key: 'p:0001' })).status).toBe(400);
    const unknown = await call('PATCH', '/api/v1/permissions/01929904-316d-bb2c-069f-99dfea4ac394', { name: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('PERMISSION_NOT_FOUND');
  });

  test('page_size above the cap is clamped, and next_token walks every item once, in creation order', async () => {
    const call = await start({ pageSizeCap: 5 });
    await createPermissions(call, 12);
    const { items, pages } = await listAll(call, '/api/v1/permissions?page_size=100', 'permissions');
    expect(pages).toEqual([5, 5, 2]);
    expect(items.map((p) => p.key)).toEqual(Array.from({ length: 12 }, (_, i) => `p:${String(i).padStart(4, '0')}`));
  });

  test('the default cap is 500 per page and the default page size 10', async () => {
    const call = await start();
    await createPermissions(call, 501);
    const first = await call('GET', '/api/v1/permissions?page_size=1000');
    expect(first.body.permissions).toHaveLength(500);
    expect(first.body.next_token).toEqual(expect.any(String));
    expect((await call('GET', '/api/v1/permissions')).body.permissions).toHaveLength(10);
  });

  test('sorts apply across pages; a token is only good for the sort it came from', async () => {
    const call = await start();
    await createPermissions(call, 7);
    const { items, pages } = await listAll(call, '/api/v1/permissions?sort=name_desc&page_size=3', 'permissions');
    expect(pages).toEqual([3, 3, 1]);
    expect(items.map((p) => p.key)).toEqual(['p:0006', 'p:0005', 'p:0004', 'p:0003', 'p:0002', 'p:0001', 'p:0000']);
    const byId = await listAll(call, '/api/v1/permissions?sort=id_asc&page_size=2', 'permissions');
    expect(byId.items.map((p) => p.id)).toEqual(items.map((p) => p.id).sort());
    const first = await call('GET', '/api/v1/permissions?sort=name_asc&page_size=3');
    const mixed = await call('GET', `/api/v1/permissions?sort=name_desc&page_size=3&next_token=${first.body.next_token}`);
    expect(mixed.status).toBe(400);
  });

  test('deleting a permission removes it from every role that had it', async () => {
    const call = await start();
    await createPermissions(call, 2);
    const [gone, kept] = [await permissionId(call, 'p:0000'), await permissionId(call, 'p:0001')];
    const roles = [await createRole(call, 'a'), await createRole(call, 'b')];
    for (const role of roles) await call('PATCH', `/api/v1/roles/${role}/permissions`, { permissions: [{ id: gone }, { id: kept }] });
    expect(await call('DELETE', `/api/v1/permissions/${gone}`)).toMatchObject({ status: 200, body: { code: 'OK' } });
    for (const role of roles) {
      const granted = await call('GET', `/api/v1/roles/${role}/permissions`);
      expect(granted.body.permissions.map((p: { id: string }) => p.id)).toEqual([kept]);
    }
    expect((await call('DELETE', `/api/v1/permissions/${gone}`)).status).toBe(400);
  });
});

describe('roles', () => {
  test('create answers 201 with the new id; get and list show it, description null in the list', async () => {
    const call = await start();
    const id = await createRole(call, 'admin', { is_default_role: true });
    const got = await call('GET', `/api/v1/roles/${id}`);
    expect(got.body).toEqual({ code: 'OK', message: 'Success', role: { id, key: 'admin', name: 'Role admin', is_default_role: true } });
    const list = await call('GET', '/api/v1/roles');
    expect(list.body.roles).toEqual([{ id, key: 'admin', name: 'Role admin', description: null, is_default_role: true }]);
    expect((await call('POST', '/api/v1/roles', { key: 'admin', name: 'Again' })).status).toBe(400);
  });

  test('PATCH without both name and key is 400; with both it answers 201 and keeps what it was not given', async () => {
    const call = await start();
    const id = await createRole(call, 'admin', { description: 'All of it', is_default_role: true });
    const noKey = await call('PATCH', `/api/v1/roles/${id}`, { name: 'Administrator' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.errors[0].message).toContain('key');
    expect((await call('PATCH', `/api/v1/roles/${id}`, { key: 'admin' })).status).toBe(400);
    const both = await call('PATCH', `/api/v1/roles/${id}`, { name: 'Administrator', key: 'admin' });
    expect(both).toMatchObject({ status: 201, body: { code: 'OK', message: 'Success' } });
    expect((await call('GET', `/api/v1/roles/${id}`)).body.role).toEqual({ id, key: 'admin', name: 'Administrator', description: 'All of it', is_default_role: true });
  });

  test('list sorts by key and name; unknown ids are 400 ROLE_NOT_FOUND; delete removes the role', async () => {
    const call = await start();
    const ids = [await createRole(call, 'b'), await createRole(call, 'c'), await createRole(call, 'a')];
    expect((await call('GET', '/api/v1/roles?sort=key_asc')).body.roles.map((r: { key: string }) => r.key)).toEqual(['a', 'b', 'c']);
    expect((await call('GET', '/api/v1/roles?sort=name_desc')).body.roles.map((r: { key: string }) => r.key)).toEqual(['c', 'b', 'a']);
    expect((await call('GET', '/api/v1/roles')).body.roles.map((r: { key: string }) => r.key)).toEqual(['b', 'c', 'a']);
    expect(await call('DELETE', `/api/v1/roles/${ids[0]}`)).toMatchObject({ status: 200, body: { code: 'OK' } });
    const gone = await call('GET', `/api/v1/roles/${ids[0]}`);
    expect(gone.status).toBe(400);
    expect(gone.body.errors[0].code).toBe('ROLE_NOT_FOUND');
  });

  test('role permissions: PATCH adds and removes by id, re-adding is a no-op, unknown ids are 400; DELETE removes one', async () => {
    const call = await start();
    await createPermissions(call, 3);
    const [p0, p1, p2] = [await permissionId(call, 'p:0000'), await permissionId(call, 'p:0001'), await permissionId(call, 'p:0002')];
    const role = await createRole(call, 'admin');
    const path = `/api/v1/roles/${role}/permissions`;
    const added = await call('PATCH', path, { permissions: [{ id: p0 }, { id: p1 }] });
    expect(added).toMatchObject({ status: 200, body: { code: 'OK', permissions_added: [p0, p1], permissions_removed: [] } });
    const mixed = await call('PATCH', path, { permissions: [{ id: p1 }, { id: p0, operation: 'delete' }, { id: p2 }] });
    expect(mixed.body).toMatchObject({ permissions_added: [p2], permissions_removed: [p0] });
    const unknown = await call('PATCH', path, { permissions: [{ id: p0 }, { id: '01929904-316d-bb2c-069f-99dfea4ac394' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].code).toBe('PERMISSION_NOT_FOUND');
    const listed = await call('GET', `${path}?sort=name_asc`);
    expect(listed.body.permissions.map((p: { key: string }) => p.key)).toEqual(['p:0001', 'p:0002']);
    expect(listed.body.permissions[0]).toEqual({ id: p1, key: 'p:0001', name: 'Name p:0001' });
    expect(await call('DELETE', `${path}/${p1}`)).toMatchObject({ status: 200, body: { code: 'OK' } });
    expect((await call('GET', path)).body.permissions.map((p: { id: string }) => p.id)).toEqual([p2]);
    expect((await call('PATCH', '/api/v1/roles/01929904-316d-bb2c-069f-99dfea4ac394/permissions', { permissions: [] })).status).toBe(400);
  });

  test('environment reports a live production environment on the emulator host', async () => {
    const { emulator, call } = await startEmulator();
    const got = await call('GET', '/api/v1/environment');
    expect(got.body).toMatchObject({
      code: 'OK',
      environment: { code: 'production', name: 'Production', is_default: true, is_live: true, hotjar_site_id: null, google_analytics_tag: null, contentsquare_tag_id: null, kinde_domain: new URL(emulator.url).host },
    });
  });

  test('an unknown route is 404 with errors as an object, not an array', async () => {
    const call = await start();
    for (const [method, path] of [['GET', '/api/v1/nothing'], ['GET', '/api/v1/permissions/abc'], ['PUT', '/api/v1/roles'], ['GET', '/']]) {
      const got = await call(method!, path!);
      expect(got.status).toBe(404);
      expect(got.body).toEqual({ errors: { code: 'ROUTE_NOT_FOUND', message: 'The requested API route does not exist' } });
    }
  });
});
