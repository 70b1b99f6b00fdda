/** PATCH /admin/identities: batch create with per-entry results (reference §6, §10.8-9). */
import { describe, expect, test } from 'vitest';
import { kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

const patchId = (n: number) => `6f1b1a76-1c52-4f3e-9df4-0d1e4f2b5a${String(n).padStart(2, '0')}`;

describe('per-entry results', () => {
  test('entries are answered in request order with patch_id: created, conflicting (409) and invalid (400)', async () => {
    const { call } = await start();
    await call('POST', '/admin/identities', person('taken@example.com', { external_id: 'ext-1' }));
    const answer = await call('PATCH', '/admin/identities', {
      identities: [
        { patch_id: patchId(1), create: person('new@example.com') },
        { patch_id: patchId(2), create: person('TAKEN@example.com') },
        { patch_id: patchId(3), create: person('other@example.com', { external_id: 'ext-1' }) },
        { patch_id: patchId(4), create: { schema_id: 'user_v1', traits: {} } },
        { patch_id: patchId(5), create: person('twin@example.com') },
        { patch_id: patchId(6), create: person('twin@example.com') },
        { patch_id: patchId(7), create: null },
      ],
    });
    expect(answer.status).toBe(200);
    const conflict = { code: 409, status: 'Conflict', message: 'Unable to insert or update resource because a resource with that value exists already' };
    expect(answer.body.identities).toEqual([
      { action: 'create', identity: expect.any(String), patch_id: patchId(1) },
      { action: 'error', patch_id: patchId(2), error: conflict },
      { action: 'error', patch_id: patchId(3), error: conflict },
      { action: 'error', patch_id: patchId(4), error: { code: 400, status: 'Bad Request', reason: 'Unable to find JSON Schema ID: user_v1', message: 'The request was malformed or contained invalid parameters' } },
      { action: 'create', identity: expect.any(String), patch_id: patchId(5) },
      { action: 'error', patch_id: patchId(6), error: conflict },
      // A `create: null` entry is answered with null at its index (the spec's item schema does not allow null).
      null,
    ]);
    const created = answer.body.identities[0].identity as string;
    expect((await call('GET', `/admin/identities/${created}`)).body.traits).toEqual({ email: 'new@example.com' });
    expect((await call('GET', '/admin/identities')).body).toHaveLength(3);
  });

  test('when every entry fails the answer is still 200 (open-source Kratos)', async () => {
    const { call } = await start();
    await call('POST', '/admin/identities', person('a@example.com', { external_id: 'x' }));
    const answer = await call('PATCH', '/admin/identities', {
      identities: [{ create: person('b@example.com', { external_id: 'x' }) }, { create: person('c@example.com', { external_id: 'x' }) }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.identities.map((r: { action: string }) => r.action)).toEqual(['error', 'error']);
  });
});

describe('whole-request failures create nothing', () => {
  test('more than 1000 entries', async () => {
    const { call } = await start();
    const identities = Array.from({ length: 1001 }, (_, i) => ({ create: person(`u${i}@example.com`) }));
    const refused = await call('PATCH', '/admin/identities', { identities });
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toBe('The maximum number of identities per request that can be created or deleted at once is 1000.');
    expect((await call('GET', '/admin/identities')).body).toEqual([]);
  });

  test('more than 200 plaintext passwords (1000 hashed ones are fine)', async () => {
    const { call } = await start();
    const plain = Array.from({ length: 201 }, (_, i) => ({ create: person(`u${i}@example.com`, { credentials: { password: { config: { password: 'pw' } } } }) }));
    const refused = await call('PATCH', '/admin/identities', { identities: plain });
    expect(refused.body.error.reason).toBe('The maximum number of identities per request that can be created with a plaintext password is 200.');
    expect((await call('GET', '/admin/identities')).body).toEqual([]);
    const hashed = Array.from({ length: 1000 }, (_, i) => ({ create: person(`h${i}@example.com`, { credentials: { password: { config: { hashed_password: '$md5$CY9rzUYh03PK3k6DJie09g==' } } } }) }));
    const answer = await call('PATCH', '/admin/identities', { identities: hashed });
    expect(answer.body.identities.filter((r: { action: string }) => r.action === 'create')).toHaveLength(1000);
  });

  test.each([
    ['an invalid state', { state: 'blocked' }, 'identity state is not valid'],
    ['an invalid region', { region: 'mars' }, 'the provided region is not a valid Ory region'],
    ['a bad hash', { credentials: { password: { config: { hashed_password: 'x' } } } }, 'The imported password does not match any known hash format.'],
  ])('an entry with %s', async (_, extra, reason) => {
    const { call } = await start();
    const refused = await call('PATCH', '/admin/identities', { identities: [{ create: person('ok@example.com') }, { create: person('bad@example.com', extra) }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toBe(reason);
    expect((await call('GET', '/admin/identities')).body).toEqual([]);
  });

  test('unknown fields, strictly decoded', async () => {
    const { call } = await start();
    const refused = await call('PATCH', '/admin/identities', { identities: [{ create: person('a@example.com'), delete: true }] });
    expect(refused.body.error.message).toBe('json: unknown field "delete"');
  });
});
