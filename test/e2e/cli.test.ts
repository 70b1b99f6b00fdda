/**
 * The plan/apply loop end to end: the built CLI in a subprocess against the emulator on an ephemeral port,
 * with the tenant changed behind idm's back through plain HTTP calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';
import { listAll, tenantClient, type TenantClient } from '../helpers/tenant.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/idm.yaml', import.meta.url));
const clientId = 'e2e-client';
const clientSecret = 'e2e-secret-value-never-printed';

describe('plan and apply against the emulator', () => {
  let emulator: KindeEmulator;
  let env: Record<string, string>;
  let tenant: TenantClient;
  const cwd = mkdtempSync(join(tmpdir(), 'idm-e2e-'));

  beforeAll(async () => {
    emulator = await startKindeEmulator({ clientId, clientSecret });
    env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
    tenant = await tenantClient(emulator.url, clientId, clientSecret);
  });
  afterAll(() => emulator.close());

  it('plans the quickstart against an empty tenant', async () => {
    const r = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe(`Target: kinde ${emulator.url}`);
    expect(r.stdout).toContain('+ role "admin" {');
    expect(r.stdout).toContain('Plan: 13 to create, 0 to change, 0 to destroy.');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('applies it, and the next plan is empty', async () => {
    const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 13 created, 0 changed, 0 destroyed.');
    const plan = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('shows drift made behind its back, exactly, and repairs it', async () => {
    const roles = await listAll(tenant, '/roles', 'roles');
    const admin = roles.find((r) => r.key === 'admin');
    const viewer = roles.find((r) => r.key === 'viewer');
    expect((await tenant.call('PATCH', `/roles/${admin.id}`, { name: 'Administrator', key: 'admin' })).status).toBe(201);
    const viewerPermissions = await listAll(tenant, `/roles/${viewer.id}/permissions`, 'permissions');
    const readMembers = viewerPermissions.find((p) => p.key === 'read:members');
    expect((await tenant.call('DELETE', `/roles/${viewer.id}/permissions/${readMembers.id}`)).status).toBe(200);
    expect((await tenant.call('POST', '/roles', { key: 'support', name: 'Support agent', is_default_role: false })).status).toBe(201);

    const json = await idm(['plan', '-c', quickstart, '--json', '--detailed-exitcode'], { cwd, env });
    expect(json.code).toBe(2);
    const plan = JSON.parse(json.stdout);
    expect(plan.changes.map((c: any) => ({ action: c.action, type: c.type, key: c.key, diff: c.diff }))).toEqual([
      { action: 'update', type: 'role', key: 'admin', diff: [{ path: 'name', before: 'Administrator', after: 'Admin' }] },
      {
        action: 'update', type: 'role', key: 'viewer',
        diff: [{ path: 'permissions', before: ['read:projects'], after: ['read:members', 'read:projects'], added: ['read:members'], removed: [] }],
      },
    ]);
    expect(plan.unmanaged).toEqual([{ type: 'role', key: 'support' }]);

    const text = await idm(['plan', '-c', quickstart], { cwd, env });
    expect(text.stdout).toContain('~ name = "Administrator" -> "Admin"');
    expect(text.stdout).toContain('+ "read:members",');
    expect(text.stdout).toContain('role "support"  (set prune.roles: true to delete it)');
    expect(text.stdout).toContain('Plan: 0 to create, 2 to change, 0 to destroy.');

    const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    const after = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No changes.');
    expect(after.stdout).toContain('role "support"');
  });

  it('refuses deletes without --allow-delete, and makes them with it', async () => {
    const pruning = join(cwd, 'prune.yaml');
    writeFileSync(pruning, readFileSync(quickstart, 'utf8').replace(/prune:[\s\S]*$/, 'prune: { roles: true }\n'));
    const refused = await idm(['apply', '-c', pruning, '--auto-approve'], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('- role "support" {');
    expect(refused.stderr).toContain('--allow-delete');
    expect((await listAll(tenant, '/roles', 'roles')).map((r) => r.key)).toContain('support');

    const allowed = await idm(['apply', '-c', pruning, '--auto-approve', '--allow-delete'], { cwd, env });
    expect(allowed.code).toBe(0);
    expect((await listAll(tenant, '/roles', 'roles')).map((r) => r.key)).not.toContain('support');
  });

  it('applies a saved plan, and refuses one the tenant has moved past', async () => {
    const changed = join(cwd, 'changed.yaml');
    writeFileSync(changed, readFileSync(quickstart, 'utf8').replace('name: Viewer', 'name: Read-only'));
    const planFile = join(cwd, 'plan.json');
    const plan = await idm(['plan', '-c', changed, '--out', planFile], { cwd, env });
    expect(plan.code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, 'utf8')).summary.update).toBe(1);

    const roles = await listAll(tenant, '/roles', 'roles');
    const billing = roles.find((r) => r.key === 'billing');
    await tenant.call('PATCH', `/roles/${billing.id}`, { name: 'Finance', key: 'billing' });
    const stale = await idm(['apply', planFile, '--auto-approve'], { cwd, env });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('the tenant changed since');

    await idm(['plan', '-c', changed, '--out', planFile], { cwd, env });
    const fresh = await idm(['apply', planFile, '--auto-approve'], { cwd, env });
    expect(fresh.code).toBe(0);
    expect((await listAll(tenant, '/roles', 'roles')).find((r) => r.key === 'viewer').name).toBe('Read-only');
    expect((await idm(['plan', '-c', changed, '--detailed-exitcode'], { cwd, env })).code).toBe(0);
  });

  it('exits 3 with one line that does not echo the secret when the credentials are wrong', async () => {
    const wrong = 'wrong-secret-0123456789abcdef';
    const r = await idm(['plan', '-c', quickstart], { cwd, env: { ...env, KINDE_MANAGEMENT_CLIENT_SECRET: wrong } });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(wrong);
    expect(r.stderr.split('\n')[0]).toMatch(/^Error: .*(credentials|401)/);
  });

  it('exits 3 when the tenant is unreachable', async () => {
    const r = await idm(['plan', '-c', quickstart], { cwd, env: { ...env, KINDE_DOMAIN: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('127.0.0.1:9');
  });

  it('requires https for anything but loopback', async () => {
    const r = await idm(['plan', '-c', quickstart], { cwd, env: { ...env, KINDE_DOMAIN: 'http://acme.kinde.com' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('https');
  });
});

describe('the local target', () => {
  it('plans and applies on a fresh checkout with no account, keeping its tenant under .idm/', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'idm-local-'));
    const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd });
    expect(apply.code).toBe(0);
    expect(apply.stdout.split('\n')[0]).toBe('Target: kinde (local emulator, state in .idm/)');
    expect(apply.stdout).toContain('Apply complete: 13 created');
    expect(existsSync(join(cwd, '.idm', 'kinde.json'))).toBe(true);
    const plan = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('says which variable is missing when only some are set', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'idm-local-'));
    const r = await idm(['plan', '-c', quickstart], { cwd, env: { KINDE_DOMAIN: 'https://acme.kinde.com' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('KINDE_MANAGEMENT_CLIENT_ID');
  });
});

describe('validate', () => {
  it('says what each example declares, and only what its provider holds', async () => {
    const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
    const cwd = mkdtempSync(join(tmpdir(), 'idm-validate-'));
    const kratos = await idm(['validate', '-c', join(examples, 'kratos/idm.yaml')], { cwd });
    expect(kratos.code).toBe(0);
    expect(kratos.stdout).toMatch(/kratos\/idm\.yaml is valid: 3 Kratos identities\.\n$/);
    const kinde = await idm(['validate', '-c', join(examples, 'quickstart/idm.yaml')], { cwd });
    expect(kinde.stdout).toMatch(/quickstart\/idm\.yaml is valid: 9 permissions, 4 roles, 0 feature flags, 0 organizations, 0 users \(seed mode\)\.\n$/);
  });
});

describe('bad configs', () => {
  it('exit 1 with file:line:col and no stack trace', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'idm-bad-'));
    writeFileSync(join(cwd, 'idm.yaml'), 'version: 1\nroles:\n  - key: admin\n    name: Admin\n    permissions: [read:nothing]\n');
    const r = await idm(['validate'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/idm\.yaml:5:\d+: error: .*read:nothing/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
