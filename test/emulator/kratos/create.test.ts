/** POST /admin/identities as Kratos answers it (reference §3 and §10.1-4, 9). */
import { describe, expect, test } from 'vitest';
import { bcryptHash, kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

describe('decoding and defaults', () => {
  test('answers 201 with Location and the identity without credential configs, metadata_admin included', async () => {
    const { emulator, call } = await start();
    const created = await call('POST', '/admin/identities', person('ada@example.com', { metadata_admin: { note: 'vip' }, credentials: { password: { config: { hashed_password: bcryptHash } } } }));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${emulator.url}/admin/identities/${created.body.id}`);
    expect(created.body).toMatchObject({
      schema_id: 'default',
      schema_url: `${emulator.url}/schemas/ZGVmYXVsdA`,
      state: 'active',
      metadata_public: null,
      metadata_admin: { note: 'vip' },
      organization_id: null,
      credentials: { password: { type: 'password', identifiers: ['ada@example.com'], version: 0 } },
    });
    expect(created.body.credentials.password).not.toHaveProperty('config');
    expect(created.body).not.toHaveProperty('external_id');
  });

  test('an empty body object gets the default schema and state active; a missing body is EOF', async () => {
    const { call } = await start({ schemas: { open: { type: 'object', properties: { traits: { type: 'object' } } } }, defaultSchemaId: 'open' });
    const created = await call('POST', '/admin/identities', {});
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schema_id: 'open', state: 'active', traits: {} });
    const empty = await call('POST', '/admin/identities', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('EOF');
  });

  test.each([
    ['id', { id: '0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001' }, 'json: unknown field "id"'],
    ['schema_url', { schema_url: 'x' }, 'json: unknown field "schema_url"'],
    ['a nested unknown field', { credentials: { password: { config: { hash: 'x' } } } }, 'json: unknown field "hash"'],
    ['a wrong type', { state: 3 }, 'json: cannot unmarshal number 3 into Go struct field CreateIdentityBody.state of type identity.State'],
  ])('strict decoding refuses %s with Go\'s message', async (_, extra, message) => {
    const { call } = await start();
    const refused = await call('POST', '/admin/identities', { ...person('a@example.com'), ...extra });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: { code: 400, status: 'Bad Request', message } });
  });

  test('malformed JSON is a 400', async () => {
    const { call } = await start();
    const refused = await call('POST', '/admin/identities', '{"schema_id": ');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('unexpected EOF');
  });

  test('state other than active or inactive, and an unknown region, are 400 with the reason', async () => {
    const { call } = await start();
    expect((await call('POST', '/admin/identities', person('a@example.com', { state: 'blocked' }))).body.error).toMatchObject({ code: 400, reason: 'identity state is not valid' });
    expect((await call('POST', '/admin/identities', person('a@example.com', { region: 'mars' }))).body.error).toMatchObject({ code: 400, reason: 'the provided region is not a valid Ory region' });
    const inactive = await call('POST', '/admin/identities', person('a@example.com', { state: 'inactive', region: 'eu-central' }));
    expect(inactive.body).toMatchObject({ state: 'inactive', region: 'eu-central' });
  });
});

describe('schema validation', () => {
  test('an unknown schema is 400, not 404', async () => {
    const { call } = await start();
    const refused = await call('POST', '/admin/identities', { schema_id: 'employee', traits: {} });
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toBe('Unable to find JSON Schema ID: employee');
  });

  test.each([
    [{ email: 'not-an-email' }, 'I[#/traits/email] S[#/properties/traits/properties/email/format] "not-an-email" is not valid "email"'],
    [{ email: 7 }, 'I[#/traits/email] S[#/properties/traits/properties/email/type] expected string, but got number'],
    [{}, 'I[#/traits] S[#/properties/traits/required] missing properties: "email"'],
    [{ email: 'a@example.com', department: 'x' }, 'I[#/traits] S[#/properties/traits/additionalProperties] additionalProperties "department" not allowed'],
  ])('traits %j fail with ory/jsonschema\'s message', async (traits, reason) => {
    const { call } = await start();
    const refused = await call('POST', '/admin/identities', { schema_id: 'default', traits });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({ code: 400, status: 'Bad Request', reason, message: 'The request was malformed or contained invalid parameters' });
  });

  test('an address marked for email verification is checked as an email even without a format', async () => {
    const schema = {
      type: 'object',
      properties: { traits: { type: 'object', properties: { contact: { type: 'string', 'ory.sh/kratos': { verification: { via: 'email' } } } } } },
    };
    const { call } = await start({ schemas: { contact: schema }, defaultSchemaId: 'contact' });
    const refused = await call('POST', '/admin/identities', { traits: { contact: 'nobody' } });
    expect(refused.body.error.reason).toBe('I[#/traits/contact] S[#/properties/traits/properties/contact/format] "nobody" is not valid "email"');
  });
});

describe('identifiers and addresses come from the schema', () => {
  test('the password identifier and the addresses are the lower-cased email; verified and status of a given address are kept', async () => {
    const { call } = await start();
    const created = await call(
      'POST',
      '/admin/identities',
      person('Ada@Example.COM', {
        credentials: { password: { config: { hashed_password: bcryptHash } } },
        verifiable_addresses: [
          { value: 'ADA@example.com', via: 'email', verified: true, status: 'completed' },
          { value: 'other@example.com', via: 'email', verified: true, status: 'completed' },
        ],
      }),
    );
    expect(created.body.traits).toEqual({ email: 'Ada@Example.COM' });
    expect(created.body.credentials.password.identifiers).toEqual(['ada@example.com']);
    // Addresses not derived from the traits are dropped, as Kratos' schema extension does.
    expect(created.body.verifiable_addresses).toEqual([
      { id: expect.any(String), value: 'ada@example.com', verified: true, via: 'email', status: 'completed', verified_at: expect.any(String), created_at: expect.any(String), updated_at: expect.any(String) },
    ]);
    expect(created.body.recovery_addresses).toEqual([{ id: expect.any(String), value: 'ada@example.com', via: 'email', created_at: expect.any(String), updated_at: expect.any(String) }]);
  });

  test('an address not marked verified is pending, with no verified_at', async () => {
    const { call } = await start();
    const created = await call('POST', '/admin/identities', person('b@example.com'));
    expect(created.body.verifiable_addresses[0]).toMatchObject({ verified: false, status: 'pending' });
    expect(created.body.verifiable_addresses[0]).not.toHaveProperty('verified_at');
  });

  test('webauthn and code identifier marks create those credentials', async () => {
    const schema = {
      type: 'object',
      properties: {
        traits: {
          type: 'object',
          properties: {
            username: { type: 'string', 'ory.sh/kratos': { credentials: { webauthn: { identifier: true } } } },
            email: { type: 'string', format: 'email', 'ory.sh/kratos': { credentials: { code: { identifier: true, via: 'email' } } } },
          },
        },
      },
    };
    const { call } = await start({ schemas: { marks: schema }, defaultSchemaId: 'marks' });
    const created = await call('POST', '/admin/identities', { traits: { username: 'Ada', email: 'Ada@Example.com' } });
    const fetched = await call('GET', `/admin/identities/${created.body.id}?include_credential=code`);
    expect(fetched.body.credentials.webauthn.identifiers).toEqual(['ada']);
    expect(fetched.body.credentials.code).toMatchObject({ identifiers: ['ada@example.com'], version: 1, config: { addresses: [{ channel: 'email', address: 'ada@example.com' }] } });
  });
});

describe('passwords', () => {
  test.each([
    ['bcrypt', bcryptHash],
    ['argon2id', '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG'],
    ['argon2i', '$argon2i$v=19$m=65536,t=3,p=1$c29tZXNhbHQ$qZMLbdyUzBsCZ1Lj2LIKpYJI5h7ZrxXb'],
    ['pbkdf2', '$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI'],
    ['scrypt', '$scrypt$ln=16384,r=8,p=1$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE='],
    ['firescrypt', '$firescrypt$ln=14,r=8,p=1$c2FsdA==$aGFzaA==$Bw==$a2V5'],
    ['SSHA', '{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a'],
    ['sha256', '$sha256$pf=e1NBTFR9e1BBU1NXT1JEfQ==$MTIzNDU2Nzg5$yD7ZPzJFh4ONJhk7TDdE6eVJSwXvmBjuMe8wF2n8VXk='],
    ['md5', '$md5$CY9rzUYh03PK3k6DJie09g=='],
    ['md5-crypt', '$md5-crypt$salt$hash'],
    ['hmac', '$hmac-sha256$YjA3ZjY0ZjZkNDM0YmZlZmI0NGE5ZmQzYTg0MDNjMzE=$c2VjcmV0'],
  ])('accepts a %s hash and returns it only when asked for the password config', async (_, hash) => {
    const { call } = await start();
    const created = await call('POST', '/admin/identities', person('a@example.com', { credentials: { password: { config: { hashed_password: hash } } } }));
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(hash);
    const fetched = await call('GET', `/admin/identities/${created.body.id}?include_credential=password`);
    expect(fetched.body.credentials.password.config).toEqual({ hashed_password: hash });
  });

  const outOfBounds = 'The imported password hash declares cost parameters that exceed the bounds enforced by Ory. Re-hash the password with a more conservative configuration before importing.';
  const unparsable = 'The imported password hash could not be parsed.';
  test.each([
    ['plain text', 'hunter2', 'The imported password does not match any known hash format.'],
    ['an empty hash', '', 'The imported password does not match any known hash format.'],
    ['bcrypt cost 16', '$2a$16$JCU0ELjU1TCnFbV2jLi7huEQjVWZG0HzXQq/BWZyO30XR6DJxwN72', outOfBounds],
    ['a truncated bcrypt', '$2a$10$short', unparsable],
    ['argon2 t=11', '$argon2id$v=19$m=65536,t=11,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', outOfBounds],
    ['argon2 m above 1 GiB', '$argon2id$v=19$m=2097152,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', outOfBounds],
    ['argon2 p=17', '$argon2id$v=19$m=65536,t=3,p=17$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', outOfBounds],
    ['argon2 version 16', '$argon2id$v=16$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', unparsable],
    ['pbkdf2 i above 10M', '$pbkdf2-sha256$i=10000001,l=32$c2FsdA$aGFzaA', outOfBounds],
    ['scrypt N above 2^17', '$scrypt$ln=262144,r=8,p=1$c2FsdA==$aGFzaA==', outOfBounds],
    ['scrypt r=9', '$scrypt$ln=16384,r=9,p=1$c2FsdA==$aGFzaA==', outOfBounds],
    ['firescrypt ln=18', '$firescrypt$ln=18,r=8,p=1$c2FsdA==$aGFzaA==$Bw==$a2V5', outOfBounds],
    ['scrypt with bad base64', '$scrypt$ln=16384,r=8,p=1$c2FsdA$aGFzaA==', unparsable],
  ])('refuses %s with the reason', async (_, hash, reason) => {
    const { call } = await start();
    const refused = await call('POST', '/admin/identities', person('a@example.com', { credentials: { password: { config: { hashed_password: hash } } } }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toBe(reason);
  });

  test('a plaintext password is stored as a bcrypt-shaped hash and never echoed', async () => {
    const { call } = await start();
    const created = await call('POST', '/admin/identities', person('a@example.com', { credentials: { password: { config: { password: 'correct horse' } } } }));
    const fetched = await call('GET', `/admin/identities/${created.body.id}?include_credential=password`);
    const hash = fetched.body.credentials.password.config.hashed_password as string;
    expect(hash).toMatch(/^\$2a\$12\$[./A-Za-z0-9]{53}$/);
    expect(JSON.stringify([created.body, fetched.body])).not.toContain('correct horse');
  });

  test('the migration hook flag wins over a hash', async () => {
    const { call } = await start();
    const created = await call('POST', '/admin/identities', person('a@example.com', { credentials: { password: { config: { hashed_password: 'junk', use_password_migration_hook: true } } } }));
    const fetched = await call('GET', `/admin/identities/${created.body.id}?include_credential=password`);
    expect(fetched.body.credentials.password.config).toEqual({ hashed_password: '', use_password_migration_hook: true });
  });
});

describe('other credentials', () => {
  test('OIDC and SAML providers become provider:subject identifiers; TOTP and lookup codes get the identity id', async () => {
    const { call } = await start();
    const org = '4b0f5c6e-2a8d-4f43-9a55-3c1a9b3e7d10';
    const created = await call(
      'POST',
      '/admin/identities',
      person('a@example.com', {
        credentials: {
          oidc: { config: { providers: [{ provider: 'google', subject: 'G-1', use_auto_link: true }, { provider: 'github', subject: '42', use_auto_link: false }] } },
          saml: { config: { providers: [{ provider: 'okta', subject: 'a', organization: org }] } },
          totp: { config: { totp_url: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' } },
          lookup_secret: { config: { codes: [{ code: 'one' }, { code: 'two' }] } },
        },
      }),
    );
    const id = created.body.id as string;
    const fetched = await call('GET', `/admin/identities/${id}?include_credential=oidc&include_credential=saml&include_credential=lookup_secret&include_credential=totp`);
    const credentials = fetched.body.credentials;
    expect(credentials.oidc.identifiers).toEqual(['google:G-1', 'github:42']);
    expect(credentials.oidc.config.providers).toEqual([
      { initial_id_token: '', initial_access_token: '', initial_refresh_token: '', subject: 'G-1', provider: 'google', use_auto_link: true },
      { initial_id_token: '', initial_access_token: '', initial_refresh_token: '', subject: '42', provider: 'github' },
    ]);
    expect(credentials.saml).toMatchObject({ identifiers: ['okta:a'], config: { providers: [{ subject: 'a', provider: 'okta', organization: org }] } });
    expect(credentials.totp).toMatchObject({ identifiers: [id], config: { totp_url: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' } });
    expect(credentials.lookup_secret).toMatchObject({ identifiers: [id], config: { recovery_codes: [{ code: 'one', used_at: null }, { code: 'two', used_at: null }] } });
  });

  test('a passkey needs a user_handle and at least one credential', async () => {
    const { call } = await start();
    const noHandle = await call('POST', '/admin/identities', person('a@example.com', { credentials: { passkey: { config: { credentials: [{ id: 'Y3JlZDE=' }] } } } }));
    expect(noHandle.status).toBe(400);
    expect(noHandle.body.error.reason).toContain('user_handle');
    const noCredential = await call('POST', '/admin/identities', person('a@example.com', { credentials: { passkey: { config: { credentials: [], user_handle: 'aGFuZGxl' } } } }));
    expect(noCredential.body.error.reason).toBe('Passkey credential import requires at least one entry in credentials.passkey.config.credentials.');
  });
});

describe('conflicts', () => {
  test.each([
    ['the same identifier in another case', person('ADA@example.com')],
    ['the same external_id', person('other@example.com', { external_id: 'u-1' })],
  ])('%s is a 409', async (_, body) => {
    const { call } = await start();
    expect((await call('POST', '/admin/identities', person('ada@example.com', { external_id: 'u-1' }))).status).toBe(201);
    const refused = await call('POST', '/admin/identities', body);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 409,
      status: 'Conflict',
      reason: 'This identity conflicts with another identity that already exists.',
      message: 'The resource could not be created due to a conflict',
    });
    expect((await call('GET', '/admin/identities')).body).toHaveLength(1);
  });

  test('the same OIDC subject at another provider is no conflict', async () => {
    const { call } = await start();
    const oidc = (provider: string) => ({ credentials: { oidc: { config: { providers: [{ provider, subject: 's' }] } } } });
    expect((await call('POST', '/admin/identities', person('a@example.com', oidc('google')))).status).toBe(201);
    expect((await call('POST', '/admin/identities', person('b@example.com', oidc('github')))).status).toBe(201);
    expect((await call('POST', '/admin/identities', person('c@example.com', oidc('google')))).status).toBe(409);
  });
});
