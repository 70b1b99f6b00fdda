/**
 * Writing users: a create makes every call its fields need, an update only those its diff needs, identities are
 * added before the ones they replace are deleted, grants go by key in bulk and are revoked by id, and a password hash
 * goes into one request body and nowhere else.
 */
import { describe, expect, test } from 'vitest';
import { ApiError, IdmError } from '../../../src/errors.js';
import type { PasswordSpec, UserSpec } from '../../../src/model/desired.js';
import type { FieldDiff, FlatState, ReadScope, UserChange } from '../../../src/model/plan.js';
import { flattenUser } from '../../../src/plan/flatten.js';
import { plan } from '../../../src/plan/plan.js';
import { readScope } from '../../../src/plan/scope.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { passwordBody } from '../../../src/providers/kinde/write-user.js';
import type { KindeWriter } from '../../../src/providers/kinde/writer.js';
import type { Provider } from '../../../src/providers/provider.js';
import { desired, target } from '../../helpers/model.js';
import { fakeIdentity, fakeOrg, fakeUser, reply, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


async function setup(options: Partial<KindeProviderOptions> = {}): Promise<{ fake: FakeKinde; provider: Provider }> {
  const { fake, provider } = await fakeProvider(options);
  const t = fake.tenant;
  t.permissions.push({ id: 'p_read', key: 'read', name: 'Read' }, { id: 'p_write', key: 'write', name: 'Write' }, { id: 'p_audit', key: 'audit', name: 'Audit' });
  t.roles.push(
    { id: 'r_admin', key: 'admin', name: 'Admin', description: null, is_default_role: false, permissions: ['p_read', 'p_write'] },
    { id: 'r_member', key: 'member', name: 'Member', description: null, is_default_role: false, permissions: ['p_read'] },
    { id: 'r_billing', key: 'billing', name: 'Billing', description: null, is_default_role: false, permissions: [] },
  );
  t.organizations.push(
    fakeOrg({ code: 'org_acme', name: 'Acme', external_id: 'acme' }),
    fakeOrg({ code: 'org_globex', name: 'Globex', external_id: 'globex' }),
    fakeOrg({ code: 'org_initech', name: 'Initech', external_id: 'initech' }),
  );
  t.flags.push({ key: 'beta', name: 'Beta', description: '', type: 'bool', allow_override_level: 'usr', default_value: 'false' });
  t.userPropertyKeys = ['city', 'team'];
  return { fake, provider };
}

const hash = '$2b$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const bcrypt: PasswordSpec = { method: 'bcrypt', hash, temporary: true, version: 1 };

const email = (value: string, primary = true) => ({ type: 'email' as const, value, verified: true, primary });
const grants = (roles: string[] = [], permissions: string[] = []) => ({ roles: new Set(roles), permissions: new Set(permissions) });

const ada: UserSpec = {
  key: 'u-1', id: 'u-1', firstName: 'Ada', lastName: 'Lovelace', suspended: true,
  identities: [
    { type: 'email', value: 'ada@lovelace.dev', verified: false, primary: false },
    { type: 'email', value: 'ada@acme.com', verified: true, primary: true },
    { type: 'username', value: 'adal', verified: true, primary: true },
    { type: 'oauth2:google', value: 'ada@gmail.com', verified: true, primary: false, connectionId: 'conn_google' },
  ],
  password: bcrypt,
  properties: new Map([['city', 'London']]),
  featureFlags: new Map([['beta', true]]),
  organizations: new Map([['acme', grants(['admin', 'member'], ['audit'])], ['globex', grants()], ['initech', grants(['member'])]]),
};

const userScope = (spec: UserSpec, mode: 'seed' | 'managed' = 'managed'): ReadScope => readScope(desired({ users: [spec], usersMode: mode }));
const create = (spec: UserSpec): UserChange => ({ action: 'create', type: 'user', key: spec.key, before: null, after: flattenUser(spec), diff: [] });
function update(key: string, before: FlatState, after: FlatState, diff: FieldDiff[]): UserChange {
  return { action: 'update', type: 'user', key, before, after, diff: diff as [FieldDiff, ...FieldDiff[]] };
}

const calls = (fake: FakeKinde) => {
  const start = fake.requests.length;
  return () => fake.requests.slice(start).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`);
};
const bodyOf = (fake: FakeKinde, method: string, path: string | RegExp) =>
  JSON.parse(fake.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).at(-1)!.body);

async function writerFor(provider: Provider, scope: ReadScope): Promise<KindeWriter> {
  return provider.writer(await provider.read(scope)) as KindeWriter;
}

describe('writeUser: create', () => {
  test('the create, then each call its fields need; the org without grants is the one the create joins', async () => {
    const { fake, provider } = await setup();
    const writer = await writerFor(provider, userScope(ada));
    const made = calls(fake);
    await writer.writeUserWith(create(ada), bcrypt, ada);
    const user = fake.tenant.users[0]!;
    const id = user.id;
    expect(made()).toEqual([
      'POST /api/v1/user',
      'POST /api/v1/organizations/org_acme/users',
      'POST /api/v1/organizations/org_initech/users',
      `POST /api/v1/users/${id}/identities`,
      // Two emails: the primary is made so explicitly, which takes the identity ids.
      `GET /api/v1/users/${id}/identities`,
      expect.stringMatching(/^PATCH \/api\/v1\/identities\//),
      `PUT /api/v1/users/${id}/password`,
      'PATCH /api/v1/user',
      `PATCH /api/v1/users/${id}/properties`,
      `PATCH /api/v1/users/${id}/feature_flags/beta`,
      'POST /api/v1/environment_variables',
    ]);
    expect(bodyOf(fake, 'POST', '/api/v1/user')).toEqual({
      profile: { given_name: 'Ada', family_name: 'Lovelace' },
      organization_code: 'org_globex',
      provided_id: 'u-1',
      identities: [
        { type: 'email', is_verified: true, details: { email: 'ada@acme.com' } },
        { type: 'email', is_verified: false, details: { email: 'ada@lovelace.dev' } },
        { type: 'username', is_verified: true, details: { username: 'adal' } },
      ],
    });
    expect(bodyOf(fake, 'POST', '/api/v1/organizations/org_acme/users')).toEqual({ users: [{ id, roles: ['admin', 'member'], permissions: ['audit'] }] });
    expect(bodyOf(fake, 'POST', `/api/v1/users/${id}/identities`)).toEqual({ type: 'social', value: 'ada@gmail.com', connection_id: 'conn_google' });
    expect(bodyOf(fake, 'PATCH', '/api/v1/user')).toEqual({ is_suspended: true });
    expect(fake.requests.find((r) => r.method === 'PATCH' && r.path === '/api/v1/user')!.query.get('id')).toBe(id);
    expect(bodyOf(fake, 'PATCH', `/api/v1/users/${id}/properties`)).toEqual({ properties: { city: 'London' } });
    expect(fake.requests.find((r) => r.path.endsWith('/feature_flags/beta'))!.query.get('value')).toBe('true');
    expect(user.identities.find((i) => i.name === 'ada@acme.com')!.is_primary).toBe(true);
    expect(user.orgs).toEqual({ org_globex: { roles: [], permissions: [] }, org_acme: { roles: ['admin', 'member'], permissions: ['audit'] }, org_initech: { roles: ['member'], permissions: [] } });
  });

  test('read back, a managed plan has nothing to do: readable fields match, write-only ones are recorded', async () => {
    const { provider } = await setup();
    await (await writerFor(provider, userScope(ada))).writeUserWith(create(ada), bcrypt, ada);
    const want = desired({ users: [ada], usersMode: 'managed' });
    const live = await provider.read(readScope(want));
    expect(plan(want, live, target).changes).toEqual([]);
    expect([...live.writeOnly.get('user:u-1')!.keys()].sort()).toEqual(['feature_flags.beta', 'password.method', 'password.temporary', 'password.version']);
  });

  test('when every org has grants, the first is joined by the create and granted with the bulk PATCH', async () => {
    const { fake, provider } = await setup();
    const spec: UserSpec = { key: 'bob@acme.com', identities: [{ type: 'email', value: 'bob@acme.com', verified: true, primary: true }], organizations: new Map([['acme', grants(['member'])], ['globex', grants([], ['read'])]]) };
    const writer = await writerFor(provider, userScope(spec, 'seed'));
    const made = calls(fake);
    await writer.writeUserWith(create(spec), undefined);
    const id = fake.tenant.users[0]!.id;
    expect(made()).toEqual(['POST /api/v1/user', 'PATCH /api/v1/organizations/org_acme/users', 'POST /api/v1/organizations/org_globex/users']);
    // The key is the email: no provided id. Without the config's identities, nothing is claimed verified.
    expect(bodyOf(fake, 'POST', '/api/v1/user')).toEqual({ organization_code: 'org_acme', identities: [{ type: 'email', is_verified: false, details: { email: 'bob@acme.com' } }] });
    expect(bodyOf(fake, 'PATCH', '/api/v1/organizations/org_acme/users')).toEqual({ users: [{ id, roles: ['member'] }] });
  });

  test('a create whose answer was lost is found by email, not sent again', async () => {
    const { fake, provider } = await setup();
    const spec: UserSpec = { key: 'bob@acme.com', identities: [{ type: 'email', value: 'bob@acme.com', verified: true, primary: true }], organizations: new Map([['acme', grants()]]) };
    const writer = await writerFor(provider, userScope(spec, 'seed'));
    let lost = false;
    fake.intercept = (req, res) => {
      if (lost || req.method !== 'POST' || req.path !== '/api/v1/user') return false;
      lost = true;
      // The user is created, but the answer never arrives.
      fake.intercept = undefined;
      void fetch(`${fake.url}${req.path}`, { method: 'POST', headers: { authorization: req.headers.authorization!, 'content-type': 'application/json' }, body: req.body }).then(() => res.destroy());
      return true;
    };
    await writer.writeUserWith(create(spec), undefined);
    expect(fake.tenant.users).toHaveLength(1);
    const check = fake.requests.find((r) => r.method === 'GET' && r.path === '/api/v1/users' && r.query.has('email'))!;
    expect(check.query.get('email')).toBe('bob@acme.com');
    expect(fake.count('/api/v1/user', 'POST')).toBe(2); // the lost one, and the one the intercept passed on
  });

  test('the primary among several social identities is made so and recorded, as no read shows it', async () => {
    const { fake, provider } = await setup();
    const google = (value: string, primary: boolean) => ({ type: 'oauth2:google' as const, value, verified: true, primary, connectionId: 'conn_google' });
    const spec: UserSpec = {
      key: 'cy@acme.com', identities: [email('cy@acme.com'), google('cy@gmail.com', false), google('cy.work@gmail.com', true)],
      organizations: new Map([['acme', grants()]]),
    };
    const writer = await writerFor(provider, userScope(spec));
    await writer.writeUserWith(create(spec), undefined, spec);
    const user = fake.tenant.users[0]!;
    expect(user.identities.filter((i) => i.is_primary).map((i) => i.name)).toEqual(['cy@acme.com', 'cy.work@gmail.com']);
    expect(Object.keys(JSON.parse(fake.tenant.variables[0]!.value).fields)).toEqual(['primary.oauth2:google']);
    const want = desired({ users: [spec], usersMode: 'managed' });
    // The scope reads the record only when the config has write-only values; this one counts as such.
    expect(plan(want, await provider.read({ ...readScope(want), write_only: true }), target).changes).toEqual([]);
  });

  test('oauth2 and enterprise identities need their connection id: without the config, an error that says so', async () => {
    const { fake, provider } = await setup();
    const spec: UserSpec = { ...ada, password: undefined, properties: undefined, featureFlags: undefined, suspended: undefined };
    const writer = await writerFor(provider, userScope(spec));
    const error = (await writer.writeUserWith(create(spec), undefined).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.code).toBe('IDENTITY_CONNECTION_UNKNOWN');
    expect(fake.tenant.users).toHaveLength(1);
  });
});

describe('writeUser: passwords', () => {
  const body = (password: PasswordSpec) => passwordBody(password, 'u-1');

  test('per method, only the fields the method takes; bcrypt $2b$ as $2a$', () => {
    expect(body({ ...bcrypt, salt: 'ignored' })).toEqual({ hashed_password: hash.replace('$2b$', '$2a$'), hashing_method: 'bcrypt', is_temporary_password: true });
    expect(body({ method: 'md5', hash: 'abc', salt: 'pepper', saltPosition: 'suffix', iterations: 3, temporary: false, version: 1 })).toEqual({
      hashed_password: 'abc', hashing_method: 'md5', salt: 'pepper', salt_position: 'suffix', is_temporary_password: false,
    });
    expect(body({ method: 'pbkdf2', hash: 'h', salt: '00ff10', saltFormat: 'hex', iterations: 27500, variant: 'salted-pbkdf2-hmac-sha256', temporary: false, version: 1 })).toEqual({
      hashed_password: 'h', hashing_method: 'pbkdf2', salt: Buffer.from([0, 255, 16]).toString('base64'), iterations: 27500, variant: 'salted-pbkdf2-hmac-sha256', is_temporary_password: false,
    });
    expect(body({ method: 'firebase-scrypt', hash: 'h', salt: 'c2FsdA==', signerKey: 'a2V5', saltSeparator: 'Bw==', rounds: 8, memCost: 14, iterations: 1, variant: 'x', temporary: false, version: 1 })).toEqual({
      hashed_password: 'h', hashing_method: 'firebase-scrypt', salt: 'c2FsdA==', signer_key: 'a2V5', salt_separator: 'Bw==', rounds: 8, mem_cost: 14, is_temporary_password: false,
    });
    expect(body({ method: 'aspnet-identity-v2', hash: 'AQAAAAE=', salt: 's', saltPosition: 'prefix', iterations: 1, temporary: false, version: 1 })).toEqual({
      hashed_password: 'AQAAAAE=', hashing_method: 'aspnet-identity-v2', is_temporary_password: false,
    });
  });

  test('a hex salt for a method that takes text is refused, without the salt or hash in the error', () => {
    const error = (() => {
      try {
        return body({ method: 'sha256', hash: 'secret-hash-value', salt: 'deadbeef', saltFormat: 'hex', temporary: false, version: 1 });
      } catch (e) {
        return e;
      }
    })() as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.code).toBe('PASSWORD_SALT_FORMAT');
    expect(`${error.message} ${error.hint}`).not.toMatch(/deadbeef|secret-hash-value/);
  });

  test('an update that sets the password without the hash fails before any call', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(fakeUser({ id: 'kp_1', provided_id: 'u-1', identities: [fakeIdentity('email', 'ada@acme.com')], orgs: { org_acme: { roles: [], permissions: [] } } }));
    const writer = await writerFor(provider, userScope(ada));
    const made = calls(fake);
    const diff: FieldDiff[] = [{ path: 'password.version', before: null, after: 2, write_only: 'changed' }];
    const error = (await writer.writeUserWith(update('u-1', {}, { 'password.method': 'bcrypt', 'password.version': 2, 'password.temporary': true }, diff), undefined).catch((e: unknown) => e)) as IdmError;
    expect(error.code).toBe('PASSWORD_UNAVAILABLE');
    expect(error.hint).toMatch(/config/);
    expect(made()).toEqual([]);
  });

  test('a refused password never shows the hash, even when the server quotes it', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(fakeUser({ id: 'kp_1', provided_id: 'u-1', identities: [fakeIdentity('email', 'ada@acme.com')] }));
    fake.intercept = (req, res) => {
      if (!req.path.endsWith('/password')) return false;
      reply(res, 400, { errors: [{ code: 'INVALID_HASH', message: `Cannot use ${JSON.parse(req.body).hashed_password} as a hash` }] });
      return true;
    };
    const writer = await writerFor(provider, userScope(ada));
    const diff: FieldDiff[] = [{ path: 'password.version', before: null, after: 1, write_only: 'unknown' }];
    const error = (await writer.writeUserWith(update('u-1', {}, { 'password.method': 'bcrypt', 'password.version': 1, 'password.temporary': true }, diff), bcrypt).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.apiCode).toBe('INVALID_HASH');
    expect(error.message).toContain('[redacted]');
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(hash.slice(7));
  });
});

describe('writeUser: update', () => {
  async function withAda() {
    const { fake, provider } = await setup();
    fake.tenant.users.push(fakeUser({
      id: 'kp_1', provided_id: 'u-1', first_name: 'Ada',
      identities: [fakeIdentity('email', 'ada@acme.com', { id: 'id_old' }), fakeIdentity('username', 'adal', { id: 'id_user' })],
      orgs: { org_acme: { roles: ['admin', 'member'], permissions: ['audit'] }, org_globex: { roles: [], permissions: [] } },
    }));
    const writer = await writerFor(provider, userScope(ada));
    return { fake, writer };
  }

  test('an email replaced: the new one added, made primary, and only then the old one deleted', async () => {
    const { fake, writer } = await withAda();
    const made = calls(fake);
    await writer.writeUserWith(update('u-1', {}, { identities: ['email:ada@lovelace.dev', 'username:adal'], 'primary.email': 'ada@lovelace.dev' }, [
      { path: 'identities', before: ['email:ada@acme.com', 'username:adal'], after: ['email:ada@lovelace.dev', 'username:adal'], added: ['email:ada@lovelace.dev'], removed: ['email:ada@acme.com'] },
      { path: 'primary.email', before: 'ada@acme.com', after: 'ada@lovelace.dev' },
    ]), undefined);
    const added = fake.tenant.users[0]!.identities.find((i) => i.name === 'ada@lovelace.dev')!;
    expect(made()).toEqual([
      'POST /api/v1/users/kp_1/identities',
      `PATCH /api/v1/identities/${added.id}`,
      // The old identity's id is only in the user's identity listing.
      'GET /api/v1/users/kp_1/identities',
      'DELETE /api/v1/identities/id_old',
    ]);
    expect(bodyOf(fake, 'POST', '/api/v1/users/kp_1/identities')).toEqual({ type: 'email', value: 'ada@lovelace.dev' });
    expect(bodyOf(fake, 'PATCH', `/api/v1/identities/${added.id}`)).toEqual({ is_primary: true });
    expect(fake.tenant.users[0]!.identities.map((i) => `${i.name}:${i.is_primary}`)).toEqual(['adal:true', 'ada@lovelace.dev:true']);
    expect(fake.requests.find((r) => r.path === '/api/v1/users/kp_1/identities' && r.method === 'GET')!.query.has('page_size')).toBe(false);
  });

  test('grants: added in one bulk PATCH by key, revoked one by one by id; joins and leaves per org', async () => {
    const { fake, writer } = await withAda();
    const made = calls(fake);
    await writer.writeUserWith(update('u-1', {}, {
      organizations: ['acme', 'initech'],
      'organizations.acme.roles': ['billing', 'member'], 'organizations.acme.permissions': ['read', 'write'],
      'organizations.initech.roles': ['member'],
    }, [
      { path: 'organizations', before: ['acme', 'globex'], after: ['acme', 'initech'], added: ['initech'], removed: ['globex'] },
      { path: 'organizations.acme.roles', before: ['admin', 'member'], after: ['billing', 'member'], added: ['billing'], removed: ['admin'] },
      { path: 'organizations.acme.permissions', before: ['audit'], after: ['read', 'write'], added: ['read', 'write'], removed: ['audit'] },
      { path: 'organizations.initech.roles', before: [], after: ['member'], added: ['member'], removed: [] },
    ]), undefined);
    expect(made()).toEqual([
      'POST /api/v1/organizations/org_initech/users',
      'PATCH /api/v1/organizations/org_acme/users',
      'DELETE /api/v1/organizations/org_acme/users/kp_1/roles/r_admin',
      'DELETE /api/v1/organizations/org_acme/users/kp_1/permissions/p_audit',
      'DELETE /api/v1/organizations/org_globex/users/kp_1',
    ]);
    expect(bodyOf(fake, 'PATCH', '/api/v1/organizations/org_acme/users')).toEqual({ users: [{ id: 'kp_1', roles: ['billing'], permissions: ['read', 'write'] }] });
    expect(bodyOf(fake, 'POST', '/api/v1/organizations/org_initech/users')).toEqual({ users: [{ id: 'kp_1', roles: ['member'], permissions: [] }] });
    expect(fake.tenant.users[0]!.orgs).toEqual({ org_acme: { roles: ['member', 'billing'], permissions: ['read', 'write'] }, org_initech: { roles: ['member'], permissions: [] } });
  });

  test('leaving an org the user has already left (say, by a retry after a lost answer) is done, not an error', async () => {
    const { fake, writer } = await withAda();
    delete fake.tenant.users[0]!.orgs.org_globex;
    const made = calls(fake);
    await writer.writeUserWith(update('u-1', {}, { organizations: ['acme'] }, [{ path: 'organizations', before: ['acme', 'globex'], after: ['acme'], added: [], removed: ['globex'] }]), undefined);
    expect(made()).toEqual(['DELETE /api/v1/organizations/org_globex/users/kp_1']);
  });

  test('names and suspension in one PATCH; properties in one PATCH of the changed keys; flags one each', async () => {
    const { fake, writer } = await withAda();
    const made = calls(fake);
    const after = { first_name: 'Augusta', last_name: 'King', suspended: true, 'properties.city': 'Paris', 'properties.team': 'R&D', 'feature_flags.beta': false };
    await writer.writeUserWith(update('u-1', {}, after, [
      { path: 'first_name', before: 'Ada', after: 'Augusta' },
      { path: 'suspended', before: false, after: true },
      { path: 'properties.city', before: null, after: 'Paris' },
      { path: 'feature_flags.beta', before: null, after: false, write_only: 'unknown' },
    ]), undefined);
    expect(made()).toEqual(['PATCH /api/v1/user', 'PATCH /api/v1/users/kp_1/properties', 'PATCH /api/v1/users/kp_1/feature_flags/beta', 'POST /api/v1/environment_variables']);
    expect(bodyOf(fake, 'PATCH', '/api/v1/user')).toEqual({ given_name: 'Augusta', is_suspended: true });
    expect(bodyOf(fake, 'PATCH', '/api/v1/users/kp_1/properties')).toEqual({ properties: { city: 'Paris' } });
    expect(fake.tenant.users[0]!.flags).toEqual({ beta: 'false' });
  });

  test('a password version bump: PUT the password, record method, version and temporary', async () => {
    const { fake, writer } = await withAda();
    const made = calls(fake);
    const after = { 'password.method': 'bcrypt', 'password.version': 2, 'password.temporary': true };
    await writer.writeUserWith(update('u-1', {}, after, [{ path: 'password.version', before: null, after: 2, write_only: 'changed' }]), { ...bcrypt, version: 2 });
    expect(made()).toEqual(['PUT /api/v1/users/kp_1/password', 'POST /api/v1/environment_variables']);
    expect(fake.tenant.users[0]!.password).toEqual({ hashed_password: hash.replace('$2b$', '$2a$'), hashing_method: 'bcrypt', is_temporary_password: true });
    const record = JSON.parse(fake.tenant.variables[0]!.value);
    expect(record.object).toBe('user:u-1');
    expect(Object.keys(record.fields).sort()).toEqual(['password.method', 'password.temporary', 'password.version']);
    expect(fake.tenant.variables[0]!.value).not.toContain(hash.slice(7));
  });
});

describe('writeUser: delete', () => {
  test('DELETE with is_delete_profile, then the record', async () => {
    const { fake, provider } = await setup();
    fake.tenant.users.push(fakeUser({ id: 'kp_9', identities: [fakeIdentity('email', 'old@acme.com')] }));
    const writer = await writerFor(provider, { ...userScope(ada), write_only: true });
    const made = calls(fake);
    await writer.writeUserWith({ action: 'delete', type: 'user', key: 'old@acme.com', before: {}, after: null, diff: [] }, undefined);
    expect(made()).toEqual(['DELETE /api/v1/user']);
    const call = fake.requests.find((r) => r.method === 'DELETE')!;
    expect([call.query.get('id'), call.query.get('is_delete_profile')]).toEqual(['kp_9', 'true']);
    expect(fake.tenant.users).toEqual([]);
  });
});

describe('writeOrganization: properties', () => {
  test('one PATCH for every changed key, on update and after a create', async () => {
    const { fake, provider } = await setup();
    const writer = await writerFor(provider, { ...userScope(ada), organizations: true });
    const made = calls(fake);
    await writer.writeOrganization({
      action: 'update', type: 'organization', key: 'acme', before: { 'properties.region': null }, after: { name: 'Acme', 'properties.region': 'eu', 'properties.tier': 'gold' },
      diff: [{ path: 'properties.region', before: null, after: 'eu' }, { path: 'properties.tier', before: null, after: 'gold' }],
    });
    expect(made()).toEqual(['PATCH /api/v1/organizations/org_acme/properties']);
    expect(bodyOf(fake, 'PATCH', '/api/v1/organizations/org_acme/properties')).toEqual({ properties: { region: 'eu', tier: 'gold' } });
    await writer.writeOrganization({ action: 'create', type: 'organization', key: 'hooli', before: null, after: { name: 'Hooli', 'properties.region': 'us' }, diff: [] });
    const code = fake.tenant.organizations.find((o) => o.external_id === 'hooli')!.code;
    expect(made().slice(1)).toEqual(['POST /api/v1/organization', `PATCH /api/v1/organizations/${code}/properties`]);
    expect(fake.tenant.organizations.find((o) => o.code === code)!.properties).toEqual({ region: 'us' });
  });
});
