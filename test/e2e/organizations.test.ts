/**
 * Issue 4's loop end to end: the multi-organization example applied to the emulator converges (write-only fields
 * included), a tracking ID changed in the admin UI shows as one manual step, and changing enforce_mfa in the config
 * shows one update and converges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';

const example = fileURLToPath(new URL('../../examples/multi-org/idm.yaml', import.meta.url));
const clientId = 'orgs-client';
const clientSecret = 'orgs-secret';

describe('organizations, flags, business and environment settings', () => {
  let emulator: KindeEmulator;
  let env: Record<string, string>;
  const cwd = mkdtempSync(join(tmpdir(), 'idm-orgs-'));
  const config = join(cwd, 'idm.yaml');

  beforeAll(async () => {
    emulator = await startKindeEmulator({ clientId, clientSecret });
    // Tracking IDs can only be set in the admin UI; this tenant's admin already did.
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' });
    env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
    writeFileSync(config, readFileSync(example, 'utf8'));
  });
  afterAll(() => emulator?.close());

  it('applies the multi-organization example, and the next plan is empty, write-only fields included', async () => {
    const first = await idm(['plan', '-c', config, '--json'], { cwd, env });
    expect(first.code).toBe(0);
    const planned = JSON.parse(first.stdout);
    expect(planned.summary).toMatchObject({ create: 13, update: 2, delete: 0, manual: 0 });

    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    const again = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('shows a tracking ID changed in the admin UI as one manual step, which apply lists without failing', async () => {
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-SOMEONEELSE' });
    const plan = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('! tracking.google_analytics = "G-SOMEONEELSE" -> "G-LEDGERLY1"');
    expect(plan.stdout).toContain('Settings > Environment > Details > Third-party analytics');
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to change, 0 to destroy, 1 manual step.');
    const json = JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout);
    expect(json.changes).toEqual([expect.objectContaining({ action: 'manual', type: 'environment', key: 'tracking' })]);

    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('One manual step remains');
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1' });
  });

  it('changing enforce_mfa in the config is one update, and it converges', async () => {
    writeFileSync(config, readFileSync(config, 'utf8').replace('enforce_mfa: true                # Northwind', 'enforce_mfa: false               # Northwind'));
    const plan = await idm(['plan', '-c', config, '--json', '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(2);
    const changes = JSON.parse(plan.stdout).changes;
    expect(changes).toEqual([
      expect.objectContaining({ action: 'update', type: 'organization', key: 'northwind', diff: [{ path: 'policies.enforce_mfa', before: null, after: false, write_only: 'changed' }] }),
    ]);
    expect((await idm(['apply', '-c', config, '--auto-approve'], { cwd, env })).code).toBe(0);
    const after = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  });

  it('repairs org drift made in the tenant: a flag override and an allowed domain', async () => {
    const tenant = await import('../helpers/tenant.js').then((m) => m.tenantClient(emulator.url, clientId, clientSecret));
    const orgs = (await tenant.call('GET', '/organizations?page_size=500')).json.organizations as { code: string; external_id?: string }[];
    const contoso = orgs.find((o) => o.external_id === 'contoso')!;
    expect((await tenant.call('PATCH', `/organizations/${contoso.code}/feature_flags/export_limit?value=9999`)).status).toBe(200);
    expect((await tenant.call('PATCH', `/organization/${contoso.code}`, { allowed_domains: ['contoso.example'] })).status).toBe(200);

    const plan = JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0].diff.map((d: { path: string }) => d.path)).toEqual(['policies.allowed_domains', 'feature_flags.export_limit']);
    expect((await idm(['apply', '-c', config, '--auto-approve'], { cwd, env })).code).toBe(0);
    expect((await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env })).code).toBe(0);
  });
});
