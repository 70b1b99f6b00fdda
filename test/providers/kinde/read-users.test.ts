/** Reading users: the list carries nearly everything; per-user reads only for what the scope names, and only where needed. */
import { describe, expect, test } from 'vitest';
import type { ReadScope, UserReadScope } from '../../../src/model/plan.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import type { ProgressEvent } from '../../../src/providers/provider.js';
import { fakeIdentity, fakeOrg, fakeUser, noScope, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


async function setup(options: Partial<KindeProviderOptions> = {}) {
  const { fake, provider } = await fakeProvider(options, {});
  const t = fake.tenant;
  t.permissions.push({ id: 'p_read', key: 'read', name: 'Read' }, { id: 'p_write', key: 'write', name: 'Write' }, { id: 'p_audit', key: 'audit', name: 'Audit' });
  t.roles.push(
    { id: 'r_admin', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: ['p_read', 'p_write'] },
    { id: 'r_member', key: 'member', name: 'Member', description: null, is_default_role: false, permissions: ['p_read'] },
  );
  t.organizations.push(
    fakeOrg({ code: 'org_default', name: 'Default', is_default: true }),
    fakeOrg({ code: 'org_acme', name: 'Acme', external_id: 'acme', properties: { region: 'eu', tier: null } }),
    fakeOrg({ code: 'org_globex', name: 'Globex', external_id: 'globex' }),
  );
  return { fake, provider };
}

const users = (u: Partial<UserReadScope> = {}): ReadScope => ({ ...noScope, users: { ...noScope.users, list: true, ...u } });
const apiRequests = (fake: FakeKinde) => fake.requests.filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);
const base = ['GET /api/v1/permissions', 'GET /api/v1/roles', 'GET /api/v1/roles/r_admin/permissions', 'GET /api/v1/roles/r_member/permissions'];

function ada() {
  return fakeUser({
    id: 'kp_ada', provided_id: 'u-1', first_name: 'Ada', last_name: 'Lovelace',
    identities: [
      fakeIdentity('email', 'Ada@Acme.com'),
      fakeIdentity('email', 'ada@lovelace.dev', { is_primary: false }),
      fakeIdentity('username', 'AdaL'),
      fakeIdentity('phone', '+61400000000'),
      fakeIdentity('oauth2:google', 'ada@gmail.com', { connection_id: 'conn_google' }),
      // Not a type a config can declare: left out, so that a plan never deletes it.
      fakeIdentity('passkey', 'key-1'),
    ],
    orgs: { org_default: { roles: [], permissions: [] }, org_acme: { roles: ['member', 'admin'], permissions: ['audit', 'read'] } },
    properties: { city: 'London' },
  });
}

describe('read users', () => {
  test('seed scope: the user list and the org list, nothing per user; 10,000 users in 20 pages', async () => {
    const { fake, provider } = await setup();
    for (let i = 0; i < 10_000; i++) {
      fake.tenant.users.push(fakeUser({ id: `kp_${i}`, identities: [fakeIdentity('email', `user${i}@acme.com`)], orgs: { org_acme: { roles: [], permissions: [] } } }));
    }
    const live = await provider.read(users({ match: { 'user0@acme.com': { email: 'user0@acme.com' } } }));
    expect(live.users.size).toBe(10_000);
    expect(fake.count('/api/v1/users')).toBe(20);
    expect(fake.count('/api/v1/organizations')).toBe(1);
    // 1 token + permissions + roles + 2 role permission lists + 20 user pages + 1 org page.
    expect(provider.stats().requests).toBe(1 + 4 + 20 + 1);
    const pages = fake.requests.filter((r) => r.path === '/api/v1/users');
    expect(pages.every((r) => r.query.get('page_size') === '500' && r.query.get('expand') === 'organizations,identities')).toBe(true);
    expect(live.users.get('kp_42')!.state).toMatchObject({ identities: ['email:user42@acme.com'], organizations: ['acme'] });
    // Orgs are listed for the users' sake alone: they are not the plan's objects then.
    expect(live.organizations.size).toBe(0);
  });

  test('the state in the planner vocabulary: lower-cased emails and usernames, orgs by external id, primaries from the top level', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(ada(), fakeUser({ id: 'kp_bare', is_suspended: true }));
    const live = await provider.read(users());
    expect(live.users.get('kp_ada')).toEqual({
      id: 'kp_ada', providedId: 'u-1', email: 'ada@acme.com',
      state: {
        first_name: 'Ada', last_name: 'Lovelace', suspended: false,
        identities: ['email:ada@acme.com', 'email:ada@lovelace.dev', 'oauth2:google:ada@gmail.com', 'phone:+61400000000', 'username:adal'],
        'primary.email': 'ada@acme.com', 'primary.username': 'adal', 'primary.phone': '+61400000000',
        // Not at the top level, but the only identity of its type is its primary.
        'primary.oauth2:google': 'ada@gmail.com',
        // The default org has no external id: never idm's to match.
        organizations: ['acme'],
      },
    });
    // Every readable path is there, unset or not: a missing path would mean "cannot be read" to the planner.
    expect(live.users.get('kp_bare')).toEqual({
      id: 'kp_bare', providedId: null, email: null,
      state: { first_name: null, last_name: null, suspended: true, identities: [], 'primary.email': null, 'primary.username': null, 'primary.phone': null, organizations: [] },
    });
    expect(apiRequests(fake).sort()).toEqual([...base, 'GET /api/v1/organizations', 'GET /api/v1/users'].sort());
  });

  test('member_orgs: one member listing per org serves every member; non-members have no roles there; missing orgs cost nothing', async () => {
    const { fake, provider } = await setup();
    fake.tenant.pageCap = 2;
    fake.tenant.users.push(ada());
    for (let i = 0; i < 4; i++) fake.tenant.users.push(fakeUser({ id: `kp_${i}`, orgs: { org_acme: { roles: i % 2 ? ['member'] : [], permissions: [] } } }));
    const live = await provider.read(users({ member_orgs: ['acme', 'globex', 'initech'] }));
    expect(live.users.get('kp_ada')!.state).toMatchObject({ 'organizations.acme.roles': ['admin', 'member'], 'organizations.globex.roles': [], 'organizations.initech.roles': [] });
    expect(live.users.get('kp_1')!.state['organizations.acme.roles']).toEqual(['member']);
    expect(live.users.get('kp_0')!.state['organizations.acme.roles']).toEqual([]);
    // 5 members of acme at 2 a page; globex has none (1 page); initech does not exist.
    expect(fake.count('/api/v1/organizations/org_acme/users')).toBe(3);
    expect(fake.count('/api/v1/organizations/org_globex/users')).toBe(1);
    expect(fake.count(/initech/)).toBe(0);
  });

  test('direct permissions: per matched member only; those that come with a role are left out', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(ada(), fakeUser({ id: 'kp_bob', identities: [fakeIdentity('email', 'bob@acme.com')], orgs: { org_globex: { roles: [], permissions: ['write'] } } }));
    const live = await provider.read(users({
      // Ada by provided id, Bob by email; Carol does not exist yet.
      match: { 'u-1': { id: 'u-1', email: 'nobody@acme.com' }, 'bob@acme.com': { email: 'bob@acme.com' }, carol: { id: 'carol' } },
      permissions: [['u-1', 'acme'], ['u-1', 'globex'], ['bob@acme.com', 'globex'], ['bob@acme.com', 'initech'], ['carol', 'acme']],
    }));
    // Ada has read through both roles and directly (it counts as the roles'), audit directly.
    expect(live.users.get('kp_ada')!.state).toMatchObject({ 'organizations.acme.permissions': ['audit'], 'organizations.globex.permissions': [] });
    expect(live.users.get('kp_bob')!.state).toMatchObject({ 'organizations.globex.permissions': ['write'], 'organizations.initech.permissions': [] });
    const reads = fake.requests.filter((r) => r.path.endsWith('/permissions') && r.path.includes('/users/'));
    expect(reads.map((r) => r.path).sort()).toEqual(['/api/v1/organizations/org_acme/users/kp_ada/permissions', '/api/v1/organizations/org_globex/users/kp_bob/permissions']);
    expect(reads.every((r) => r.query.get('expand') === 'roles')).toBe(true);
  });

  test('properties: one request per matched user asked for; every defined key, null when unset', async () => {
    const { fake, provider } = await setup();
    fake.tenant.userPropertyKeys = ['city', 'team'];
    fake.tenant.users.push(ada(), fakeUser({ id: 'kp_other', provided_id: 'u-2' }));
    const live = await provider.read(users({ match: { 'u-1': { id: 'u-1' }, 'u-3': { id: 'u-3' } }, properties: ['u-1', 'u-3'] }));
    expect(live.users.get('kp_ada')!.state).toMatchObject({ 'properties.city': 'London', 'properties.team': null });
    expect(live.users.get('kp_other')!.state).not.toHaveProperty('properties.city');
    expect(fake.count(/^\/api\/v1\/users\/[^/]+\/properties$/)).toBe(1);
  });

  test('org properties are read for the orgs whose details ask for them; the org list serves the users too', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(ada());
    const live = await provider.read({
      ...users(), organizations: true,
      organization_details: { acme: { detail: false, feature_flags: false, passkey: false, properties: true }, globex: { detail: false, feature_flags: false, passkey: false, properties: false } },
    });
    expect(live.organizations.get('acme')!.state).toMatchObject({ 'properties.region': 'eu', 'properties.tier': null });
    expect(live.organizations.get('globex')!.state).not.toHaveProperty('properties.region');
    expect(fake.count('/api/v1/organizations')).toBe(1);
    expect(fake.count('/api/v1/organizations/org_acme/properties')).toBe(1);
    expect(live.users.get('kp_ada')!.state.organizations).toEqual(['acme']);
  });

  test('per-user reads run with bounded concurrency and report progress', async () => {
    const { fake, provider } = await setup({ parallelism: 3 });
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) {
      fake.tenant.users.push(fakeUser({ id: `kp_${i}`, provided_id: `u${i}`, orgs: { org_acme: { roles: [], permissions: ['read'] } } }));
      keys.push(`u${i}`);
    }
    let inFlight = 0;
    let most = 0;
    fake.intercept = async (req) => {
      if (!/\/(properties|permissions)$/.test(req.path)) return false;
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return false;
    };
    const events: ProgressEvent[] = [];
    await provider.read(
      users({ match: Object.fromEntries(keys.map((k) => [k, { id: k }])), permissions: keys.map((k) => [k, 'acme'] as const), properties: keys }),
      (e) => events.push(e),
    );
    expect(most).toBeLessThanOrEqual(3);
    expect(events.filter((e) => e.phase === 'user details').at(-1)).toEqual({ phase: 'user details', done: 24, total: 24 });
    expect(events.filter((e) => e.phase === 'users').at(-1)).toEqual({ phase: 'users', done: 12, total: 12 });
  });
});
