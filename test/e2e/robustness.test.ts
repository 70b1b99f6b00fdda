/**
 * A flaky, throttled tenant: one request in five fails (a 500 or a dropped connection, before or after the
 * request took effect) and the rate limit is tight. Apply must still converge, create nothing twice, and leave a
 * tenant whose next plan is empty: for the quickstart's roles and permissions, and for the users example's
 * organizations (write-only policies, MFA), flags, settings and managed users with passwords, over slow answers.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';
import { createsByType, expectConverged, expectSeedUsersComplete, stagingTenant, toSeedMode } from '../helpers/staging.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/idm.yaml', import.meta.url));
const clientId = 'flaky';
const clientSecret = 'flaky-secret';

let emulator: KindeEmulator;
beforeAll(async () => {
  emulator = await startKindeEmulator({ clientId, clientSecret, faultRate: 0.2, seed: 7, rateLimit: { requests: 8, windowMs: 1000 } });
});
afterAll(() => emulator?.close());

it('converges under 20% faults and a tight rate limit, with nothing created twice', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-flaky-'));
  const env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };

  const apply = await idm(['apply', '-c', quickstart, '--auto-approve', '--parallelism', '8'], { cwd, env });
  expect(apply.stderr).not.toContain('Error');
  expect(apply.code).toBe(0);
  expect(apply.stdout).toContain('Apply complete: 13 created, 0 changed, 0 destroyed.');

  const plan = await idm(['plan', '-c', quickstart, '--json', '--detailed-exitcode'], { cwd, env });
  expect(plan.code).toBe(0);
  expect(JSON.parse(plan.stdout)).toMatchObject({ changes: [], unmanaged: [] });

  const stats = emulator.stats();
  // Kinde refuses a second object with the same key; a create sent again after a fault hid its success would
  // have been answered 400. Each create took effect exactly once.
  expect(stats.replies).toMatchObject({ 'POST /api/v1/permissions 201': 9, 'POST /api/v1/roles 201': 4 });
  expect(Object.keys(stats.replies).filter((k) => / 4\d\d$/.test(k))).toEqual([]);
  expect(stats.faults).toBeGreaterThan(0);
  expect(stats.rateLimited).toBeGreaterThan(0);
}, 90_000);

it('converges for organizations, flags, settings and users too, over slow answers, faults and a 429 storm', async () => {
  const staging = await stagingTenant({ latencyMs: 30, faultRate: 0.2, seed: 11, rateLimit: { requests: 25, windowMs: 1000 } });
  const { emulator, cwd, config, env } = staging;
  try {
    const expected = createsByType(JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout));
    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.stdout).toContain('Apply complete');
    expect(apply.code).toBe(0);
    await expectConverged(staging, expected);
    const stats = emulator.stats();
    expect(stats.faults).toBeGreaterThan(10);
    expect(stats.rateLimited).toBeGreaterThan(0);
  } finally {
    await emulator.close();
  }
}, 90_000);

it('seed users converge under faults too: each complete, created once, and no record of creates left behind', async () => {
  const staging = await stagingTenant({ latencyMs: 10, faultRate: 0.2, seed: 5, rateLimit: { requests: 40, windowMs: 1000 } });
  const { emulator, cwd, config, env } = staging;
  try {
    const managed = toSeedMode(config);
    const expected = createsByType(JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout));
    const apply = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    expect(emulator.stats().faults).toBeGreaterThan(10);
    await expectSeedUsersComplete(staging, managed, expected);
  } finally {
    await emulator.close();
  }
}, 90_000);
