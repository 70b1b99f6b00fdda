/**
 * examples/kratos end to end: the CLI seeds Kratos identities with passwords and a Google link, through Prism against
 * Kratos's admin API spec (an Ory Network-style API key on every call), then changes a trait and unlinks the link.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKratosEmulator, type KratosEmulator } from '../../src/emulator/kratos/index.js';
import { idm } from '../helpers/cli.js';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { kratosSpecForPrism } from '../helpers/prism-spec.js';

const example = readFileSync(fileURLToPath(new URL('../../examples/kratos/idm.yaml', import.meta.url)), 'utf8');
const apiKey = 'ory_pat_e2e00000000000000000000000';
const link = 'google:108234523422193467531';

let emulator: KratosEmulator;
let prism: ConformanceProxy;
let cwd: string;
let env: Record<string, string>;

/** The example without its local target: the tenant is the one KRATOS_ADMIN_URL names, Prism in front of an emulator. */
const write = (text: string) => writeFileSync(join(cwd, 'idm.yaml'), text.replace(/^target: .*\n/m, ''));

beforeAll(async () => {
  emulator = await startKratosEmulator({ apiKey });
  prism = await startConformanceProxy(emulator.url, { spec: await kratosSpecForPrism(), direct: () => false });
  cwd = mkdtempSync(join(tmpdir(), 'idm-kratos-'));
  env = { KRATOS_ADMIN_URL: prism.url, ORY_API_KEY: apiKey };
  write(example);
}, 120_000);

afterAll(async () => {
  await prism?.close();
  await emulator?.close();
});

describe('Kratos: seed identities, then keep them as the config says', () => {
  it('applies the example, and the next plan is No changes.', async () => {
    const apply = await idm(['apply', '--auto-approve'], { cwd, env });
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 3 created, 0 changed, 0 destroyed.');
    expect(apply.stdout).toMatch(/\+ credentials\.password += \(sensitive\)/);
    expect(apply.stdout).toContain('+ credentials.lookup_secret = (sensitive)');
    expect(apply.stdout).not.toMatch(/k7p2|m3x8|w4n6/);
    expect(apply.stdout + apply.stderr).not.toContain('$2a$10$');
    expect(apply.stdout + apply.stderr).not.toContain(apiKey);
    const plan = await idm(['plan', '--detailed-exitcode'], { cwd, env });
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('Target: kratos');
    expect(plan.stdout).toContain('No changes.');
  });

  it('exports the identities: sorted, no secrets, the same twice, and planning the export shows no changes', async () => {
    const exported = await idm(['export', '--out', 'export.yaml'], { cwd, env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('Exported 3 identities from kratos');
    const text = readFileSync(join(cwd, 'export.yaml'), 'utf8');
    expect(text).toContain('traits: { email: ada@ledgerly.example, name: { first: Ada, last: Lovelace } }');
    expect(text).toContain('- { provider: google, subject: "108234523422193467531" }');
    expect(text).not.toMatch(/\$2a\$|k7p2|password:|lookup_secret:/);
    const again = await idm(['export'], { cwd, env });
    expect(again.stdout).toBe(text);
    const plan = await idm(['plan', '-c', 'export.yaml', '--detailed-exitcode'], { cwd, env });
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });

  it('changes a trait without touching the oidc link or the password', async () => {
    write(example.replace('name: { first: Ada, last: Lovelace }', 'name: { first: Augusta, last: Lovelace }'));
    const plan = await idm(['plan'], { cwd, env });
    expect(plan.stdout).toContain('~ traits.name.first = "Ada" -> "Augusta"');
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to change, 0 to destroy.');
    expect((await idm(['apply', '--auto-approve'], { cwd, env })).code).toBe(0);
    // The next plan compares the link and the password fingerprint with what Kratos now holds: both are still there.
    const after = await idm(['plan', '--detailed-exitcode', '--json'], { cwd, env });
    expect(after.code).toBe(0);
    expect(emulator.stats().replies['PUT /admin/identities/{id} 200'] ?? 0).toBe(0);
  });

  it('unlinks the Google sign-in only with --allow-delete', async () => {
    const unlinked = example.replace('name: { first: Ada, last: Lovelace }', 'name: { first: Augusta, last: Lovelace }').replace(/      oidc:\n.*\n/, '      oidc: []\n');
    write(unlinked);
    const refused = await idm(['apply', '--auto-approve'], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('(unlinks a credential: needs --allow-delete)');
    expect(refused.stdout).toContain(`- "${link}",`);
    expect(refused.stderr).toContain('Error: the plan destroys 1 object or credential links, and deletes are off by default');
    const applied = await idm(['apply', '--auto-approve', '--allow-delete'], { cwd, env });
    expect(applied.code, applied.stderr).toBe(0);
    expect((await idm(['plan', '--detailed-exitcode'], { cwd, env })).code).toBe(0);
  });

  it('replaces the recovery codes: the old set is deleted, the new one imported, nothing else touched', async () => {
    const unlinked = example.replace('name: { first: Ada, last: Lovelace }', 'name: { first: Augusta, last: Lovelace }').replace(/      oidc:\n.*\n/, '      oidc: []\n');
    write(unlinked.replace('codes: [k7p2-q9z4, m3x8-r5t1, w4n6-h2j8]', 'codes: [k7p2-q9z4, p5d3-c6v9]'));
    const plan = await idm(['plan'], { cwd, env });
    expect(plan.stdout).toContain('~ credentials.lookup_secret = (sensitive) -> (sensitive)');
    expect(plan.stdout).toContain('Plan: 0 to create, 1 to change, 0 to destroy.');
    expect(plan.stdout).not.toMatch(/k7p2|p5d3/);
    const before = emulator.stats().replies;
    const applied = await idm(['apply', '--auto-approve'], { cwd, env });
    expect(applied.code, applied.stderr).toBe(0);
    const delta = (route: string) => (emulator.stats().replies[route] ?? 0) - (before[route] ?? 0);
    expect(delta('DELETE /admin/identities/{id}/credentials/{type} 204')).toBe(1);
    expect(delta('PUT /admin/identities/{id} 200')).toBe(1);
    expect((await idm(['plan', '--detailed-exitcode'], { cwd, env })).code).toBe(0);
  });

  it('made every request in a shape the Kratos admin API accepts', () => {
    expect(prism.violations()).toEqual([]);
  });
});
