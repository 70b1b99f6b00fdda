/** PUT /admin/identities/{id}: full replace, kept schema and state, re-derived addresses, credential merge rules (reference §4). */
import { describe, expect, test } from 'vitest';
import type { Call } from '../client.js';
import { bcryptHash, kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

async function create(call: Call, body: unknown): Promise<string> {
  const created = await call('POST', '/admin/identities', body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const withConfigs = (call: Call, id: string, ...types: string[]) =>
  call('GET', `/admin/identities/${id}?${types.map((t) => `include_credential=${t}`).join('&')}`).then((a) => a.body);

describe('replacing the identity', () => {
  test('traits, metadata and external_id are replaced whole: what is left out is cleared', async () => {
    const { call } = await start();
    const id = await create(call, person('ada@example.com', { external_id: 'u-1', metadata_public: { a: 1 }, metadata_admin: { b: 2 } }));
    const updated = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'ada@example.com', name: { first: 'Ada' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.traits).toEqual({ email: 'ada@example.com', name: { first: 'Ada' } });
    expect(updated.body.metadata_public).toBeNull();
    expect(updated.body).not.toHaveProperty('metadata_admin');
    expect(updated.body).not.toHaveProperty('external_id');
    expect((await call('GET', '/admin/identities/by/external/u-1')).status).toBe(404);
  });

  test('an empty schema_id or state keeps the current one; a state change moves state_changed_at', async () => {
    const { call } = await start();
    const id = await create(call, person('ada@example.com', { state: 'inactive' }));
    const before = (await call('GET', `/admin/identities/${id}`)).body;
    const kept = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'ada@example.com' } });
    expect(kept.body).toMatchObject({ schema_id: 'default', state: 'inactive', state_changed_at: before.state_changed_at });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const activated = await call('PUT', `/admin/identities/${id}`, { schema_id: '', state: 'active', traits: { email: 'ada@example.com' } });
    expect(activated.body.state).toBe('active');
    expect(Date.parse(activated.body.state_changed_at)).toBeGreaterThan(Date.parse(before.state_changed_at));
    const invalid = await call('PUT', `/admin/identities/${id}`, { state: 'gone', traits: { email: 'ada@example.com' } });
    expect(invalid.body.error).toMatchObject({ code: 400, reason: 'identity state is not valid' });
  });

  test('addresses and the password identifier follow a changed email; a kept address keeps its verification', async () => {
    const { call } = await start();
    const id = await create(call, person('ada@example.com', { verifiable_addresses: [{ value: 'ada@example.com', via: 'email', verified: true, status: 'completed' }] }));
    const same = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'ADA@example.com' } });
    expect(same.body.verifiable_addresses[0]).toMatchObject({ value: 'ada@example.com', verified: true, status: 'completed' });
    const changed = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'lovelace@example.com' } });
    expect(changed.body.verifiable_addresses).toEqual([expect.objectContaining({ value: 'lovelace@example.com', verified: false, status: 'pending' })]);
    expect(changed.body.recovery_addresses).toEqual([expect.objectContaining({ value: 'lovelace@example.com' })]);
    expect(changed.body.credentials.password.identifiers).toEqual(['lovelace@example.com']);
    // The old email is free again.
    expect((await call('POST', '/admin/identities', person('ada@example.com'))).status).toBe(201);
  });

  test('a changed schema re-validates the traits', async () => {
    const employee = {
      type: 'object',
      properties: { traits: { type: 'object', properties: { email: { type: 'string' } }, additionalProperties: false } },
    };
    const { call } = await start({ schemas: { default: { type: 'object', properties: { traits: { type: 'object' } } }, employee } });
    const id = await create(call, { schema_id: 'default', traits: { email: 'a@example.com', department: 'R&D' } });
    const refused = await call('PUT', `/admin/identities/${id}`, { schema_id: 'employee', traits: { email: 'a@example.com', department: 'R&D' } });
    expect(refused.body.error.reason).toBe('I[#/traits] S[#/properties/traits/additionalProperties] additionalProperties "department" not allowed');
    expect((await call('GET', `/admin/identities/${id}`)).body.schema_id).toBe('default');
  });

  test('no credentials in the body keeps every credential', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: { password: { config: { hashed_password: bcryptHash } }, totp: { config: { totp_url: 'otpauth://totp/a' } } } }));
    await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: null });
    const after = await withConfigs(call, id, 'password', 'totp');
    expect(after.credentials.password.config).toEqual({ hashed_password: bcryptHash });
    expect(after.credentials.totp.config).toEqual({ totp_url: 'otpauth://totp/a' });
  });
});

describe('errors', () => {
  test('an empty body is refused before the identity is looked up; an unknown id is 404', async () => {
    const { call } = await start();
    const empty = await call('PUT', '/admin/identities/0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.reason).toBe('Unable to decode HTTP Request Body because its HTTP Header "Content-Length" is zero.');
    const missing = await call('PUT', '/admin/identities/0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001', { traits: {} });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Unable to locate the resource');
  });

  test('taking another identity\'s email or external_id is a 409 from the database layer, and nothing changes', async () => {
    const { call } = await start();
    await create(call, person('ada@example.com', { external_id: 'u-1' }));
    const grace = await create(call, person('grace@example.com'));
    for (const body of [{ traits: { email: 'ada@example.com' } }, { traits: { email: 'grace@example.com' }, external_id: 'u-1' }]) {
      const refused = await call('PUT', `/admin/identities/${grace}`, body);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toEqual({ code: 409, status: 'Conflict', message: 'Unable to insert or update resource because a resource with that value exists already' });
    }
    expect((await call('GET', `/admin/identities/${grace}`)).body.traits).toEqual({ email: 'grace@example.com' });
  });
});

describe('credential merge rules', () => {
  test('password: the whole config is replaced (hash, plaintext, or migration hook)', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: { password: { config: { hashed_password: bcryptHash } } } }));
    await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: { password: { config: { password: 'new secret' } } } });
    const replaced = (await withConfigs(call, id, 'password')).credentials.password.config;
    expect(replaced.hashed_password).toMatch(/^\$2a\$12\$/);
    await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: { password: { config: { use_password_migration_hook: true } } } });
    expect((await withConfigs(call, id, 'password')).credentials.password.config).toEqual({ hashed_password: '', use_password_migration_hook: true });
  });

  test.each(['oidc', 'saml'])('%s: providers and identifiers are appended; an identical pair is not merged, so the unique index refuses it', async (type) => {
    const { call } = await start();
    const providers = (...pairs: [string, string][]) => ({ [type]: { config: { providers: pairs.map(([provider, subject]) => ({ provider, subject })) } } });
    const id = await create(call, person('a@example.com', { credentials: providers(['google', '1']) }));
    const appended = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: providers(['github', '2']) });
    expect(appended.status).toBe(200);
    const credential = (await withConfigs(call, id, type)).credentials[type];
    expect(credential.identifiers).toEqual(['google:1', 'github:2']);
    expect(credential.config.providers.map((p: { provider: string }) => p.provider)).toEqual(['google', 'github']);
    const again = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: providers(['google', '1']) });
    expect(again.status).toBe(409);
    expect((await withConfigs(call, id, type)).credentials[type].identifiers).toEqual(['google:1', 'github:2']);
  });

  test('totp: replaced by the new URL', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: { totp: { config: { totp_url: 'otpauth://totp/old' } } } }));
    await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: { totp: { config: { totp_url: 'otpauth://totp/new' } } } });
    const totp = (await withConfigs(call, id, 'totp')).credentials.totp;
    expect(totp).toMatchObject({ identifiers: [id], config: { totp_url: 'otpauth://totp/new' } });
  });

  test('lookup_secret: codes are appended (2 + 2 = 4)', async () => {
    const { call } = await start();
    const codes = (...list: string[]) => ({ lookup_secret: { config: { codes: list.map((code) => ({ code })) } } });
    const id = await create(call, person('a@example.com', { credentials: codes('a', 'b') }));
    await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: codes('c', 'd') });
    const config = (await withConfigs(call, id, 'lookup_secret')).credentials.lookup_secret.config;
    expect(config.recovery_codes.map((c: { code: string }) => c.code)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('webauthn: merged by credential id; an empty user_handle keeps the previous one', async () => {
    const { call } = await start();
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const id = await create(
      call,
      person('a@example.com', { credentials: { webauthn: { config: { credentials: [{ id: b64('k1'), public_key: b64('pk1') }, { id: b64('k2'), public_key: b64('pk2') }], user_handle: b64('handle') } } } }),
    );
    await call('PUT', `/admin/identities/${id}`, {
      traits: { email: 'a@example.com' },
      // The same id as bytes instead of base64 is the same credential.
      credentials: { webauthn: { config: { credentials: [{ id: [...Buffer.from('k2')], public_key: b64('pk2-new') }, { id: b64('k3'), public_key: b64('pk3') }] } } },
    });
    const config = (await withConfigs(call, id, 'webauthn')).credentials.webauthn.config;
    expect(config.credentials.map((c: { id: string; public_key: string }) => [c.id, c.public_key])).toEqual([
      [b64('k1'), b64('pk1')],
      [b64('k2'), b64('pk2-new')],
      [b64('k3'), b64('pk3')],
    ]);
    expect(config.user_handle).toBe(b64('handle'));
  });

  test('passkey: merged by id; a new user_handle is added to the identifiers, the old ones stay', async () => {
    const { call } = await start();
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const id = await create(call, person('a@example.com', { credentials: { passkey: { config: { credentials: [{ id: b64('c1'), public_key: b64('p1') }], user_handle: b64('handle-1') } } } }));
    await call('PUT', `/admin/identities/${id}`, {
      traits: { email: 'a@example.com' },
      credentials: { passkey: { config: { credentials: [{ id: b64('c2'), public_key: b64('p2') }], user_handle: b64('handle-2') } } },
    });
    const passkey = (await withConfigs(call, id, 'passkey')).credentials.passkey;
    expect(passkey.identifiers).toEqual(['handle-1', 'handle-2']);
    expect(passkey.config.user_handle).toBe(b64('handle-2'));
    expect(passkey.config.credentials).toHaveLength(2);
    // Once a user handle is stored, an import without one keeps it.
    const kept = await call('PUT', `/admin/identities/${id}`, { traits: { email: 'a@example.com' }, credentials: { passkey: { config: { credentials: [{ id: b64('c3') }] } } } });
    expect(kept.status).toBe(200);
  });
});
