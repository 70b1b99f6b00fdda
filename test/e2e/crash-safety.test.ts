/**
 * Crash safety (issue 8): an apply killed with SIGKILL, at several points, and run again finishes the work, creates
 * nothing twice, and leaves a tenant whose next plan is empty. The tenant is the users example (flags, organizations
 * with write-only policies, managed users with passwords). Each kill lands right after the emulator carried out a
 * given create and before its answer reached idm (the emulator's latency comes after the effect): the case of a
 * create idm cannot know happened.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { idm, startIdm } from '../helpers/cli.js';
import { listAll, tenantClient } from '../helpers/tenant.js';
import { createsByType, expectConverged, expectSeedUsersComplete, replied, type Staging, stagingTenant, toSeedMode } from '../helpers/staging.js';

const killPoints = [
  { during: 'the permission creates', route: 'POST /api/v1/permissions 201', after: 3 },
  { during: 'the role permission grants', route: 'PATCH /api/v1/roles/{role_id}/permissions 200', after: 1 },
  { during: 'the organization creates, before their update-only policies', route: 'POST /api/v1/organization 200', after: 2 },
  // The second variable created: the first may be a lock of the tenant, should the apply take one.
  { during: 'the state records of write-only values', route: 'POST /api/v1/environment_variables 201', after: 2 },
  { during: 'the user creates, before their roles and passwords', route: 'POST /api/v1/user 200', after: 4 },
];

const open: Staging[] = [];
afterAll(() => Promise.all(open.map((s) => s.emulator.close())));

describe.concurrent('an apply killed with SIGKILL, then run again', () => {
  it.each(killPoints)('during $during: finishes, creates nothing twice, and the next plan is empty', async ({ route, after }) => {
    const staging = await stagingTenant({ latencyMs: 20 });
    open.push(staging);
    const { emulator, cwd, config, env } = staging;
    const expected = createsByType(JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout));

    const killed = startIdm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    await Promise.race([replied(emulator, route, after), killed.result]);
    killed.process.kill('SIGKILL');
    expect((await killed.result).signal).toBe('SIGKILL');

    const rerun = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(rerun.stderr).not.toMatch(/Error/);
    // The kill left work to do.
    expect(rerun.stdout).toMatch(/Apply complete: \d+ created, \d+ changed/);
    expect(rerun.stdout).not.toMatch(/Apply complete: 0 created, 0 changed/);
    expect(rerun.code).toBe(0);
    // Each object was created once, in one run or the other.
    await expectConverged(staging, expected);
    const tenant = await tenantClient(emulator.url, 'staging', 'staging-secret');
    const users = await listAll(tenant, '/users', 'users');
    expect(new Set(users.map((u) => u.provided_id)).size).toBe(users.length);
    expect(users).toHaveLength(expected.user!);
  });
});

describe('an apply of seed users killed with SIGKILL mid-create, then run again', () => {
  it('finishes the users it cut off (roles, passwords, suspension), though seed mode never updates other users', async () => {
    const staging = await stagingTenant({ latencyMs: 20 });
    open.push(staging);
    const { emulator, cwd, config, env } = staging;
    const managed = toSeedMode(config);
    const expected = createsByType(JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout));

    const killed = startIdm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    await Promise.race([replied(emulator, 'POST /api/v1/user 200', 4), killed.result]);
    killed.process.kill('SIGKILL');
    expect((await killed.result).signal).toBe('SIGKILL');

    const rerun = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(rerun.code).toBe(0);
    // The users the kill cut off are finished as updates; the rest are created.
    expect(rerun.stdout).toMatch(/Apply complete: \d+ created, [1-9]\d* changed/);
    expect((await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env })).stdout).toContain('No changes.');
    await expectSeedUsersComplete(staging, managed, expected);
  });
});
