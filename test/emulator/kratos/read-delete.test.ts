/** GET one identity, by external id, DELETE, credential deletion and the schema endpoints (reference §8, §9, §10.11). */
import { describe, expect, test } from 'vitest';
import type { Call } from '../client.js';
import { bcryptHash, kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

const missing = '0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001';
const b64 = (text: string) => Buffer.from(text).toString('base64');

async function create(call: Call, body: unknown): Promise<string> {
  const created = await call('POST', '/admin/identities', body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('get', () => {
  test('credentials come without config unless included; include_credential=password shows the hash', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: { password: { config: { hashed_password: bcryptHash } } } }));
    expect((await call('GET', `/admin/identities/${id}`)).body.credentials.password).not.toHaveProperty('config');
    expect((await call('GET', `/admin/identities/${id}?include_credential=password`)).body.credentials.password.config).toEqual({ hashed_password: bcryptHash });
  });

  test('an unknown include_credential is a 400 that prints the types read so far, as Kratos formats it', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com'));
    const refused = await call('GET', `/admin/identities/${id}?include_credential=password&include_credential=magic`);
    expect(refused.body.error).toMatchObject({ code: 400, reason: 'Invalid value `[password]` for parameter `include_credential`.' });
  });

  test('unknown and non-UUID ids are 404 with the database layer\'s message', async () => {
    const { call } = await start();
    for (const id of [missing, 'not-a-uuid']) {
      const answer = await call('GET', `/admin/identities/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: 404, status: 'Not Found', message: 'Unable to locate the resource' } });
    }
  });

  test('by external id, with credentials', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { external_id: 'crm/42' }));
    const found = await call('GET', `/admin/identities/by/external/${encodeURIComponent('crm/42')}`);
    expect(found.body).toMatchObject({ id, external_id: 'crm/42', credentials: { password: { identifiers: ['a@example.com'] } } });
    expect((await call('GET', '/admin/identities/by/external/nobody')).status).toBe(404);
  });
});

describe('delete', () => {
  test('204 with no body, then 404; the identifiers are free again', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com'));
    const deleted = await call('DELETE', `/admin/identities/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await call('DELETE', `/admin/identities/${id}`)).status).toBe(404);
    expect((await call('GET', `/admin/identities/${id}`)).status).toBe(404);
    expect((await call('POST', '/admin/identities', person('a@example.com'))).status).toBe(201);
  });
});

describe('deleting a credential', () => {
  const everything = {
    password: { config: { hashed_password: bcryptHash } },
    oidc: { config: { providers: [{ provider: 'google', subject: 'g1' }, { provider: 'github', subject: 'h1' }] } },
    totp: { config: { totp_url: 'otpauth://totp/a' } },
    lookup_secret: { config: { codes: [{ code: 'c1' }] } },
    passkey: { config: { credentials: [{ id: b64('p1') }], user_handle: b64('handle') } },
    webauthn: { config: { credentials: [{ id: b64('mfa'), is_passwordless: false }, { id: b64('pwl'), is_passwordless: true }], user_handle: b64('handle') } },
  };

  test('TOTP and lookup codes go whole', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: everything }));
    expect((await call('DELETE', `/admin/identities/${id}/credentials/totp`)).status).toBe(204);
    expect((await call('DELETE', `/admin/identities/${id}/credentials/lookup_secret`)).status).toBe(204);
    const credentials = (await call('GET', `/admin/identities/${id}`)).body.credentials;
    expect(Object.keys(credentials).sort()).toEqual(['oidc', 'passkey', 'password', 'webauthn']);
  });

  test('WebAuthn keeps only passwordless keys', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: everything }));
    expect((await call('DELETE', `/admin/identities/${id}/credentials/webauthn`)).status).toBe(204);
    const webauthn = (await call('GET', `/admin/identities/${id}?include_credential=webauthn`)).body.credentials.webauthn;
    expect(webauthn.config.credentials.map((c: { id: string }) => c.id)).toEqual([b64('pwl')]);
  });

  test('an OIDC provider needs its identifier; the rest of the credential stays', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: everything }));
    expect((await call('DELETE', `/admin/identities/${id}/credentials/oidc`)).body.error.reason).toBe('You must provide an identifier to delete this credential.');
    expect((await call('DELETE', `/admin/identities/${id}/credentials/oidc?identifier=google%3Anope`)).body.error).toMatchObject({
      code: 404,
      reason: 'The identifier `google:nope` was not found among OIDC credentials.',
    });
    expect((await call('DELETE', `/admin/identities/${id}/credentials/oidc?identifier=google%3Ag1`)).status).toBe(204);
    const oidc = (await call('GET', `/admin/identities/${id}?include_credential=oidc`)).body.credentials.oidc;
    expect(oidc.identifiers).toEqual(['github:h1']);
    expect(oidc.config.providers).toHaveLength(1);
  });

  test('the password keeps its identifiers but loses its hash', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: everything }));
    expect((await call('DELETE', `/admin/identities/${id}/credentials/password`)).status).toBe(204);
    const password = (await call('GET', `/admin/identities/${id}?include_credential=password`)).body.credentials.password;
    expect(password).toMatchObject({ identifiers: ['a@example.com'], config: {} });
  });

  test('the last first-factor credential cannot be removed', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: { password: { config: { hashed_password: bcryptHash } }, totp: everything.totp } }));
    const refused = await call('DELETE', `/admin/identities/${id}/credentials/password`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toBe('You cannot remove the last first factor credential.');
    const sso = await create(call, person('b@example.com', { credentials: { oidc: { config: { providers: [{ provider: 'google', subject: 'only' }] } } } }));
    expect((await call('DELETE', `/admin/identities/${sso}/credentials/oidc?identifier=google%3Aonly`)).status).toBe(400);
  });

  test('passkey and code cannot be deleted this way; a type the identity lacks is 404', async () => {
    const { call } = await start();
    const id = await create(call, person('a@example.com', { credentials: everything }));
    expect((await call('DELETE', `/admin/identities/${id}/credentials/passkey`)).body.error).toMatchObject({ code: 400, reason: 'Credentials type passkey cannot be deleted.' });
    const bare = await create(call, person('b@example.com'));
    expect((await call('DELETE', `/admin/identities/${bare}/credentials/totp`)).body.error).toMatchObject({
      code: 404,
      reason: 'You tried to remove a totp but this user have no totp set up.',
    });
    expect((await call('DELETE', `/admin/identities/${missing}/credentials/totp`)).status).toBe(404);
    expect((await call('DELETE', `/admin/identities/${id}/credentials/deviceauthn`)).body.error.reason).toBe('You must provide an identifier to delete this credential.');
  });
});

describe('schemas', () => {
  test('lists every schema with X-Total-Count and serves one by plain or base64url id', async () => {
    const custom = { type: 'object', properties: { traits: { type: 'object' } } };
    const { call } = await start({ schemas: { default: custom, 'customer.v2': custom } });
    const listed = await call('GET', '/schemas');
    expect(listed.body).toEqual([
      { id: 'default', schema: custom },
      { id: 'customer.v2', schema: custom },
    ]);
    expect(listed.headers.get('x-total-count')).toBe('2');
    expect((await call('GET', '/schemas/customer.v2')).body).toEqual(custom);
    expect((await call('GET', `/schemas/${Buffer.from('customer.v2').toString('base64url')}`)).body).toEqual(custom);
    expect((await call('GET', '/admin/schemas/default')).body).toEqual(custom);
    const unknown = await call('GET', '/schemas/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBe('Identity schema `nope` could not be found.');
  });

  test('schema_url points at the served schema', async () => {
    const { call, emulator } = await start();
    const created = await call('POST', '/admin/identities', person('a@example.com'));
    const path = (created.body.schema_url as string).slice(emulator.url.length);
    expect((await call('GET', path)).body).toEqual((await call('GET', '/schemas/default')).body);
  });
});
