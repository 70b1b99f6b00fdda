/**
 * Every operation of the Kratos emulator, in success and in the error cases a client meets, sent through
 * `prism proxy` with Kratos' OpenAPI spec: a passing run means these requests and answers match the real API's
 * contract. Where Kratos accepts what the spec forbids (a PUT without `schema_id`/`state`, `create: null` in a batch
 * answered with a `null` entry, base64 byte fields), or the spec's enums stop a request before it reaches the
 * emulator (an unknown `include_credential`, no API key), the case is covered against the emulator directly in the
 * other files of this folder.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emulatedOperations, startKratosEmulator, type KratosEmulator } from '../../../src/emulator/kratos/index.js';
import { kratosSpecForPrism } from '../../helpers/prism-spec.js';
import { startConformanceProxy, type ConformanceProxy } from '../../helpers/prism.js';
import { caller, type Answer } from '../client.js';

const apiKey = 'ory_pat_conformance';
let emulator: KratosEmulator;
let proxy: ConformanceProxy;

beforeAll(async () => {
  // A limit the scripted flow stays under, so that the last step can provoke a 429.
  emulator = await startKratosEmulator({ apiKey, rateLimit: { requests: 150, windowMs: 60_000 } });
  proxy = await startConformanceProxy(emulator.url, { spec: await kratosSpecForPrism(), direct: () => false });
});

afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

const missing = '0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001';
const bcrypt = '$2a$10$JCU0ELjU1TCnFbV2jLi7huEQjVWZG0HzXQq/BWZyO30XR6DJxwN72';
const bytes = (text: string): number[] => [...Buffer.from(text)];

test('a scripted client session through prism proxy breaks no rule of the Kratos spec', async () => {
  const call = caller(proxy.url, apiKey);
  const api = async (status: number, method: string, path: string, body?: unknown): Promise<Answer> => {
    const got = await call(method, path, body);
    expect({ request: `${method} ${path}`, status: got.status, body: got.body }).toMatchObject({ status });
    return got;
  };

  // Schemas
  await api(200, 'GET', '/schemas');
  await api(200, 'GET', '/schemas?page=0&per_page=1');
  await api(200, 'GET', '/schemas/default');
  await api(200, 'GET', `/schemas/${Buffer.from('default').toString('base64url')}`);
  await api(404, 'GET', '/schemas/employee');

  // Create
  const ada = (
    await api(201, 'POST', '/admin/identities', {
      schema_id: 'default',
      traits: { email: 'Ada@Example.com', name: { first: 'Ada', last: 'Lovelace' } },
      state: 'active',
      external_id: 'u-1001',
      metadata_public: { plan: 'pro' },
      metadata_admin: { note: 'founder' },
      verifiable_addresses: [{ value: 'ada@example.com', via: 'email', verified: true, status: 'completed' }],
      recovery_addresses: [{ value: 'ada@example.com', via: 'email' }],
      credentials: { password: { config: { hashed_password: bcrypt } }, oidc: { config: { providers: [{ provider: 'google', subject: 'ada-1' }] } } },
    })
  ).body.id as string;
  const grace = (
    await api(201, 'POST', '/admin/identities', {
      schema_id: 'default',
      traits: { email: 'grace@example.com' },
      external_id: 'u-1002',
      credentials: {
        password: { config: { password: 'correct horse battery staple' } },
        totp: { config: { totp_url: 'otpauth://totp/Example:grace@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example' } },
        lookup_secret: { config: { codes: [{ code: 'aaaa-bbbb' }, { code: 'cccc-dddd' }] } },
        saml: { config: { providers: [{ provider: 'okta', subject: 'grace' }] } },
      },
    })
  ).body.id as string;
  const linus = (
    await api(201, 'POST', '/admin/identities', {
      schema_id: 'default',
      traits: { email: 'linus@example.com' },
      state: 'inactive',
      credentials: {
        passkey: { config: { credentials: [{ id: bytes('cred-1'), public_key: bytes('pk-1'), display_name: 'YubiKey', is_passwordless: true }], user_handle: bytes('linus-handle') } },
        webauthn: { config: { credentials: [{ id: bytes('key-1'), public_key: bytes('pk-2'), is_passwordless: false }], user_handle: bytes('linus-handle') } },
      },
    })
  ).body.id as string;
  await api(409, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'ADA@example.com' } });
  await api(409, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'other@example.com' }, external_id: 'u-1001' });
  await api(400, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'x@example.com' }, credentials: { password: { config: { hashed_password: 'plain' } } } });
  await api(400, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'x@example.com' }, credentials: { password: { config: { hashed_password: '$2a$16$JCU0ELjU1TCnFbV2jLi7huEQjVWZG0HzXQq/BWZyO30XR6DJxwN72' } } } });
  await api(400, 'POST', '/admin/identities', { schema_id: 'employee', traits: { email: 'x@example.com' } });
  await api(400, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'not-an-email' } });
  await api(400, 'POST', '/admin/identities', { schema_id: 'default', traits: { email: 'x@example.com' }, id: missing });

  // List
  const firstPage = await api(200, 'GET', '/admin/identities?page_size=2');
  const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.get('link') ?? '')?.[1];
  expect(next).toBeDefined();
  await api(200, 'GET', next!);
  await api(200, 'GET', '/admin/identities');
  await api(200, 'GET', '/admin/identities?credentials_identifier=ADA%40EXAMPLE.COM');
  await api(200, 'GET', '/admin/identities?credentials_identifier=google%3Aada-1&include_credential=oidc');
  await api(200, 'GET', '/admin/identities?include_credential=password&include_credential=totp');
  await api(200, 'GET', `/admin/identities?ids=${ada}&ids=${grace}`);
  await api(200, 'GET', '/admin/identities?page=0&per_page=2');
  await api(400, 'GET', `/admin/identities?ids=${ada}&credentials_identifier=ada%40example.com`);
  await api(400, 'GET', '/admin/identities?ids=not-a-uuid');
  await api(400, 'GET', '/admin/identities?page_token=forged');

  // Get
  await api(200, 'GET', `/admin/identities/${ada}`);
  await api(200, 'GET', `/admin/identities/${ada}?include_credential=password&include_credential=oidc`);
  await api(200, 'GET', `/admin/identities/${linus}?include_credential=passkey&include_credential=webauthn`);
  await api(404, 'GET', `/admin/identities/${missing}`);
  await api(404, 'GET', '/admin/identities/not-a-uuid');
  await api(200, 'GET', '/admin/identities/by/external/u-1002?include_credential=lookup_secret');
  await api(404, 'GET', '/admin/identities/by/external/u-9999');

  // Update
  await api(200, 'PUT', `/admin/identities/${ada}`, {
    schema_id: 'default',
    state: 'active',
    traits: { email: 'ada.lovelace@example.com', name: { first: 'Ada' } },
    external_id: 'u-1001',
    metadata_public: { plan: 'enterprise' },
    credentials: { oidc: { config: { providers: [{ provider: 'github', subject: 'ada' }] } } },
  });
  await api(400, 'PUT', `/admin/identities/${ada}`, { schema_id: 'default', state: 'active', traits: { email: 7 } });
  await api(409, 'PUT', `/admin/identities/${grace}`, { schema_id: 'default', state: 'active', traits: { email: 'grace@example.com' }, external_id: 'u-1001' });
  await api(404, 'PUT', `/admin/identities/${missing}`, { schema_id: 'default', state: 'active', traits: { email: 'nobody@example.com' } });

  // Patch
  await api(200, 'PATCH', `/admin/identities/${ada}`, [
    { op: 'replace', path: '/traits/name/first', value: 'Augusta Ada' },
    { op: 'add', path: '/metadata_admin/reviewed', value: true },
  ]);
  await api(200, 'PATCH', `/admin/identities/${ada}`, [{ op: 'replace', path: '/verifiable_addresses/0/verified', value: true }]);
  await api(400, 'PATCH', `/admin/identities/${ada}`, [{ op: 'remove', path: '/credentials/oidc' }]);
  await api(400, 'PATCH', `/admin/identities/${ada}`, [{ op: 'replace', path: '/state', value: 'suspended' }]);
  await api(400, 'PATCH', `/admin/identities/${ada}`, [{ op: 'replace', path: '/credentials/password', value: { config: {} } }]);
  await api(404, 'PATCH', `/admin/identities/${missing}`, [{ op: 'replace', path: '/state', value: 'inactive' }]);
  await api(409, 'PATCH', `/admin/identities/${grace}`, [{ op: 'replace', path: '/external_id', value: 'u-1001' }]);

  // Batch
  const batch = await api(200, 'PATCH', '/admin/identities', {
    identities: [
      { patch_id: '6f1b1a76-1c52-4f3e-9df4-0d1e4f2b5a01', create: { schema_id: 'default', traits: { email: 'new@example.com' } } },
      { patch_id: '6f1b1a76-1c52-4f3e-9df4-0d1e4f2b5a02', create: { schema_id: 'default', traits: { email: 'grace@example.com' } } },
      { patch_id: '6f1b1a76-1c52-4f3e-9df4-0d1e4f2b5a03', create: { schema_id: 'employee', traits: {} } },
    ],
  });
  expect(batch.body.identities.map((r: { action: string }) => r.action)).toEqual(['create', 'error', 'error']);
  await api(200, 'PATCH', '/admin/identities', { identities: [{ create: { schema_id: 'default', traits: { email: 'grace@example.com' } } }] });
  await api(400, 'PATCH', '/admin/identities', { identities: [{ create: { schema_id: 'default', traits: { email: 'z@example.com' }, credentials: { password: { config: { hashed_password: 'nope' } } } } }] });

  // Credentials
  await api(204, 'DELETE', `/admin/identities/${grace}/credentials/totp`);
  await api(204, 'DELETE', `/admin/identities/${ada}/credentials/oidc?identifier=github%3Aada`);
  await api(400, 'DELETE', `/admin/identities/${ada}/credentials/oidc`);
  await api(400, 'DELETE', `/admin/identities/${linus}/credentials/passkey`);
  await api(404, 'DELETE', `/admin/identities/${linus}/credentials/totp`);
  await api(404, 'DELETE', `/admin/identities/${missing}/credentials/password`);
  await api(204, 'DELETE', `/admin/identities/${ada}/credentials/password`);
  await api(400, 'DELETE', `/admin/identities/${ada}/credentials/oidc?identifier=google%3Aada-1`);

  // Delete
  await api(204, 'DELETE', `/admin/identities/${linus}`);
  await api(404, 'DELETE', `/admin/identities/${linus}`);

  expect(Object.keys(emulator.stats().byRoute).sort()).toEqual([...emulatedOperations].sort());

  // 429: use up the window; the spec's default response covers it.
  let limited = await call('GET', '/schemas');
  for (let i = 0; i < 200 && limited.status !== 429; i++) limited = await call('GET', '/schemas');
  expect(limited.status).toBe(429);
  await api(429, 'GET', `/admin/identities/${ada}`);

  expect(proxy.violations()).toEqual([]);
});
