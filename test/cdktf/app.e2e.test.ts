/**
 * Issue 7 end to end: `idm apply --app` applies the example constructs app to the emulator, and the next plan, from
 * the app or from the equivalent YAML, has no changes. Runs the built CLI and the built example (npm run build).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';

const mainJs = fileURLToPath(new URL('../../dist/examples/cdktf/main.js', import.meta.url));
const yaml = fileURLToPath(new URL('../../examples/multi-org/idm.yaml', import.meta.url));
const clientId = 'cdktf-client';
const clientSecret = 'cdktf-secret';

describe('idm plan/apply --app (constructs)', () => {
  let emulator: KindeEmulator;
  let env: Record<string, string>;
  const cwd = mkdtempSync(join(tmpdir(), 'idm-cdktf-e2e-'));
  const app = `node ${JSON.stringify(mainJs)}`;

  beforeAll(async () => {
    emulator = await startKindeEmulator({ clientId, clientSecret });
    // Tracking IDs can only be set in the admin UI; this tenant's admin already did.
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' });
    env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
  });
  afterAll(() => emulator?.close());

  it('plans as the YAML does, applies, and the next plan is No changes.', async () => {
    const fromApp = await idm(['plan', '--app', app, '--json'], { cwd, env });
    expect(fromApp.stderr).not.toContain('Error');
    expect(fromApp.code).toBe(0);
    const fromYaml = await idm(['plan', '-c', yaml, '--json'], { cwd, env });
    expect(JSON.parse(fromApp.stdout).changes).toEqual(JSON.parse(fromYaml.stdout).changes);
    expect(JSON.parse(fromApp.stdout).summary).toMatchObject({ create: 13, update: 2, delete: 0, manual: 0 });

    const apply = await idm(['apply', '--app', app, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);

    const again = await idm(['plan', '--app', app, '--detailed-exitcode'], { cwd, env });
    expect(again.stdout).toContain('No changes.');
    expect(again.code).toBe(0);
    const yamlAgain = await idm(['plan', '-c', yaml, '--detailed-exitcode'], { cwd, env });
    expect(yamlAgain.stdout).toContain('No changes.');
    // Run by idm, the app prints the model and writes no Terraform output.
    expect(existsSync(join(cwd, 'cdktf.out'))).toBe(false);
  });

  it('reports an app that fails, with its error, and touches nothing', async () => {
    const result = await idm(['plan', '--app', 'node -e "console.error(\'boom\'); process.exit(4)"'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed (exit 4)');
    expect(result.stderr).toContain('boom');
  });
});
