/**
 * The end-to-end flow (apply, plan, drift made by hand, repair) with every request idm sends passing through
 * `prism proxy` and the Kinde OpenAPI spec: a violation of the spec by idm's client or the emulator fails the test.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { listAll, tenantClient } from '../helpers/tenant.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/idm.yaml', import.meta.url));
const multiOrg = fileURLToPath(new URL('../../examples/multi-org/idm.yaml', import.meta.url));
const clientId = 'conformance';
const clientSecret = 'conformance-secret';

let emulator: KindeEmulator;
let proxy: ConformanceProxy;

beforeAll(async () => {
  emulator = await startKindeEmulator({ clientId, clientSecret });
  proxy = await startConformanceProxy(emulator.url);
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

it('plan, apply, drift and repair send nothing the Kinde spec forbids', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-prism-'));
  const env = { KINDE_DOMAIN: proxy.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };

  expect((await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env })).code).toBe(2);
  const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env });
  expect(apply.stderr).not.toContain('Error');
  expect(apply.code).toBe(0);
  expect((await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env })).code).toBe(0);

  const tenant = await tenantClient(proxy.url, clientId, clientSecret);
  const roles = await listAll(tenant, '/roles', 'roles');
  const member = roles.find((r) => r.key === 'member');
  await tenant.call('PATCH', `/roles/${member.id}`, { name: 'Member', key: 'member', is_default_role: false });
  const perms = await listAll(tenant, `/roles/${member.id}/permissions`, 'permissions');
  await tenant.call('PATCH', `/roles/${member.id}/permissions`, { permissions: [{ id: perms[0].id, operation: 'delete' }] });

  const drift = await idm(['plan', '-c', quickstart, '--json', '--detailed-exitcode'], { cwd, env });
  expect(drift.code).toBe(2);
  expect(JSON.parse(drift.stdout).changes.map((c: { key: string; diff: { path: string }[] }) => `${c.key}: ${c.diff.map((d) => d.path).join(',')}`)).toEqual(['member: default,permissions']);
  expect((await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env })).code).toBe(0);
  expect((await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env })).code).toBe(0);

  expect(proxy.violations()).toEqual([]);
}, 90_000);

it('organizations, flags, business and environment settings: apply and plan send nothing the spec forbids', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-prism-orgs-'));
  const env = { KINDE_DOMAIN: proxy.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
  emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' });

  const apply = await idm(['apply', '-c', multiOrg, '--auto-approve'], { cwd, env });
  expect(apply.stderr).not.toContain('Error');
  expect(apply.code).toBe(0);
  const plan = await idm(['plan', '-c', multiOrg, '--detailed-exitcode'], { cwd, env });
  expect(plan.stdout).toContain('No changes.');
  expect(plan.code).toBe(0);

  expect(proxy.violations()).toEqual([]);
}, 90_000);
