/**
 * Issue 5's loop end to end: a dozen staging users across the multi-org example (two from a Kinde CSV, two
 * converted from an Auth0 export) applied to the emulator converge; a changed email is an identity added, then the
 * old one deleted, and converges; bad password hashes are caught offline with their line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';
import { listAll, tenantClient } from '../helpers/tenant.js';

const exampleDir = fileURLToPath(new URL('../../examples/users/', import.meta.url));
const clientId = 'users-client';
const clientSecret = 'users-secret';
const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';

describe('seed users', () => {
  let emulator: KindeEmulator;
  let env: Record<string, string>;
  const cwd = mkdtempSync(join(tmpdir(), 'idm-users-'));
  const config = join(cwd, 'idm.yaml');

  beforeAll(async () => {
    cpSync(exampleDir, cwd, { recursive: true });
    emulator = await startKindeEmulator({ clientId, clientSecret });
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' });
    env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
  });
  afterAll(() => emulator?.close());

  it('applies a dozen users (CSV and Auth0 ones included), and the next plan is empty', async () => {
    const plan = JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout);
    expect(plan.changes.filter((c: { type: string }) => c.type === 'user')).toHaveLength(12);
    expect(JSON.stringify(plan)).not.toContain(hash);

    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    expect(apply.stdout + apply.stderr).not.toContain(hash);
    const again = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);

    const tenant = await tenantClient(emulator.url, clientId, clientSecret);
    const users = await listAll(tenant, '/users?expand=organizations,identities', 'users');
    expect(users.map((u) => u.provided_id).sort()).toEqual(
      ['0101', '0102', '0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008'].map((n) => `stg-${n}`).concat(['auth0|65a1c0ffee0000000000a001', 'auth0|65a1c0ffee0000000000a002']).sort(),
    );
    expect(users.find((u) => u.provided_id === 'stg-0006').is_suspended).toBe(true);
  });

  it('plans a changed email as the new identity added, then the old deleted, and converges', async () => {
    writeFileSync(config, readFileSync(config, 'utf8').replace('value: yuki@contoso.example', 'value: yuki.tanaka@contoso.example'));
    const text = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('-/+ "email:yuki@contoso.example" -> "email:yuki.tanaka@contoso.example",');
    expect(text.stdout).toContain('Plan: 0 to create, 1 to change, 0 to destroy.');

    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    // The new identity was added and the old one deleted (their order is pinned in write-user.test.ts).
    const order = Object.keys(emulator.stats().replies).filter((k) => k.includes('identities'));
    expect(order).toEqual(expect.arrayContaining(['POST /api/v1/users/{user_id}/identities 201', 'DELETE /api/v1/identities/{identity_id} 200']));
    const after = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  });

  it('catches a wrong bcrypt hash and a salt on bcrypt offline, with their lines', async () => {
    const bad = join(cwd, 'bad.yaml');
    writeFileSync(bad, [
      'version: 1',
      'organizations: [{ external_id: acme, name: Acme }]',
      'users:',
      '  list:',
      '    - id: u-1',
      '      identities: [{ type: email, value: a@acme.example }]',
      '      password: { method: bcrypt, hash: "$2a$10$tooshort" }',
      '      organizations: [{ external_id: acme }]',
      '    - id: u-2',
      '      identities: [{ type: email, value: b@acme.example }]',
      `      password: { method: bcrypt, hash: "${hash}", salt: abc }`,
      '      organizations: [{ external_id: acme }]',
      '',
    ].join('\n'));
    const r = await idm(['validate', '-c', bad], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: error: .*bcrypt/);
    expect(r.stderr).toMatch(/bad\.yaml:11:\d+: error: .*salt/);
    expect(r.stderr).not.toContain(hash);
  });
});
