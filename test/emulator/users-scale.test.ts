import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Call, startEmulator } from './client.js';

describe('a tenant of 10,000 users', () => {
  test('seeds in one call and lists in pages of at most 500, each costing its own size', async () => {
    const { emulator, call } = await startEmulator();
    const org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
    const ids = emulator.admin.seedUsers(
      Array.from({ length: 10_000 }, (_, i) => ({ email: `user${i}@example.com`, provided_id: `ext-${i}`, first_name: 'User', last_name: String(i), ...(i % 10 === 0 ? { org_codes: [org] } : {}) })),
    );
    expect(ids).toHaveLength(10_000);
    expect(new Set(ids).size).toBe(10_000);

    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = (await call('GET', `/api/v1/users?page_size=1000&expand=organizations,identities${next ? `&next_token=${next}` : ''}`)).body;
      expect(page.users.length).toBeLessThanOrEqual(500);
      seen.push(...page.users.map((u: { id: string }) => u.id));
      next = page.next_token;
      pages++;
    } while (next);
    expect(pages).toBe(20);
    expect(seen).toEqual(ids);

    const filtered = (await call('GET', `/api/v1/users?email=user9999@example.com&expand=organizations`)).body.users;
    expect(filtered).toMatchObject([{ id: ids[9999], provided_id: 'ext-9999', first_name: 'User', last_name: '9999', organizations: [expect.stringMatching(/^org_/)] }]);
    expect((await call('GET', `/api/v1/organizations/${org}/users?page_size=500`)).body.organization_users).toHaveLength(500);
    const acme = (await call('GET', `/api/v1/organizations/${org}/users?page_size=500`)).body;
    const second = (await call('GET', `/api/v1/organizations/${org}/users?page_size=500&next_token=${acme.next_token}`)).body;
    expect([second.organization_users.length, second.next_token]).toEqual([500, undefined]);
  });

  test('a batch with a bad entry creates no one', async () => {
    const { emulator, call } = await startEmulator();
    emulator.admin.seedUsers([{ email: 'taken@example.com' }]);
    for (const batch of [
      [{ email: 'a@example.com' }, { email: 'TAKEN@example.com' }],
      [{ email: 'a@example.com', provided_id: 'p' }, { email: 'b@example.com', provided_id: 'p' }],
      [{ email: 'a@example.com' }, { email: 'b@example.com', org_codes: ['org_00000000000'] }],
      [{ email: 'not an email' }],
    ]) {
      expect(() => emulator.admin.seedUsers(batch)).toThrow(expect.objectContaining({ code: 'EMULATOR_SEED_INVALID' }));
    }
    expect((await call('GET', '/api/v1/users')).body.users).toHaveLength(1);
    expect(emulator.admin.seedUsers([])).toEqual([]);
  });
});

describe('persistence of users', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'idm-emulator-users-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('users, identities, memberships, grants, properties and password metadata survive a restart; hashes are never written', async () => {
    const dataFile = join(dir, 'users.json');
    const before = await startEmulator({ dataFile });
    const { call, emulator } = before;
    const google = emulator.admin.defineConnection({ strategy: 'oauth2:google' });
    emulator.admin.defineProperty({ key: 'town', context: 'usr' });
    emulator.admin.defineProperty({ key: 'tier', context: 'org' });
    const category = (await call('POST', '/api/v1/property_categories', { name: 'Profile', context: 'usr' })).body.category.id;
    await call('POST', '/api/v1/properties', { name: 'Bio', key: 'bio', type: 'multi_line_text', context: 'usr', is_private: true, category_id: category });
    await call('POST', '/api/v1/permissions', { key: 'read:a', name: 'Read A' });
    const role = (await call('POST', '/api/v1/roles', { key: 'admin', name: 'Admin' })).body.role.id;
    await call('POST', '/api/v1/feature_flags', { name: 'Theme', key: 'theme', type: 'str', allow_override_level: 'usr', default_value: 'blue' });
    const org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
    const [ada, bob] = emulator.admin.seedUsers([{ email: 'ada@example.com', provided_id: 'ext-ada', first_name: 'Ada' }, { email: 'bob@example.com', org_codes: [org] }]);
    await call('POST', `/api/v1/users/${ada}/identities`, { type: 'social', value: 'ada@gmail.com', connection_id: google });
    await call('POST', `/api/v1/users/${ada}/identities`, { type: 'username', value: 'ada' });
    await call('POST', `/api/v1/organizations/${org}/users`, { users: [{ id: ada, roles: ['admin'], permissions: ['read:a'] }] });
    await call('PATCH', `/api/v1/users/${ada}/properties`, { properties: { town: 'London', bio: 'Countess' } });
    await call('PUT', `/api/v1/organizations/${org}/properties/tier?value=gold`);
    await call('PATCH', `/api/v1/users/${ada}/feature_flags/theme?value=green`);
    await call('PATCH', `/api/v1/user?id=${bob}`, { is_suspended: true });
    const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
    await call('PUT', `/api/v1/users/${ada}/password`, { hashed_password: hash, is_temporary_password: true });

    const reads = [
      '/api/v1/users?expand=organizations,identities',
      `/api/v1/user?id=${ada}&expand=organizations,identities`,
      `/api/v1/users/${ada}/identities`,
      `/api/v1/organizations/${org}/users`,
      `/api/v1/organizations/${org}/users/${ada}/roles`,
      `/api/v1/organizations/${org}/users/${ada}/permissions?expand=roles`,
      `/api/v1/users/${ada}/properties`,
      `/api/v1/organizations/${org}/properties`,
      '/api/v1/properties',
      '/api/v1/property_categories',
    ];
    const readAll = (from: Call) => Promise.all(reads.map(async (path) => (await from('GET', path)).body));
    const seen = await readAll(call);
    await emulator.close();

    const text = await readFile(dataFile, 'utf8');
    expect(text).not.toContain(hash);
    const saved = JSON.parse(text);
    expect(saved.version).toBe(3);
    const savedAda = saved.users.find((u: { id: string }) => u.id === ada);
    expect(savedAda).toMatchObject({ password: { hashingMethod: 'bcrypt', isTemporary: true }, flagOverrides: { theme: 'green' }, properties: { town: 'London', bio: 'Countess' } });
    expect(savedAda).not.toHaveProperty('organizations');

    const after = await startEmulator({ dataFile });
    expect(await readAll(after.call)).toEqual(seen);
    // The indexes are rebuilt: emails stay taken, social identities keep their type, connections still resolve.
    expect((await after.call('POST', '/api/v1/user', { identities: [{ type: 'email', details: { email: 'ADA@example.com' } }] })).status).toBe(400);
    expect((await after.call('GET', '/api/v1/users?username=ADA')).body.users.map((u: { id: string }) => u.id)).toEqual([ada]);
    expect((await after.call('POST', `/api/v1/users/${bob}/identities`, { type: 'social', value: 'bob@gmail.com', connection_id: google })).status).toBe(201);
    expect((await after.call('DELETE', `/api/v1/roles/${role}`)).status).toBe(200);
    expect((await after.call('GET', `/api/v1/organizations/${org}/users/${ada}/roles`)).body.roles).toEqual([]);

    // A replace cannot grant user overrides, so it drops them.
    await after.call('PUT', `/api/v1/feature_flags/theme?${new URLSearchParams({ name: 'Theme', description: '', type: 'str', allow_override_level: 'org', default_value: 'blue' })}`);
    await after.emulator.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8')).users.find((u: { id: string }) => u.id === ada).flagOverrides).toEqual({});
  });

  test('a version 2 file (no users) still loads, and gets users from then on', async () => {
    const dataFile = join(dir, 'v2.json');
    const first = await startEmulator({ dataFile });
    await first.call('POST', '/api/v1/organization', { name: 'Acme' });
    await first.emulator.close();
    // Turn the file into what the emulator wrote before users existed.
    const v3 = JSON.parse(await readFile(dataFile, 'utf8'));
    const { users: _u, properties: _p, propertyCategories: _c, connections: _n, ...rest } = v3;
    const v2 = { ...rest, version: 2, organizations: rest.organizations.map(({ members: _m, properties: _q, ...org }: Record<string, unknown>) => org) };
    await writeFile(dataFile, JSON.stringify(v2));

    const { emulator, call } = await startEmulator({ dataFile });
    expect((await call('GET', '/api/v1/users')).body.users).toEqual([]);
    expect((await call('GET', '/api/v1/organizations')).body.organizations).toHaveLength(2);
    const id = (await call('POST', '/api/v1/user', { identities: [{ type: 'email', details: { email: 'ada@example.com' } }] })).body.id;
    expect((await call('GET', `/api/v1/user?id=${id}&expand=organizations`)).body.organizations).toHaveLength(1);
    await emulator.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8'))).toMatchObject({ version: 3, users: [expect.objectContaining({ id })] });
  });
});
