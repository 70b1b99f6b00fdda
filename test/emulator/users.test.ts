import { describe, expect, test } from 'vitest';
import { type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';
import { type Call, startEmulator } from './client.js';

const start = async (options: Partial<KindeEmulatorOptions> = {}): Promise<Call> => (await startEmulator(options)).call;

const email = (value: string, verified = true) => ({ type: 'email', is_verified: verified, details: { email: value } });

async function createUser(call: Call, body: object): Promise<string> {
  const got = await call('POST', '/api/v1/user', body);
  expect(got.status).toBe(200);
  return got.body.id as string;
}

async function defaultOrgCode(call: Call): Promise<string> {
  const list = await call('GET', '/api/v1/organizations');
  return list.body.organizations.find((o: { is_default: boolean }) => o.is_default).code as string;
}

const identitiesOf = async (call: Call, user: string) =>
  (await call('GET', `/api/v1/users/${user}/identities`)).body.identities as { id: string; type: string; name: string; is_primary: boolean }[];

const errorCode = (body: { errors: { code: string }[] }): string => body.errors[0]!.code;

describe('users', () => {
  test('create answers {id, created, identities}; the user joins the default organization unless given one', async () => {
    const call = await start();
    const created = await call('POST', '/api/v1/user', {
      profile: { given_name: 'Ada', family_name: 'Lovelace' },
      provided_id: 'ext-1',
      identities: [email('Ada@Example.com'), { type: 'username', details: { username: 'ada' } }, { type: 'phone', details: { phone: '+61426148233', phone_country_id: 'au' } }],
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^kp_[0-9a-f]{32}$/),
      created: true,
      identities: [
        { type: 'email', result: { created: true } },
        { type: 'username', result: { created: true } },
        { type: 'phone', result: { created: true } },
      ],
    });
    const id = created.body.id;
    const user = (await call('GET', `/api/v1/user?id=${id}&expand=organizations,identities`)).body;
    expect(user).toEqual({
      id,
      provided_id: 'ext-1',
      preferred_email: 'Ada@Example.com',
      phone: '+61426148233',
      username: 'ada',
      first_name: 'Ada',
      last_name: 'Lovelace',
      is_suspended: false,
      total_sign_ins: 0,
      failed_sign_ins: 0,
      last_signed_in: null,
      created_on: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      organizations: [await defaultOrgCode(call)],
      identities: [
        { type: 'email', identity: 'Ada@Example.com' },
        { type: 'username', identity: 'ada' },
        { type: 'phone', identity: '+61426148233' },
      ],
    });
    // Without expand, neither organizations nor identities.
    const plain = (await call('GET', `/api/v1/user?id=${id}`)).body;
    expect(plain).not.toHaveProperty('organizations');
    expect(plain).not.toHaveProperty('identities');

    const org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
    const inAcme = await createUser(call, { organization_code: org, identities: [email('bob@example.com')] });
    expect((await call('GET', `/api/v1/user?id=${inAcme}&expand=organizations`)).body.organizations).toEqual([org]);
  });

  test('emails and usernames are unique in any case; provided ids are unique; phones may be shared', async () => {
    const call = await start();
    await createUser(call, { provided_id: 'p1', identities: [email('ada@example.com'), { type: 'username', details: { username: 'RosyRose' } }, { type: 'phone', details: { phone: '+15555550100' } }] });
    for (const [body, code] of [
      [{ identities: [email('ADA@example.COM')] }, 'IDENTITY_ALREADY_EXISTS'],
      [{ identities: [{ type: 'username', details: { username: 'rosYrosE' } }] }, 'IDENTITY_ALREADY_EXISTS'],
      [{ identities: [email('x@example.com'), email('X@example.com')] }, 'IDENTITY_ALREADY_EXISTS'],
      [{ provided_id: 'p1' }, 'USER_ALREADY_EXISTS'],
      [{ identities: [email('not an email')] }, 'INVALID_EMAIL'],
      [{ identities: [{ type: 'phone', details: { phone: '0426 148 233' } }] }, 'INVALID_PHONE'],
      [{ identities: [{ type: 'email', details: {} }] }, 'INVALID_REQUEST'],
      [{ identities: [{ type: 'social', details: { email: 'a@b.co' } }] }, 'INVALID_REQUEST'],
      [{ organization_code: 'org_00000000000' }, 'ORGANIZATION_NOT_FOUND'],
    ] as const) {
      const got = await call('POST', '/api/v1/user', body);
      expect({ body, status: got.status, code: errorCode(got.body) }).toEqual({ body, status: 400, code });
    }
    // Nothing of a refused create is kept: the email of the pair above is still free.
    await createUser(call, { identities: [email('x@example.com')] });
    await createUser(call, { identities: [{ type: 'phone', details: { phone: '+15555550100' } }] });
    expect((await call('GET', '/api/v1/users?phone=%2B15555550100')).body.users).toHaveLength(2);
  });

  test('update answers the user as update_user_response; an empty name leaves the name; delete removes the user', async () => {
    const call = await start();
    const id = await createUser(call, { profile: { given_name: 'Ada', family_name: 'Lovelace' }, identities: [email('ada@example.com')] });
    const updated = await call('PATCH', `/api/v1/user?id=${id}`, { given_name: 'Augusta', family_name: '', is_suspended: true, is_password_reset_requested: true, provided_id: 'ext-9', picture: 'https://example.com/a.png' });
    expect(updated).toMatchObject({ status: 200 });
    expect(updated.body).toEqual({ id, given_name: 'Augusta', family_name: 'Lovelace', email: 'ada@example.com', is_suspended: true, is_password_reset_requested: true, picture: 'https://example.com/a.png' });
    expect((await call('GET', `/api/v1/user?id=${id}`)).body).toMatchObject({ provided_id: 'ext-9', is_suspended: true, picture: 'https://example.com/a.png' });
    expect((await call('PATCH', `/api/v1/user?id=${id}`, { picture: '' })).body.picture).toBeNull();
    expect((await call('PATCH', `/api/v1/user?id=${id}`, { is_suspended: 'yes' })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/user', { given_name: 'x' })).status).toBe(400);

    expect((await call('DELETE', `/api/v1/user?id=${id}&is_delete_profile=true`)).body).toEqual({ code: 'OK', message: 'Success' });
    expect(errorCode((await call('GET', `/api/v1/user?id=${id}`)).body)).toBe('USER_NOT_FOUND');
    expect((await call('DELETE', `/api/v1/user?id=${id}`)).status).toBe(400);
    // Its email and provided id are free again.
    await createUser(call, { provided_id: 'ext-9', identities: [email('ada@example.com')] });
    expect((await call('DELETE', '/api/v1/user?id=kp_x&is_delete_profile=maybe')).status).toBe(400);
  });

  test('the list: creation order, next_token pages, page_size clamped to the cap, filters and expand', async () => {
    const call = await start({ pageSizeCap: 3 });
    const org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createUser(call, { identities: [email(`u${i}@example.com`)], ...(i === 6 ? { organization_code: org } : {}) }));
    await call('PATCH', `/api/v1/organizations/${await defaultOrgCode(call)}/users`, { users: [{ id: ids[5], operation: 'delete' }] });

    const seen: string[] = [];
    let next: string | undefined;
    const sizes: number[] = [];
    do {
      const page = (await call('GET', `/api/v1/users?page_size=500${next ? `&next_token=${next}` : ''}`)).body;
      sizes.push(page.users.length);
      seen.push(...page.users.map((u: { id: string }) => u.id));
      next = page.next_token;
    } while (next);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(ids);

    const listed = (await call('GET', '/api/v1/users?page_size=1&expand=organizations,identities')).body.users[0];
    expect(listed).toEqual({
      id: ids[0],
      email: 'u0@example.com',
      is_suspended: false,
      total_sign_ins: 0,
      failed_sign_ins: 0,
      last_signed_in: null,
      created_on: expect.any(String),
      last_organization_sign_ins: [],
      organizations: [await defaultOrgCode(call)],
      identities: [{ type: 'email', identity: 'u0@example.com', connection_id: null }],
    });
    const filtered = async (query: string) => (await call('GET', `/api/v1/users?${query}`)).body.users.map((u: { id: string }) => u.id);
    expect(await filtered(`user_id=${ids[2]},${ids[4]},kp_gone`)).toEqual([ids[2], ids[4]]);
    expect(await filtered('email=U3@EXAMPLE.com,u1@example.com')).toEqual([ids[1], ids[3]]);
    expect(await filtered(`email=u3@example.com&user_id=${ids[4]}`)).toEqual([]);
    expect(await filtered('has_organization=false')).toEqual([ids[5]]);
    expect(await filtered('active_since=2020-01-01T00:00:00Z')).toEqual([]);
    expect((await call('GET', '/api/v1/users?has_organization=maybe')).status).toBe(400);
    expect((await call('GET', '/api/v1/users?active_since=yesterday')).status).toBe(400);
    expect((await call('GET', '/api/v1/users?page_size=0')).status).toBe(400);
    // A user deleted between two pages neither repeats nor hides the others.
    const first = (await call('GET', '/api/v1/users?page_size=2')).body;
    await call('DELETE', `/api/v1/user?id=${ids[1]}`);
    expect((await call('GET', `/api/v1/users?page_size=2&next_token=${first.next_token}`)).body.users.map((u: { id: string }) => u.id)).toEqual([ids[2], ids[3]]);
  });
});

describe('identities', () => {
  test('listed with ids and primary flags; added, made primary, deleted; values cannot be edited', async () => {
    const call = await start();
    const id = await createUser(call, { identities: [email('ada@example.com')] });
    const added = await call('POST', `/api/v1/users/${id}/identities`, { type: 'email', value: 'ada@work.example.com' });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ code: 'OK', message: 'Success', identity: { id: expect.stringMatching(/^identity_[0-9a-f]{32}$/) } });
    const work = added.body.identity.id;
    const listed = (await call('GET', `/api/v1/users/${id}/identities`)).body;
    expect(listed).toEqual({
      code: 'OK',
      message: 'Success',
      has_more: false,
      identities: [
        { id: expect.any(String), type: 'email', is_confirmed: true, created_on: expect.any(String), total_logins: 0, name: 'ada@example.com', email: 'ada@example.com', connection_id: null, is_primary: true },
        { id: work, type: 'email', is_confirmed: false, created_on: expect.any(String), total_logins: 0, name: 'ada@work.example.com', email: 'ada@work.example.com', connection_id: null, is_primary: false },
      ],
    });
    const home = listed.identities[0].id;
    expect((await call('GET', `/api/v1/identities/${work}`)).body).toEqual(listed.identities[1]);

    // Only is_primary can change: a value in the body is not an edit.
    const edit = await call('PATCH', `/api/v1/identities/${work}`, { name: 'other@example.com' });
    expect(edit.status).toBe(400);
    expect(edit.body.errors[0].message).toContain('add a new identity and delete this one');
    expect((await call('PATCH', `/api/v1/identities/${work}`, { is_primary: true })).status).toBe(200);
    expect((await call('GET', `/api/v1/user?id=${id}`)).body.preferred_email).toBe('ada@work.example.com');
    expect((await identitiesOf(call, id)).map((i) => i.is_primary)).toEqual([false, true]);
    expect(errorCode((await call('PATCH', `/api/v1/identities/${work}`, { is_primary: false })).body)).toBe('PRIMARY_IDENTITY_REQUIRED');
    expect((await call('PATCH', `/api/v1/identities/${home}`, { is_primary: false })).status).toBe(200);

    // Deleting the primary hands it to the oldest other of its type; the last identity cannot go.
    expect((await call('DELETE', `/api/v1/identities/${work}`)).status).toBe(200);
    expect((await identitiesOf(call, id)).map((i) => [i.name, i.is_primary])).toEqual([['ada@example.com', true]]);
    expect(errorCode((await call('DELETE', `/api/v1/identities/${home}`)).body)).toBe('LAST_IDENTITY');
    expect(errorCode((await call('GET', `/api/v1/identities/${work}`)).body)).toBe('IDENTITY_NOT_FOUND');
  });

  test('usernames clash in any case; phones need a country; social ones take their type from the connection', async () => {
    const { emulator, call } = await startEmulator();
    const google = emulator.admin.defineConnection({ strategy: 'oauth2:google' });
    const okta = emulator.admin.defineConnection({ strategy: 'saml:okta' });
    const ada = await createUser(call, { identities: [{ type: 'username', details: { username: 'BuilderBob' } }] });
    const eve = await createUser(call, { identities: [email('eve@example.com')] });
    const add = (user: string, body: object) => call('POST', `/api/v1/users/${user}/identities`, body);
    expect(errorCode((await add(eve, { type: 'username', value: 'builderbob' })).body)).toBe('IDENTITY_ALREADY_EXISTS');
    expect(errorCode((await add(eve, { type: 'phone', value: '+61426148233' })).body)).toBe('INVALID_REQUEST');
    expect((await add(eve, { type: 'phone', value: '+61426148233', phone_country_id: 'AU' })).status).toBe(201);
    expect(errorCode((await add(eve, { type: 'social', value: 'eve@gmail.com' })).body)).toBe('INVALID_REQUEST');
    expect(errorCode((await add(eve, { type: 'social', value: 'eve@gmail.com', connection_id: okta })).body)).toBe('INVALID_CONNECTION');
    expect(errorCode((await add(eve, { type: 'social', value: 'eve@gmail.com', connection_id: 'conn_nope' })).body)).toBe('CONNECTION_NOT_FOUND');
    expect((await add(eve, { type: 'social', value: 'eve@gmail.com', connection_id: google })).status).toBe(201);
    expect(errorCode((await add(eve, { type: 'social', value: 'eve@gmail.com', connection_id: google })).body)).toBe('IDENTITY_ALREADY_EXISTS');
    expect(errorCode((await add(eve, { type: 'fax', value: '1' })).body)).toBe('INVALID_REQUEST');
    const social = (await identitiesOf(call, eve)).find((i) => i.type === 'oauth2:google');
    expect(social).toMatchObject({ name: 'eve@gmail.com', is_primary: true, connection_id: google });
    const listed = (await call('GET', `/api/v1/users?user_id=${eve}&expand=identities`)).body.users[0];
    expect(listed.identities).toContainEqual({ type: 'oauth2:google', identity: 'eve@gmail.com', connection_id: google });

    // An enterprise identity excludes every other, both ways.
    expect(errorCode((await add(ada, { type: 'enterprise', value: 'ada@corp.example', connection_id: okta })).body)).toBe('ENTERPRISE_IDENTITY_EXCLUSIVE');
    const bare = await createUser(call, {});
    expect((await add(bare, { type: 'enterprise', value: 'bare@corp.example', connection_id: okta })).status).toBe(201);
    expect(errorCode((await add(bare, { type: 'email', value: 'bare@example.com' })).body)).toBe('ENTERPRISE_IDENTITY_EXCLUSIVE');
    expect((await identitiesOf(call, bare))[0]).toMatchObject({ type: 'enterprise', connection_id: okta });
  });

  test('the listing pages by cursor without page_size', async () => {
    const call = await start({ pageSizeCap: 2 });
    const id = await createUser(call, { identities: [email('a@example.com'), email('b@example.com'), email('c@example.com')] });
    const first = (await call('GET', `/api/v1/users/${id}/identities`)).body;
    expect([first.identities.map((i: { name: string }) => i.name), first.has_more]).toEqual([['a@example.com', 'b@example.com'], true]);
    const rest = (await call('GET', `/api/v1/users/${id}/identities?starting_after=${first.identities[1].id}`)).body;
    expect([rest.identities.map((i: { name: string }) => i.name), rest.has_more]).toEqual([['c@example.com'], false]);
  });
});

describe('passwords', () => {
  const bcrypt = '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW';
  const pbkdf2 = { hashed_password: 'aGFzaA==', hashing_method: 'pbkdf2', salt: 'c2FsdA==', variant: 'salted-pbkdf2-hmac-sha256-512' };
  const firebase = { hashed_password: 'aGFzaA==', hashing_method: 'firebase-scrypt', salt: 'c2FsdA==', signer_key: 'a2V5', salt_separator: 'Bw==', rounds: 8, mem_cost: 14 };

  test.each([
    ['bcrypt by default', { hashed_password: bcrypt }, 200],
    ['bcrypt, temporary', { hashed_password: bcrypt, hashing_method: 'bcrypt', is_temporary_password: true }, 200],
    ['a bcrypt hash that is not one', { hashed_password: 'plain-text' }, 400],
    ['no hash', { hashing_method: 'md5' }, 400],
    ['an unknown method', { hashed_password: 'x', hashing_method: 'argon2' }, 400],
    ['sha256 with a salt at the end', { hashed_password: 'ab12', hashing_method: 'sha256', salt: 'pepper', salt_position: 'suffix' }, 200],
    ['a salt position that is neither', { hashed_password: 'ab12', hashing_method: 'sha256', salt: 'pepper', salt_position: 'middle' }, 400],
    ['pbkdf2', pbkdf2, 200],
    ['pbkdf2 with iterations', { ...pbkdf2, iterations: 27_500 }, 200],
    ['pbkdf2 without its salt', { ...pbkdf2, salt: undefined }, 400],
    ['pbkdf2 without its variant', { ...pbkdf2, variant: undefined }, 400],
    ['pbkdf2 with a salt not in base64', { ...pbkdf2, salt: 'not base64!' }, 400],
    ['pbkdf2 with an unknown variant', { ...pbkdf2, variant: 'pbkdf2-md5' }, 400],
    ['firebase-scrypt', firebase, 200],
    ['firebase-scrypt without its signer key', { ...firebase, signer_key: undefined }, 400],
    ['firebase-scrypt with 17 rounds', { ...firebase, rounds: 17 }, 400],
    ['firebase-scrypt with memory cost 21', { ...firebase, mem_cost: 21 }, 400],
    ['firebase-scrypt with iterations', { ...firebase, iterations: 10 }, 400],
    ['firebase-scrypt with a variant', { ...firebase, variant: 'salted-pbkdf2-hmac-sha256' }, 400],
    ['aspnet-identity-v2', { hashed_password: 'AQAAAAEAACcQAAAAEA==', hashing_method: 'aspnet-identity-v2' }, 200],
    ['aspnet-identity-v2 with a salt', { hashed_password: 'AQAAAAEAACcQAAAAEA==', hashing_method: 'aspnet-identity-v2', salt: 'c2FsdA==' }, 400],
    ['aspnet-identity-v2 with a salt position', { hashed_password: 'AQAAAAEAACcQAAAAEA==', hashing_method: 'aspnet-identity-v2', salt_position: 'prefix' }, 400],
    ['md5 with a signer key', { hashed_password: 'ab12', hashing_method: 'md5', signer_key: 'a2V5' }, 400],
    ['bcrypt with rounds', { hashed_password: bcrypt, rounds: 8 }, 400],
  ])('%s: %i', async (_name, body, status) => {
    const call = await start();
    const id = await createUser(call, { identities: [email('ada@example.com')] });
    const got = await call('PUT', `/api/v1/users/${id}/password`, body);
    expect(got.status).toBe(status);
    if (status === 200) expect(got.body).toEqual({ code: 'OK', message: 'Success' });
  });

  test('nothing about a password is read back', async () => {
    const call = await start();
    const id = await createUser(call, { identities: [email('ada@example.com')] });
    const before = (await call('GET', `/api/v1/user?id=${id}&expand=identities,organizations`)).body;
    expect((await call('PUT', `/api/v1/users/${id}/password`, { hashed_password: bcrypt })).status).toBe(200);
    expect((await call('GET', `/api/v1/user?id=${id}&expand=identities,organizations`)).body).toEqual(before);
    expect(JSON.stringify((await call('GET', '/api/v1/users?expand=identities')).body)).not.toContain('$2b$');
    expect(errorCode((await call('PUT', '/api/v1/users/kp_gone/password', { hashed_password: bcrypt })).body)).toBe('USER_NOT_FOUND');
  });
});

describe('user feature flag overrides', () => {
  test('allowed only for flags overridable per user, checked against the type; dropped when the flag is replaced or deleted', async () => {
    const call = await start();
    const id = await createUser(call, { identities: [email('ada@example.com')] });
    await call('POST', '/api/v1/feature_flags', { name: 'Seats', key: 'seats', type: 'int', allow_override_level: 'usr', default_value: '5' });
    await call('POST', '/api/v1/feature_flags', { name: 'Beta', key: 'beta', type: 'bool', allow_override_level: 'org', default_value: 'false' });
    const set = (key: string, value?: string) => call('PATCH', `/api/v1/users/${id}/feature_flags/${key}${value === undefined ? '' : `?value=${value}`}`);
    expect((await set('seats', '12')).body).toEqual({ code: 'OK', message: 'Success' });
    expect(errorCode((await set('seats', 'many')).body)).toBe('INVALID_FLAG_VALUE');
    expect(errorCode((await set('seats')).body)).toBe('INVALID_REQUEST');
    const refused = await set('beta', 'true');
    expect(errorCode(refused.body)).toBe('FLAG_OVERRIDE_NOT_ALLOWED');
    expect(refused.body.errors[0].message).toContain('a user');
    expect(errorCode((await set('nope', '1')).body)).toBe('FEATURE_FLAG_NOT_FOUND');
    expect(errorCode((await call('PATCH', '/api/v1/users/kp_gone/feature_flags/seats?value=1')).body)).toBe('USER_NOT_FOUND');
    // No GET exists for user overrides: the flag listing of the environment is unaffected.
    expect((await call('GET', '/api/v1/environment/feature_flags')).body.feature_flags.seats).toEqual({ type: 'int', value: '5' });
    expect((await call('GET', `/api/v1/users/${id}/feature_flags`)).status).toBe(404);
  });
});
