/**
 * Every permission, role and role-permission operation and GET /environment (conformance-settings.test.ts covers
 * the rest), in success and in each error case the spec declares for it, sent through
 * `prism proxy` with the Kinde spec: a passing run means these requests and answers match the real API's contract.
 * Cases the spec does not declare (no token, 404 routes, bad JSON, PATCH role permissions with an unknown id)
 * are covered against the emulator directly, in the other test files.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emulatedOperations, startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { caller, credentials, token, type Answer, type Call } from './client.js';

let emulator: KindeEmulator;
let proxy: ConformanceProxy;

beforeAll(async () => {
  // A limit the scripted flow stays under, so that the last step can provoke the 429 the spec declares.
  emulator = await startKindeEmulator({ ...credentials, rateLimit: { requests: 150, windowMs: 60_000 } });
  proxy = await startConformanceProxy(emulator.url);
});

afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

const missing = '01929904-316d-bb2c-069f-99dfea4ac394';

/** The operations this flow covers; organizations, flags and settings have theirs in conformance-settings.test.ts. */
const coreOperations = emulatedOperations.filter((o) => /^\S+ \/api\/v1\/(permissions|roles)(\/|$)/.test(o) || o === 'GET /api/v1/environment');

function expecting(call: Call): (status: number, method: string, path: string, body?: unknown) => Promise<Answer> {
  return async (status, method, path, body) => {
    const got = await call(method, path, body);
    expect({ request: `${method} ${path}`, status: got.status, body: got.body }).toMatchObject({ status });
    return got;
  };
}

test('a scripted client session through prism proxy breaks no rule of the Kinde spec', async () => {
  const plain = caller(proxy.url, await token(proxy.url));
  const api = expecting(plain);

  // Permissions
  await api(201, 'POST', '/api/v1/permissions', { key: 'read:invoices', name: 'Read invoices', description: 'See invoices' });
  await api(201, 'POST', '/api/v1/permissions', { key: 'write:invoices', name: 'Write invoices' });
  await api(201, 'POST', '/api/v1/permissions', { key: 'read:reports', name: 'Read reports', description: 'See reports' });
  await api(400, 'POST', '/api/v1/permissions', { key: 'read:invoices', name: 'Duplicate' });
  const firstPage = await api(200, 'GET', '/api/v1/permissions?sort=name_asc&page_size=2');
  await api(200, 'GET', `/api/v1/permissions?sort=name_asc&page_size=2&next_token=${firstPage.body.next_token}`);
  const permissions = (await api(200, 'GET', '/api/v1/permissions?sort=id_desc')).body.permissions as { id: string; key: string }[];
  const id = (key: string): string => permissions.find((p) => p.key === key)!.id;
  await api(200, 'PATCH', `/api/v1/permissions/${id('write:invoices')}`, { name: 'Edit invoices', description: 'Change invoices' });
  await api(400, 'PATCH', `/api/v1/permissions/${missing}`, { name: 'Nobody' });

  // Roles
  const admin = (await api(201, 'POST', '/api/v1/roles', { key: 'admin', name: 'Admin', description: 'All', is_default_role: false, assignment_permission_id: id('read:reports') })).body.role.id as string;
  const viewer = (await api(201, 'POST', '/api/v1/roles', { key: 'viewer', name: 'Viewer', is_default_role: true })).body.role.id as string;
  await api(400, 'POST', '/api/v1/roles', { key: 'admin', name: 'Duplicate' });
  await api(400, 'POST', '/api/v1/roles', { key: 'auditor', name: 'Auditor', assignment_permission_id: missing });
  const rolePage = await api(200, 'GET', '/api/v1/roles?sort=key_desc&page_size=1');
  await api(200, 'GET', `/api/v1/roles?sort=key_desc&page_size=1&next_token=${rolePage.body.next_token}`);
  await api(400, 'GET', '/api/v1/roles?next_token=not-a-token');
  await api(200, 'GET', `/api/v1/roles/${admin}`);
  await api(200, 'GET', `/api/v1/roles/${viewer}`);
  await api(400, 'GET', `/api/v1/roles/${missing}`);
  await api(201, 'PATCH', `/api/v1/roles/${admin}`, { name: 'Administrator', key: 'admin', description: 'Everything', is_default_role: false, assignment_permission_id: null });
  await api(400, 'PATCH', `/api/v1/roles/${viewer}`, { name: 'Viewer', key: 'admin' });
  await api(400, 'PATCH', `/api/v1/roles/${missing}`, { name: 'Nobody', key: 'nobody' });

  // Role permissions
  await api(200, 'PATCH', `/api/v1/roles/${admin}/permissions`, { permissions: [{ id: id('read:invoices') }, { id: id('write:invoices') }] });
  await api(200, 'PATCH', `/api/v1/roles/${admin}/permissions`, { permissions: [{ id: id('write:invoices'), operation: 'delete' }, { id: id('read:reports') }] });
  const granted = await api(200, 'GET', `/api/v1/roles/${admin}/permissions?sort=name_desc&page_size=1`);
  await api(200, 'GET', `/api/v1/roles/${admin}/permissions?sort=name_desc&page_size=1&next_token=${granted.body.next_token}`);
  await api(400, 'GET', `/api/v1/roles/${missing}/permissions`);
  await api(200, 'DELETE', `/api/v1/roles/${admin}/permissions/${id('read:reports')}`);
  await api(400, 'DELETE', `/api/v1/roles/${missing}/permissions/${id('read:reports')}`);

  await api(200, 'GET', '/api/v1/environment');

  // Deletes
  await api(200, 'DELETE', `/api/v1/permissions/${id('read:invoices')}`);
  await api(400, 'DELETE', `/api/v1/permissions/${missing}`);
  await api(200, 'DELETE', `/api/v1/roles/${viewer}`);
  await api(400, 'DELETE', `/api/v1/roles/${missing}`);

  // 403: a token without the scope each operation needs.
  const environmentOnly = expecting(caller(proxy.url, await token(proxy.url, 'read:environments')));
  for (const operation of coreOperations.filter((o) => o !== 'GET /api/v1/environment')) {
    const [method, template] = operation.split(' ') as [string, string];
    const path = template.replace('{role_id}', admin).replace('{permission_id}', id('read:reports'));
    await environmentOnly(403, method, path, method === 'PATCH' || method === 'POST' ? { key: 'k', name: 'N', permissions: [] } : undefined);
  }
  await expecting(caller(proxy.url, await token(proxy.url, 'read:roles')))(403, 'GET', '/api/v1/environment');

  expect(Object.keys(emulator.stats().byRoute).sort()).toEqual([...coreOperations, 'POST /oauth2/token'].sort());

  // 429: use up the window, then one call per shape of declared 429 (with and without a body).
  let limited = await plain('GET', '/api/v1/environment');
  for (let i = 0; i < 200 && limited.status !== 429; i++) limited = await plain('GET', '/api/v1/environment');
  expect(limited.status).toBe(429);
  expect(limited.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
  await api(429, 'GET', '/api/v1/roles');
  await api(429, 'GET', '/api/v1/permissions');

  expect(proxy.violations()).toEqual([]);
});
