/**
 * examples/promotion end to end, in a temporary copy: one config promoted through dev, staging and prod, each
 * environment on its own local emulator tenant (.idm/<env>/).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idm } from '../helpers/cli.js';

const example = fileURLToPath(new URL('../../examples/promotion', import.meta.url));

function copyOfExample(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-promotion-'));
  cpSync(example, cwd, { recursive: true });
  return cwd;
}

/** The summary table's row for an environment, split into cells. */
const row = (stdout: string, environment: string): string[] =>
  stdout
    .split('\n')
    .find((line) => line.startsWith(`${environment} `))!
    .trim()
    .split(/\s{2,}/);

describe('promotion: dev -> staging -> prod', () => {
  const cwd = copyOfExample();

  it('validates every environment', async () => {
    const r = await idm(['validate', '--env', 'all'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('idm.yaml (environment dev) is valid: 5 permissions, 3 roles, 2 feature flags, 2 organizations, 2 users (seed mode)');
    expect(r.stdout).toContain('idm.yaml (environment staging) is valid: 5 permissions, 3 roles, 2 feature flags, 2 organizations, 3 users (seed mode)');
    expect(r.stdout).toContain('idm.yaml (environment prod) is valid: 5 permissions, 3 roles, 2 feature flags, 2 organizations, 0 users (seed mode)');
  });

  it('refuses to guess the environment, and suggests one for a typo', async () => {
    const none = await idm(['plan'], { cwd });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Error: idm.yaml declares environments (dev, staging, prod): choose one with --env');
    const typo = await idm(['plan', '-e', 'stagin'], { cwd });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Error: unknown environment "stagin": idm.yaml declares dev, staging, prod\n  hint: did you mean --env staging?');
  });

  it('saves a plan for dev that applies only to dev', async () => {
    const plan = await idm(['plan', '--env', 'dev', '--out', 'dev.json'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n')[0]).toBe('Target: kinde (local emulator, state in .idm/dev/; environment dev)');
    expect(plan.stdout).toContain('+ user "dev-ada" {');
    expect(plan.stdout).toContain('~ feature_flags.new_dashboard = (write-only, will be set) -> true');
    expect(plan.stdout).toContain('~ terms_url         = null -> "https://dev.ledgerly.example/terms"');
    expect(JSON.parse(readFileSync(join(cwd, 'dev.json'), 'utf8')).target).toMatchObject({ local: true, environment: 'dev' });

    const elsewhere = await idm(['apply', 'dev.json', '--env', 'staging', '--auto-approve'], { cwd });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain('Error: dev.json was made for environment dev, not staging');
    expect(elsewhere.stderr).toContain('hint: apply it with --env dev');
    const unnamed = await idm(['apply', 'dev.json', '--auto-approve'], { cwd });
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('Error: dev.json was made for environment dev\n  hint: apply it with --env dev');
    expect(existsSync(join(cwd, '.idm', 'staging', 'kinde.json'))).toBe(false);

    const apply = await idm(['apply', 'dev.json', '--env', 'dev', '--auto-approve'], { cwd });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 14 created, 2 changed, 0 destroyed.');
  });

  it('applies staging (IDM_ENV), and a plan of each environment then shows no changes', async () => {
    const apply = await idm(['apply', '--auto-approve'], { cwd, env: { IDM_ENV: 'staging' } });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Target: kinde (local emulator, state in .idm/staging/; environment staging)');
    expect(apply.stdout).toContain('+ user "qa-003" {');
    expect(apply.stdout).not.toContain('dev-ada');
    for (const environment of ['dev', 'staging']) {
      const plan = await idm(['plan', '--env', environment, '--detailed-exitcode'], { cwd });
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes.');
    }
    expect(existsSync(join(cwd, '.idm', 'dev', 'kinde.json')) && existsSync(join(cwd, '.idm', 'staging', 'kinde.json'))).toBe(true);
  });

  it('diff --from dev --to staging shows only what the overlays make differ', async () => {
    const r = await idm(['diff', '--from', 'dev', '--to', 'staging', '--detailed-exitcode'], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'Promoting dev to staging: what applying it would change.',
      'Target: kinde (local emulator, state in .idm/staging/; environment staging)',
    ]);
    const headlines = r.stdout.split('\n').filter((line) => line.startsWith('  # '));
    expect(headlines).toEqual([
      '  # user "dev-ada" will be created',
      '  # user "dev-grace" will be created',
      '  # business will be updated in-place',
      '  # environment will be updated in-place',
    ]);
    expect(r.stdout).toContain('~ terms_url   = "https://staging.ledgerly.example/terms" -> "https://dev.ledgerly.example/terms"');
    expect(r.stdout).toContain('~ feature_flags.new_dashboard = false -> true');
    expect(r.stdout).toContain('Plan: 2 to create, 2 to change, 0 to destroy.');

    const back = await idm(['diff', '--from', 'staging', '--to', 'dev'], { cwd });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain('~ feature_flags.new_dashboard = true -> false');
    expect(back.stdout).toContain('+ user "qa-001" {');

    const own = await idm(['diff', '--from', 'staging', '--to', 'staging'], { cwd });
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('Error: --from and --to are both staging');
  });

  it('diff --from-config compares an environment\'s config with a tenant, with the plan\'s exit codes', async () => {
    const same = await idm(['diff', '--from', 'staging', '--from-config', '--to', 'staging', '--detailed-exitcode'], { cwd });
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expect(same.stdout).toContain('Promoting the config of staging to staging');
    expect(same.stdout).toContain('No changes.');
    const dev = await idm(['diff', '--from', 'dev', '--from-config', '--to', 'staging', '--json'], { cwd });
    expect(dev.code).toBe(0);
    expect(JSON.parse(dev.stdout).summary).toEqual({ create: 2, update: 2, delete: 0, replace: 0, manual: 0 });
  });

  it('exports staging byte for byte the same twice, and planning the export against staging is empty', async () => {
    const first = await idm(['export', '--env', 'staging', '--out', 'staging-export.yaml'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const second = await idm(['export', '--env', 'staging'], { cwd });
    expect(second.code).toBe(0);
    const exported = readFileSync(join(cwd, 'staging-export.yaml'), 'utf8');
    expect(second.stdout).toBe(exported);
    // The export names no tenant: declare it as environment staging, so it is planned against that local tenant.
    writeFileSync(join(cwd, 'adopted.yaml'), `${exported}\nenvironments:\n  staging: { target: local }\n`);
    const plan = await idm(['plan', '-c', 'adopted.yaml', '--env', 'staging', '--detailed-exitcode'], { cwd });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
  });

  it('plans prod without seed users', async () => {
    const plan = await idm(['plan', '--env', 'prod', '--detailed-exitcode'], { cwd });
    expect(plan.code).toBe(2);
    expect(plan.stdout).not.toMatch(/user "/);
    expect(plan.stdout).toContain('~ terms_url         = null -> "https://ledgerly.example/terms"');
    expect(plan.stdout).toContain('+ policies.enforce_mfa     = true');
    expect(plan.stdout).toContain('Plan: 12 to create, 2 to change, 0 to destroy.');
  });

  it('plans every environment in order, with a summary, and exits 2 when one has changes', async () => {
    const r = await idm(['plan', '--env', 'all', '--detailed-exitcode'], { cwd });
    expect(r.code).toBe(2);
    const headers = r.stdout.split('\n').filter((line) => line.startsWith('=== Environment'));
    expect(headers).toEqual([
      '=== Environment dev: kinde local emulator (.idm/dev/) ===',
      '=== Environment staging: kinde local emulator (.idm/staging/) ===',
      '=== Environment prod: kinde local emulator (.idm/prod/) ===',
    ]);
    expect(row(r.stdout, 'dev')).toEqual(['dev', 'kinde local emulator (.idm/dev/)', '0', '0', '0', '0']);
    expect(row(r.stdout, 'staging')).toEqual(['staging', 'kinde local emulator (.idm/staging/)', '0', '0', '0', '0']);
    expect(row(r.stdout, 'prod')).toEqual(['prod', 'kinde local emulator (.idm/prod/)', '12', '2', '0', '0']);
    expect(r.stdout).toContain('3 environments: 1 with changes, 2 up to date, 0 failed.');

    const apply = await idm(['apply', '--env', 'prod', '--auto-approve'], { cwd });
    expect(apply.code).toBe(0);
    const after = await idm(['plan', '--env', 'all', '--detailed-exitcode'], { cwd });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('3 environments: 0 with changes, 3 up to date, 0 failed.');
  });

  it('refuses --json and --out with --env all, and --env all on apply', async () => {
    const json = await idm(['plan', '--env', 'all', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect(json.stderr).toContain('Error: --env all prints a plan per environment as text; --json, --markdown and --out take one environment');
    const apply = await idm(['apply', '--env', 'all', '--auto-approve'], { cwd });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Error: --env all works with validate and plan only');
  });
});

describe('promotion: a saved plan goes stale when its tenant changes', () => {
  it('refuses to apply a plan for prod made before prod changed', async () => {
    const cwd = copyOfExample();
    const plan = await idm(['plan', '--env', 'prod', '--out', 'prod.json'], { cwd });
    expect(plan.code).toBe(0);
    expect((await idm(['apply', '--env', 'prod', '--auto-approve'], { cwd })).code).toBe(0);
    const stale = await idm(['apply', 'prod.json', '--env', 'prod', '--auto-approve'], { cwd });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Error: the tenant changed since prod.json was made');
  });
});

describe('promotion: an environment that fails does not stop the others', () => {
  it('reports it in its place and in the summary, and exits 1', async () => {
    const cwd = copyOfExample();
    const config = join(cwd, 'idm.yaml');
    const text = readFileSync(config, 'utf8');
    const prod = '    target: local\n    file: envs/prod.yaml';
    expect(text).toContain(prod);
    writeFileSync(
      config,
      text.replace(prod, '    target: { provider: kinde, domain: https://ledgerly.kinde.com, client_id_env: KINDE_PROD_CLIENT_ID, client_secret_env: KINDE_PROD_CLIENT_SECRET }\n    file: envs/prod.yaml'),
    );
    writeFileSync(join(cwd, 'envs', 'staging.yaml'), 'users_file: nowhere.ndjson\n');

    const r = await idm(['plan', '--env', 'all', '--detailed-exitcode'], { cwd, env: { KINDE_PROD_CLIENT_ID: 'prod-client-id' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('=== Environment dev: kinde local emulator (.idm/dev/) ===');
    expect(r.stdout).toContain('Plan: 14 to create, 2 to change, 0 to destroy.');
    expect(r.stderr).toContain('envs/staging.yaml:1:13: error: cannot read users_file "nowhere.ndjson": it does not exist');
    expect(r.stderr).toContain('Error: environment "prod" (https://ledgerly.kinde.com) reads its credentials from KINDE_PROD_CLIENT_SECRET, which is not set');
    expect(r.stdout + r.stderr).not.toContain('prod-client-id');
    expect(row(r.stdout, 'dev')).toEqual(['dev', 'kinde local emulator (.idm/dev/)', '14', '2', '0', '0']);
    expect(row(r.stdout, 'staging')).toEqual(['staging', 'kinde local emulator (.idm/staging/)', 'failed: 1 error in the configuration']);
    expect(row(r.stdout, 'prod')).toEqual(['prod', 'kinde https://ledgerly.kinde.com', 'failed: environment "prod" (https://ledgerly.kinde.com) reads its credentials from KINDE_PROD_CLIENT_SECRET, which is not set']);
    expect(r.stdout).toContain('3 environments: 1 with changes, 0 up to date, 2 failed.');
  });
});
