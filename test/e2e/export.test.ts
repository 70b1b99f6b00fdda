/**
 * Issue 6's adoption loop end to end, through the built CLI against the emulator: the users example (the multi-org
 * example plus a dozen users) applied, exported, planned: no changes, twice byte-identical, valid; the same export
 * planned against a tenant that drifted shows exactly the drift; a tenant idm never touched exports what can be read
 * and names what cannot be adopted as it is.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';
import { startConformanceProxy } from '../helpers/prism.js';
import { tenantClient } from '../helpers/tenant.js';

const usersExample = fileURLToPath(new URL('../../examples/users/', import.meta.url));
const multiOrg = fileURLToPath(new URL('../../examples/multi-org/idm.yaml', import.meta.url));
const clientId = 'export-client';
const clientSecret = 'export-secret';

async function tenant(): Promise<{ emulator: KindeEmulator; env: Record<string, string> }> {
  const emulator = await startKindeEmulator({ clientId, clientSecret });
  emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' });
  return { emulator, env: { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret } };
}

async function applied(config: string, cwd: string, env: Record<string, string>): Promise<void> {
  const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
  expect(apply.stderr).not.toContain('Error');
  expect(apply.code).toBe(0);
}

describe('idm export', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-export-'));
  const exported = join(cwd, 'exported.yaml');
  let source: Awaited<ReturnType<typeof tenant>>;
  let drifted: Awaited<ReturnType<typeof tenant>>;

  beforeAll(async () => {
    cpSync(usersExample, cwd, { recursive: true });
    [source, drifted] = await Promise.all([tenant(), tenant()]);
    // The drifted tenant is the same config with a few differences, as prod drifts from staging.
    const edited = readFileSync(join(cwd, 'idm.yaml'), 'utf8')
      .replace('name: Auditor', 'name: External auditor')
      .replace('permissions: [read:invoices, write:invoices, read:reports]', 'permissions: [read:invoices, write:invoices]')
      .replace('auto_membership: true\n      allowed_domains: [contoso', 'auto_membership: false\n      allowed_domains: [contoso')
      .replace('enforce_mfa: true ', 'enforce_mfa: false')
      .replace('first_name: Lena', 'first_name: Helena')
      .replace('terms_url: https://ledgerly.example/terms', 'terms_url: https://ledgerly.example/terms-v2')
      .replace('permissions:\n', 'permissions:\n  - { key: export:reports, name: Export reports }\n');
    writeFileSync(join(cwd, 'drifted.yaml'), edited);
    await Promise.all([applied('idm.yaml', cwd, source.env), applied('drifted.yaml', cwd, drifted.env)]);
  }, 60_000);
  afterAll(async () => {
    await source?.emulator.close();
    await drifted?.emulator.close();
  });

  it('exports the applied example; planning the export against the same tenant shows no changes', async () => {
    const run = await idm(['export', '--out', exported], { cwd, env: source.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Exported 5 permissions, 3 roles, 3 organizations, business settings, environment settings and 12 users from kinde ${source.emulator.url} to ${exported}.`);
    expect(run.stderr).toMatch(/warning: 1 organization has no external id, which idm matches organizations on: "Default Organization" \(org_\w+, the default organization\)/);

    const text = readFileSync(exported, 'utf8');
    expect(text.split('\n')[0]).toBe(`# idm config exported from kinde ${source.emulator.url} by \`idm export\`. Planned against that tenant, it shows no`);
    expect(text).not.toContain(clientSecret);
    expect(text).not.toContain('$2a$');
    // What idm wrote to write-only fields comes back from its state record.
    expect(text).toContain('mfa: { factors: [ mfa:authenticator_app, mfa:email ], recovery_codes: true }');
    expect(text).toContain('#   - { key: export_limit, name: TODO, description: "", type: int, default: 1000, override_level: org }');

    const plan = await idm(['plan', '-c', exported, '--detailed-exitcode'], { cwd, env: source.env });
    expect(plan.stdout).toContain('No changes. The tenant matches the configuration.');
    expect(plan.code).toBe(0);
    const validate = await idm(['validate', '-c', exported], { cwd });
    expect(validate.stdout).toContain('is valid: 5 permissions, 3 roles, 0 feature flags, 3 organizations, 12 users (managed mode)');
    expect(validate.code).toBe(0);
  }, 60_000);

  it('exports the same tenant byte for byte the same, to stdout as to a file', async () => {
    const again = await idm(['export'], { cwd, env: source.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(readFileSync(exported, 'utf8'));
  }, 60_000);

  it('planned against a tenant that drifted, shows exactly the differences', async () => {
    const plan = await idm(['plan', '-c', exported, '--json'], { cwd, env: drifted.env });
    expect(plan.code).toBe(0);
    const result = JSON.parse(plan.stdout) as { changes: { action: string; type: string; key: string; diff: { path: string; write_only?: string }[] }[]; unmanaged: unknown[] };
    expect(result.changes.map((c) => `${c.action} ${c.type} ${c.key}: ${c.diff.map((d) => d.path + (d.write_only ? ` (${d.write_only})` : '')).join(', ')}`)).toEqual([
      'update role accountant: permissions',
      'update role auditor: name',
      'update organization contoso: policies.auto_membership',
      'update organization northwind: policies.enforce_mfa (changed)',
      'update user stg-0003: first_name',
      'update business business: terms_url',
    ]);
    expect(result.unmanaged).toEqual([{ type: 'permission', key: 'export:reports' }]);
  }, 60_000);

  it('--only exports the collections named, and refuses an unknown one with a suggestion', async () => {
    const only = await idm(['export', '--only', 'roles,permissions'], { cwd, env: source.env });
    expect(only.code).toBe(0);
    expect(only.stdout.match(/^\w+:/gm)).toEqual(['version:', 'permissions:', 'roles:']);
    expect(only.stderr).toContain('Exported 5 permissions and 3 roles from');

    const fragment = await idm(['export', '--only', 'users'], { cwd, env: source.env });
    expect(fragment.stderr).toContain('note: the export refers to organizations and roles, which --only left out: merge it into a config that declares them.');

    const typo = await idm(['export', '--only', 'roles,organisations'], { cwd, env: source.env });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('Error: --only: unknown collection "organisations"\n  hint: did you mean "organizations"?');
  }, 60_000);

  it('reads nothing the Kinde spec forbids (every request through prism)', async () => {
    const proxy = await startConformanceProxy(source.emulator.url);
    try {
      const run = await idm(['export'], { cwd, env: { ...source.env, KINDE_DOMAIN: proxy.url } });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('Exported 5 permissions, 3 roles, 3 organizations, business settings, environment settings and 12 users');
      expect(proxy.violations()).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('will not replace an existing file unless told to', async () => {
    const before = readFileSync(join(cwd, 'idm.yaml'), 'utf8');
    const refused = await idm(['export', '--out', 'idm.yaml'], { cwd, env: source.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: idm.yaml exists\n  hint: pass --force to replace it');
    expect(readFileSync(join(cwd, 'idm.yaml'), 'utf8')).toBe(before);

    const forced = await idm(['export', '--out', 'drifted.yaml', '--force'], { cwd, env: source.env });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(cwd, 'drifted.yaml'), 'utf8')).toBe(readFileSync(exported, 'utf8'));
  }, 60_000);
});

describe('idm export of the multi-org example', () => {
  it('plans no changes, flags and write-only fields included', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'idm-export-orgs-'));
    const { emulator, env } = await tenant();
    try {
      writeFileSync(join(cwd, 'idm.yaml'), readFileSync(multiOrg, 'utf8'));
      await applied('idm.yaml', cwd, env);
      const run = await idm(['export', '--out', 'exported.yaml'], { cwd, env });
      expect(run.code).toBe(0);
      expect(readFileSync(join(cwd, 'exported.yaml'), 'utf8')).not.toMatch(/^users:/m);
      const plan = await idm(['plan', '-c', 'exported.yaml', '--detailed-exitcode'], { cwd, env });
      expect(plan.stdout).toContain('No changes.');
      expect(plan.code).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});

describe('idm export of a tenant idm never touched', () => {
  it('exports what can be read, leaves write-only fields out, and names what cannot be adopted as it is', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'idm-export-fresh-'));
    const { emulator, env } = await tenant();
    try {
      const api = await tenantClient(emulator.url, clientId, clientSecret);
      expect((await api.call('POST', '/permissions', { key: 'read:docs', name: 'Read docs' })).status).toBe(201);
      const acme = await api.call('POST', '/organization', { name: 'Acme', external_id: 'acme', handle: 'acme' });
      const code = acme.json.organization.code as string;
      expect((await api.call('PATCH', `/organization/${code}`, { is_enforce_mfa: true, allowed_domains: ['acme.example'] })).status).toBe(200);
      expect((await api.call('POST', '/organization', { name: 'Made in the UI' })).status).toBe(200);
      expect((await api.call('POST', '/user', { provided_id: 'u-1', identities: [{ type: 'email', details: { email: 'ada@acme.example' } }], organization_code: code })).status).toBe(200);
      expect((await api.call('POST', '/user', { identities: [{ type: 'email', details: { email: 'lone@acme.example' } }] })).status).toBe(200);

      const run = await idm(['export', '--out', 'exported.yaml'], { cwd, env });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/warning: 2 organizations have no external id, which idm matches organizations on: .*"Made in the UI" \(org_\w+\)/);
      expect(run.stderr).toMatch(/warning: 1 user belongs to no organization with an external id .*: kp_\w+ \(lone@acme\.example\)/);
      const text = readFileSync(join(cwd, 'exported.yaml'), 'utf8');
      expect(text).toContain('  - external_id: acme\n    name: Acme\n    handle: acme\n    policies:\n      auto_membership: false\n      allowed_domains: [ acme.example ]\n');
      expect(text).not.toContain('enforce_mfa: ');
      expect(text).toContain('- { type: email, value: ada@acme.example }');
      expect(text).not.toContain('lone@acme.example\n');

      const plan = await idm(['plan', '-c', 'exported.yaml', '--detailed-exitcode'], { cwd, env });
      expect(plan.stdout).toContain('No changes.');
      expect(plan.code).toBe(0);
      expect(existsSync(join(cwd, '.idm'))).toBe(false);
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
