/** PATCH /admin/identities/{id}: JSON Patch with Kratos' deny list, checks and atomicity (reference §5, §10.7). */
import { describe, expect, test } from 'vitest';
import type { Call } from '../client.js';
import { bcryptHash, kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

async function setUp(): Promise<{ call: Call; id: string; before: unknown }> {
  const { call } = await start();
  const created = await call(
    'POST',
    '/admin/identities',
    person('ada@example.com', {
      external_id: 'u-1',
      metadata_public: { plan: 'pro', limits: { seats: 3 } },
      credentials: { password: { config: { hashed_password: bcryptHash } }, oidc: { config: { providers: [{ provider: 'google', subject: 'g1' }] } } },
    }),
  );
  const id = created.body.id as string;
  const before = (await call('GET', `/admin/identities/${id}?include_credential=password&include_credential=oidc`)).body;
  return { call, id, before };
}

const stored = (call: Call, id: string) => call('GET', `/admin/identities/${id}?include_credential=password&include_credential=oidc`).then((a) => a.body);

describe('deny list', () => {
  test.each(['/id', '/stateChangedAt', '/STATECHANGEDAT', '/credentials', '/credentials/oidc', '/credentials/oidc/config/providers/0/subject', '/credentials/saml', '/credentials/saml/identifiers'])(
    '%s is refused with "patch includes denied path" in message, and nothing is saved',
    async (path) => {
      const { call, id, before } = await setUp();
      const refused = await call('PATCH', `/admin/identities/${id}`, [
        { op: 'replace', path: '/traits/email', value: 'changed@example.com' },
        { op: 'replace', path, value: 'x' },
      ]);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({ code: 400, status: 'Bad Request', reason: 'failed to apply JSON patch', message: `patch includes denied path: ${path}` });
      expect(await stored(call, id)).toEqual(before);
    },
  );

  test('password sub-paths and a whole password credential of the right type are allowed', async () => {
    const { call, id } = await setUp();
    const other = '$2a$10$abcdefghijklmnopqrstuuJCU0ELjU1TCnFbV2jLi7huEQjVWZG0Hz';
    expect((await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/credentials/password/config/hashed_password', value: other }])).status).toBe(200);
    expect((await stored(call, id)).credentials.password.config.hashed_password).toBe(other);
    const whole = { type: 'password', identifiers: ['ada@example.com'], config: { hashed_password: bcryptHash }, version: 0 };
    expect((await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/credentials/password', value: whole }])).status).toBe(200);
    expect((await stored(call, id)).credentials.password.config.hashed_password).toBe(bcryptHash);
  });

  test('the state_changed_at field itself (snake case) is not on the deny list', async () => {
    const { call, id } = await setUp();
    const patched = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/state_changed_at', value: '2020-01-01T00:00:00Z' }]);
    expect(patched.status).toBe(200);
    expect(patched.body.state_changed_at).toBe('2020-01-01T00:00:00Z');
  });
});

describe('checks after applying', () => {
  test('a credential whose type does not match its key is refused and nothing is saved', async () => {
    const { call, id, before } = await setUp();
    const refused = await call('PATCH', `/admin/identities/${id}`, [
      { op: 'add', path: '/metadata_admin', value: { touched: true } },
      { op: 'replace', path: '/credentials/password', value: { config: { hashed_password: bcryptHash } } },
    ]);
    expect(refused.body.error).toMatchObject({ code: 400, reason: 'credentials.password.type must equal "password", got ""' });
    expect(await stored(call, id)).toEqual(before);
  });

  test('an invalid state is refused with Kratos\' reason and nothing is saved', async () => {
    const { call, id, before } = await setUp();
    const refused = await call('PATCH', `/admin/identities/${id}`, [
      { op: 'replace', path: '/traits/email', value: 'changed@example.com' },
      { op: 'replace', path: '/state', value: 'x' },
    ]);
    expect(refused.body.error).toMatchObject({ code: 400, reason: "The supplied state ('x') was not valid. Valid states are ('active', 'inactive')." });
    expect(await stored(call, id)).toEqual(before);
  });

  test('an unknown schema_id is refused and not saved', async () => {
    const { call, id, before } = await setUp();
    const refused = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/schema_id', value: 'employee' }]);
    expect(refused.body.error.reason).toBe('Unable to find JSON Schema ID: employee');
    expect(await stored(call, id)).toEqual(before);
  });

  test('a state change moves state_changed_at', async () => {
    const { call, id, before } = await setUp();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const patched = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/state', value: 'inactive' }]);
    expect(patched.body.state).toBe('inactive');
    expect(Date.parse(patched.body.state_changed_at)).toBeGreaterThan(Date.parse((before as { state_changed_at: string }).state_changed_at));
  });
});

describe('what patches do', () => {
  test('verified true sets verified_at; false removes it', async () => {
    const { call, id } = await setUp();
    const verified = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/verifiable_addresses/0/verified', value: true }]);
    expect(verified.body.verifiable_addresses[0].verified_at).toEqual(expect.any(String));
    const unverified = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/verifiable_addresses/0/verified', value: false }]);
    expect(unverified.body.verifiable_addresses[0]).not.toHaveProperty('verified_at');
  });

  test('external_id replaced with "" clears it', async () => {
    const { call, id } = await setUp();
    const patched = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/external_id', value: '' }]);
    expect(patched.body).not.toHaveProperty('external_id');
    expect((await call('GET', '/admin/identities/by/external/u-1')).status).toBe(404);
  });

  test('metadata can be patched at nested paths, and replace of a missing member adds it', async () => {
    const { call, id } = await setUp();
    const patched = await call('PATCH', `/admin/identities/${id}`, [
      { op: 'replace', path: '/metadata_public/limits/seats', value: 10 },
      { op: 'replace', path: '/metadata_public/limits/projects', value: 2 },
      { op: 'add', path: '/metadata_admin/flags/beta', value: true },
      { op: 'remove', path: '/metadata_public/plan' },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.body.metadata_public).toEqual({ limits: { seats: 10, projects: 2 } });
    expect(patched.body.metadata_admin).toEqual({ flags: { beta: true } });
  });

  test('a patched email re-derives identifiers and addresses', async () => {
    const { call, id } = await setUp();
    const patched = await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/traits/email', value: 'Lovelace@Example.com' }]);
    expect(patched.body.credentials.password.identifiers).toEqual(['lovelace@example.com']);
    expect(patched.body.verifiable_addresses[0].value).toBe('lovelace@example.com');
  });

  test('/region takes add and replace of a known region only', async () => {
    const { call, id } = await setUp();
    expect((await call('PATCH', `/admin/identities/${id}`, [{ op: 'add', path: '/region', value: 'us-east' }])).body.region).toBe('us-east');
    expect((await call('PATCH', `/admin/identities/${id}`, [{ op: 'remove', path: '/region' }])).body.error.reason).toBe('operation "remove" is not supported on /region');
    expect((await call('PATCH', `/admin/identities/${id}`, [{ op: 'replace', path: '/region', value: 'moon' }])).body.error.reason).toBe('the provided region is not a valid Ory region');
  });
});

describe('malformed patches', () => {
  test('an unknown id is 404 before the body is read', async () => {
    const { call } = await start();
    const missing = await call('PATCH', '/admin/identities/0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001', '');
    expect(missing.status).toBe(404);
  });

  test.each([
    ['an empty body', '', 'failed to unmarshal JSON patch', 'unexpected end of JSON input'],
    ['an object', { op: 'replace' }, 'failed to unmarshal JSON patch', 'json: cannot unmarshal object into Go value of type []identity.patchOp'],
    ['a move', [{ op: 'move', from: '/traits', path: '/metadata_public' }], 'failed to apply JSON patch', 'unsupported operation: move'],
    ['a remove of a missing path', [{ op: 'remove', path: '/metadata_public/nothing' }], 'failed to apply JSON patch', 'remove operation does not apply: doc is missing path: "/metadata_public/nothing": missing value'],
  ])('%s is a 400', async (_, body, reason, message) => {
    const { call, id, before } = await setUp();
    const refused = await call('PATCH', `/admin/identities/${id}`, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ reason, message });
    expect(await stored(call, id)).toEqual(before);
  });
});
