import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { caller, credentials, token, type Call } from './client.js';

let emulator: KindeEmulator;
let call: Call;
let org: string;
let ids: Record<string, string>;

const errorCode = (body: { errors: { code: string }[] }): string => body.errors[0]!.code;

/** A tenant with roles admin (grants read:a) and viewer, permissions read:a and write:a, an org and three users. */
beforeEach(async () => {
  emulator = await startKindeEmulator({ ...credentials });
  call = caller(emulator.url, await token(emulator.url));
  await call('POST', '/api/v1/permissions', { key: 'read:a', name: 'Read A', description: 'Reads' });
  await call('POST', '/api/v1/permissions', { key: 'write:a', name: 'Write A' });
  const permissions = (await call('GET', '/api/v1/permissions')).body.permissions as { id: string; key: string }[];
  const admin = (await call('POST', '/api/v1/roles', { key: 'admin', name: 'Admin' })).body.role.id;
  const viewer = (await call('POST', '/api/v1/roles', { key: 'viewer', name: 'Viewer' })).body.role.id;
  await call('PATCH', `/api/v1/roles/${admin}/permissions`, { permissions: [{ id: permissions[0]!.id }] });
  org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
  const [ada, bob, cy] = emulator.admin.seedUsers([
    { email: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', org_codes: [] },
    { email: 'bob@example.com', first_name: 'Bob', org_codes: [] },
    { email: 'cy@example.com', org_codes: [] },
  ]);
  ids = { admin, viewer, read: permissions[0]!.id, write: permissions[1]!.id, ada: ada!, bob: bob!, cy: cy! };
});

afterEach(async () => {
  await emulator.close();
});

const members = async (query = '') => (await call('GET', `/api/v1/organizations/${org}/users${query}`)).body.organization_users as { id: string; roles: string[] }[];
const permissionsOf = async (user: string, expand = true) =>
  (await call('GET', `/api/v1/organizations/${org}/users/${user}/permissions${expand ? '?expand=roles' : ''}`)).body.permissions;

describe('organization members', () => {
  test('bulk add takes role and permission keys; the list shows members with their role keys', async () => {
    const added = await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, roles: ['admin', 'viewer'], permissions: ['write:a'] }, { id: ids.bob }] });
    expect(added.body).toEqual({ code: 'OK', message: 'Success', users_added: [ids.ada, ids.bob] });
    const again = await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.bob, roles: ['viewer'] }] });
    expect(again.body.users_added).toEqual([]);
    expect(await members()).toEqual([
      { id: ids.ada, email: 'ada@example.com', full_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', picture: null, joined_on: expect.any(String), last_accessed_on: null, is_suspended: false, roles: ['admin', 'viewer'] },
      { id: ids.bob, email: 'bob@example.com', full_name: 'Bob', first_name: 'Bob', last_name: null, picture: null, joined_on: expect.any(String), last_accessed_on: null, is_suspended: false, roles: ['viewer'] },
    ]);
    expect((await call('GET', `/api/v1/users?user_id=${ids.ada}&expand=organizations`)).body.users[0].organizations).toEqual([org]);
    expect((await members('?roles=viewer')).map((m) => m.id)).toEqual([ids.ada, ids.bob]);
    expect((await members('?roles=admin,viewer')).map((m) => m.id)).toEqual([ids.ada]);
    expect((await members('?permissions=read:a,write:a')).map((m) => m.id)).toEqual([ids.ada]);
    expect(await members('?roles=nope')).toEqual([]);
    expect((await members('?sort=name_desc')).map((m) => m.id)).toEqual([ids.bob, ids.ada]);
    expect((await members('?sort=email_desc&page_size=1')).map((m) => m.id)).toEqual([ids.bob]);
    expect((await call('GET', `/api/v1/organizations/${org}/users?sort=age_asc`)).status).toBe(400);
  });

  test('bulk calls are all or nothing and take at most 100 users', async () => {
    for (const [body, code] of [
      [{ users: [{ id: ids.ada }, { id: ids.bob, roles: ['nope'] }] }, 'ROLE_NOT_FOUND'],
      [{ users: [{ id: ids.ada }, { id: ids.bob, permissions: ['nope'] }] }, 'PERMISSION_NOT_FOUND'],
      [{ users: [{ id: ids.ada }, { id: 'kp_gone' }] }, 'USER_NOT_FOUND'],
      [{ users: [{ roles: [] }] }, 'INVALID_REQUEST'],
      [{}, 'INVALID_REQUEST'],
      [{ users: Array.from({ length: 101 }, () => ({ id: ids.ada })) }, 'TOO_MANY_USERS'],
    ] as const) {
      for (const method of ['POST', 'PATCH']) {
        const got = await call(method, `/api/v1/organizations/${org}/users`, body);
        expect({ method, body, status: got.status, code: errorCode(got.body) }).toEqual({ method, body, status: 400, code });
      }
    }
    expect(await members()).toEqual([]);
    const hundred = emulator.admin.seedUsers(Array.from({ length: 100 }, (_, i) => ({ email: `u${i}@example.com`, org_codes: [] })));
    expect((await call('POST', `/api/v1/organizations/${org}/users`, { users: hundred.map((id) => ({ id })) })).body.users_added).toHaveLength(100);
    expect(errorCode((await call('POST', '/api/v1/organizations/org_00000000000/users', { users: [] })).body)).toBe('ORGANIZATION_NOT_FOUND');
  });

  test('bulk update adds members, adds grants to members, and removes members with operation delete', async () => {
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, roles: ['viewer'] }, { id: ids.bob }] });
    const got = await call('PATCH', `/api/v1/organizations/${org}/users`, {
      users: [{ id: ids.ada, roles: ['admin'] }, { id: ids.bob, operation: 'delete' }, { id: ids.cy, permissions: ['write:a'] }, { id: ids.bob, operation: 'delete' }],
    });
    expect(got.body).toEqual({ code: 'OK', message: 'Success', users_added: [ids.cy], users_updated: [ids.ada], users_removed: [ids.bob] });
    expect((await members()).map((m) => [m.id, m.roles])).toEqual([[ids.ada, ['admin', 'viewer']], [ids.cy, []]]);
    // Granting what a member has changes nothing and lists no one.
    expect((await call('PATCH', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, roles: ['admin'] }] })).body.users_updated).toEqual([]);
    expect(errorCode((await call('PATCH', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, operation: 'remove' }] })).body)).toBe('INVALID_REQUEST');
  });

  test('member pages come in joining order with next_token', async () => {
    const many = emulator.admin.seedUsers(Array.from({ length: 25 }, (_, i) => ({ email: `m${i}@example.com`, org_codes: [org] })));
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = (await call('GET', `/api/v1/organizations/${org}/users?page_size=10${next ? `&next_token=${next}` : ''}`)).body;
      seen.push(...page.organization_users.map((m: { id: string }) => m.id));
      next = page.next_token;
    } while (next);
    expect(seen).toEqual(many);
    const sorted = (await call('GET', `/api/v1/organizations/${org}/users?sort=email_asc&page_size=10`)).body;
    const rest = (await call('GET', `/api/v1/organizations/${org}/users?sort=email_asc&page_size=10&next_token=${sorted.next_token}`)).body;
    // By email, '0' sorts before '@': m0, m10…m18 fill the first page.
    expect(rest.organization_users[0].email).toBe('m19@example.com');
    // A token belongs to the order it came from.
    expect((await call('GET', `/api/v1/organizations/${org}/users?next_token=${sorted.next_token}`)).status).toBe(400);
  });
});

describe("a member's roles and permissions", () => {
  test('roles by id, only for members; removing the membership takes its grants with it', async () => {
    const roles = (user: string) => call('GET', `/api/v1/organizations/${org}/users/${user}/roles`);
    expect(errorCode((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/roles`, { role_id: ids.admin })).body)).toBe('USER_NOT_IN_ORGANIZATION');
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada }] });
    expect((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/roles`, { role_id: ids.admin })).body).toEqual({ code: 'OK', message: 'Success' });
    expect((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/roles`, { role_id: ids.admin })).status).toBe(200);
    expect((await roles(ids.ada)).body).toEqual({ code: 'OK', message: 'Success', roles: [{ id: ids.admin, key: 'admin', name: 'Admin' }] });
    for (const [body, code] of [
      [{ role_id: 'nope' }, 'ROLE_NOT_FOUND'],
      [{ role_id: 'admin' }, 'ROLE_NOT_FOUND'],
      [{}, 'INVALID_REQUEST'],
    ] as const) {
      expect(errorCode((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/roles`, body)).body)).toBe(code);
    }
    expect(errorCode((await roles(ids.bob)).body)).toBe('USER_NOT_IN_ORGANIZATION');
    expect(errorCode((await roles('kp_gone')).body)).toBe('USER_NOT_FOUND');
    expect(errorCode((await call('GET', `/api/v1/organizations/org_00000000000/users/${ids.ada}/roles`)).body)).toBe('ORGANIZATION_NOT_FOUND');

    expect((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.ada}/roles/${ids.viewer}`)).status).toBe(200);
    expect((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.ada}`)).body).toEqual({ code: 'OK', message: 'Success' });
    expect(errorCode((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.ada}`)).body)).toBe('USER_NOT_IN_ORGANIZATION');
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada }] });
    expect((await roles(ids.ada)).body.roles).toEqual([]);
    expect(await permissionsOf(ids.ada)).toEqual([]);
  });

  test('permissions list direct and role grants; expand=roles names the roles; delete takes a direct grant only', async () => {
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, roles: ['admin'] }] });
    expect(await permissionsOf(ids.ada)).toEqual([{ id: ids.read, key: 'read:a', name: 'Read A', description: 'Reads', roles: [{ id: ids.admin, key: 'admin' }] }]);
    expect((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/permissions`, { permission_id: ids.write })).body).toEqual({ code: 'OK', message: 'Success' });
    expect(await permissionsOf(ids.ada, false)).toEqual([
      { id: ids.read, key: 'read:a', name: 'Read A', description: 'Reads' },
      { id: ids.write, key: 'write:a', name: 'Write A' },
    ]);
    expect((await permissionsOf(ids.ada))[1].roles).toEqual([]);
    expect((await call('GET', `/api/v1/organizations/${org}/users/${ids.ada}/permissions?expand=scopes`)).status).toBe(400);
    expect(errorCode((await call('POST', `/api/v1/organizations/${org}/users/${ids.ada}/permissions`, { permission_id: 'nope' })).body)).toBe('PERMISSION_NOT_FOUND');

    // The role's permission stays until the role goes.
    expect((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.ada}/permissions/${ids.read}`)).status).toBe(200);
    expect((await permissionsOf(ids.ada)).map((p: { key: string }) => p.key)).toEqual(['read:a', 'write:a']);
    expect((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.ada}/permissions/${ids.write}`)).status).toBe(200);
    expect((await permissionsOf(ids.ada)).map((p: { key: string }) => p.key)).toEqual(['read:a']);
    expect(errorCode((await call('DELETE', `/api/v1/organizations/${org}/users/${ids.bob}/permissions/${ids.read}`)).body)).toBe('USER_NOT_IN_ORGANIZATION');
  });

  test('deleting a role or permission strips it from every member; deleting an org or user ends its memberships', async () => {
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ids.ada, roles: ['admin', 'viewer'], permissions: ['write:a'] }, { id: ids.bob, roles: ['admin'] }] });
    await call('DELETE', `/api/v1/roles/${ids.admin}`);
    expect((await members()).map((m) => m.roles)).toEqual([['viewer'], []]);
    await call('DELETE', `/api/v1/permissions/${ids.write}`);
    expect(await permissionsOf(ids.ada)).toEqual([]);

    await call('DELETE', `/api/v1/user?id=${ids.bob}`);
    expect((await members()).map((m) => m.id)).toEqual([ids.ada]);
    await call('DELETE', `/api/v1/organization/${org}`);
    expect((await call('GET', `/api/v1/users?user_id=${ids.ada}&expand=organizations`)).body.users[0].organizations).toEqual([]);
    expect((await call('GET', '/api/v1/users?has_organization=false')).body.users.map((u: { id: string }) => u.id)).toEqual([ids.ada, ids.cy]);
  });
});
