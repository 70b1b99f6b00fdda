/**
 * One apply at a time per tenant, end to end: two `idm apply` processes started together against one Kinde
 * emulator (slowed down so that they overlap), and two in one directory on the local target. One applies; the
 * other fails naming the holder, or with --lock-timeout waits and then finds nothing to do. A killed apply does not
 * block the next run on the same host; `idm unlock` removes a lock whose run is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm, startIdm, type CliResult } from '../helpers/cli.js';
import { listAll, tenantClient } from '../helpers/tenant.js';

const clientId = 'lock-e2e';
const clientSecret = 'lock-e2e-secret';
const thisHost = `${userInfo().username}@${hostname()}`;

/** A config of `count` permissions, written to a fresh directory. */
function project(count: number): { cwd: string; config: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-lock-e2e-'));
  const lines = ['version: 1', 'permissions:', ...Array.from({ length: count }, (_, i) => `  - { key: "read:thing-${i}", name: "Read thing ${i}" }`)];
  writeFileSync(join(cwd, 'idm.yaml'), lines.join('\n') + '\n');
  return { cwd, config: join(cwd, 'idm.yaml') };
}

const created = (r: CliResult) => /Apply complete: (\d+) created/.exec(r.stdout)?.[1];

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await delay(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('against one Kinde tenant', () => {
  let emulator: KindeEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function tenant() {
    // 40 ms a response and two requests at a time: an apply of 80 permissions takes a couple of seconds.
    emulator = await startKindeEmulator({ clientId, clientSecret, latencyMs: 40 });
    const env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
    const client = await tenantClient(emulator.url, clientId, clientSecret);
    const locks = async () => (await listAll(client, '/environment_variables', 'environment_variables')).filter((v) => v.key === 'IDM_LOCK');
    return { emulator, env, client, locks };
  }

  it('of two applies started together, one applies and the other fails naming the holder', async () => {
    const { emulator, env, locks } = await tenant();
    const { cwd, config } = project(80);
    const args = ['apply', '-c', config, '--auto-approve', '--parallelism', '2'];
    const [a, b] = await Promise.all([idm(args, { cwd, env }), idm(args, { cwd, env })]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(winner.code).toBe(0);
    expect(created(winner)).toBe('80');
    expect(loser.code).toBe(1);
    expect(loser.stdout).toBe('');
    expect(loser.stderr).toMatch(new RegExp(`another apply to this tenant holds its lock: ${thisHost} pid \\d+, since \\S+ \\(\\d+s ago\\), expires \\S+ \\(in 59m\\)`));
    expect(loser.stderr).toContain('`idm unlock`');
    expect(emulator.stats().replies['POST /api/v1/permissions 201']).toBe(80);
    expect(await locks()).toEqual([]);
  }, 60_000);

  it('with --lock-timeout the second waits, then finds nothing to do: every create answered 201 once', async () => {
    const { emulator, env, locks } = await tenant();
    const { cwd, config } = project(80);
    const args = ['apply', '-c', config, '--auto-approve', '--parallelism', '2', '--lock-timeout', '60s'];
    const [a, b] = await Promise.all([idm(args, { cwd, env }), idm(args, { cwd, env })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Exactly one created anything: the other applied nothing twice.
    expect([created(a), created(b)].sort()).toEqual(['80', undefined]);
    const second = created(a) ? b : a;
    expect(second.stderr).toMatch(new RegExp(`Waiting up to \\d+s for the apply lock, held by ${thisHost} pid \\d+`));
    expect(second.stderr).toMatch(/Took the apply lock after waiting \d+s\./);
    expect(second.stdout).toContain('No changes.');
    const replies = emulator.stats().replies;
    expect(replies['POST /api/v1/permissions 201']).toBe(80);
    expect(Object.keys(replies).filter((k) => k.startsWith('POST /api/v1/permissions ') && !k.endsWith(' 201'))).toEqual([]);
    expect(await locks()).toEqual([]);
  }, 90_000);

  it('an apply killed with kill -9 does not block the next run on this host, which says it took over', async () => {
    const { env, locks } = await tenant();
    const { cwd, config } = project(80);
    const killed = startIdm(['apply', '-c', config, '--auto-approve', '--parallelism', '1'], { cwd, env });
    await until(async () => (await locks()).length === 1, 'the first apply to take the lock');
    killed.process.kill('SIGKILL');
    await killed.result;
    const rerun = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(rerun.stderr).toContain(`Took over the apply lock of ${thisHost} pid ${killed.process.pid} (since `);
    expect(rerun.stderr).toContain('that process is no longer running');
    expect(rerun.code).toBe(0);
    expect(await locks()).toEqual([]);
  }, 60_000);

  it('Ctrl-C while the apply reads the tenant lets the lock go', async () => {
    const { env, client, locks } = await tenant();
    // A hundred and twenty roles to read, one request each at a time: the read lasts well over a second.
    await Promise.all(Array.from({ length: 120 }, (_, i) => client.call('POST', '/roles', { key: `role-${i}`, name: `Role ${i}` })));
    const { cwd, config } = project(1);
    const running = startIdm(['apply', '-c', config, '--auto-approve', '--parallelism', '1'], { cwd, env });
    await until(async () => (await locks()).length === 1, 'the apply to take the lock');
    running.process.kill('SIGINT');
    const result = await running.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted: releasing the apply lock...');
    expect(result.stdout).not.toContain('Plan:');
    expect(await locks()).toEqual([]);
  }, 60_000);

  it('plan takes no lock; a saved plan\'s apply does; idm unlock removes a lock left by a run on another machine', async () => {
    const { env, client, locks } = await tenant();
    const { cwd, config } = project(3);
    const started = new Date(Date.now() - 10 * 60_000);
    const value = JSON.stringify({ owner: 'ci@runner-7 pid 4242', started: started.toISOString(), expires: new Date(started.getTime() + 3_600_000).toISOString() });
    expect((await client.call('POST', '/environment_variables', { key: 'IDM_LOCK', value, is_secret: false })).status).toBe(201);

    const plan = await idm(['plan', '-c', config, '--out', 'plan.json', '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Plan: 3 to create, 0 to change, 0 to destroy.');
    const blocked = await idm(['apply', 'plan.json', '--auto-approve'], { cwd, env });
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr).toContain(`Error: another apply to this tenant holds its lock: ci@runner-7 pid 4242, since ${started.toISOString()} (10m ago), expires`);

    const unlock = await idm(['unlock'], { cwd, env });
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toContain(`The apply lock is held by ci@runner-7 pid 4242, since ${started.toISOString()}`);
    expect(unlock.stdout).toContain('Removed the apply lock of ci@runner-7 pid 4242.');
    expect(await locks()).toEqual([]);

    // The lock is not part of what the plan was made from: the saved plan still applies.
    const apply = await idm(['apply', 'plan.json', '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    expect(created(apply)).toBe('3');
    const again = await idm(['unlock', '--force'], { cwd, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No apply lock is held on this tenant.');
  }, 60_000);
});

describe('on the local target, in one directory', () => {
  // Large enough that an apply outlasts the start of a second idm process.
  const count = 2000;

  it('of two applies started together, one applies and the other fails naming the holder', async () => {
    const { cwd } = project(count);
    const [a, b] = await Promise.all([idm(['apply', '--auto-approve'], { cwd }), idm(['apply', '--auto-approve'], { cwd })]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect(created(winner)).toBe(String(count));
    expect(loser.code).toBe(1);
    expect(loser.stderr).toMatch(new RegExp(`another apply to this tenant holds its lock: ${thisHost} pid \\d+, since`));
    expect(existsSync(join(cwd, '.idm', 'kinde.json.lock'))).toBe(false);
    const plan = await idm(['plan', '--detailed-exitcode'], { cwd });
    expect(plan.code).toBe(0);
  }, 90_000);

  it('with --lock-timeout the second waits, reads what the first wrote, and finds nothing to do', async () => {
    const { cwd } = project(count);
    const args = ['apply', '--auto-approve', '--lock-timeout', '60s'];
    const [a, b] = await Promise.all([idm(args, { cwd }), idm(args, { cwd })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([created(a), created(b)].sort()).toEqual([String(count), undefined]);
    const second = created(a) ? b : a;
    expect(second.stderr).toContain('Waiting up to');
    expect(second.stdout).toContain('No changes.');
    expect((await idm(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);
  }, 90_000);

  it('a lock left by a killed apply is taken over by the next run; idm unlock removes a lock file', async () => {
    const { cwd } = project(count);
    const lockFile = join(cwd, '.idm', 'kinde.json.lock');
    const killed = startIdm(['apply', '--auto-approve'], { cwd });
    await until(() => existsSync(lockFile), 'the first apply to take the lock');
    killed.process.kill('SIGKILL');
    await killed.result;
    const rerun = await idm(['apply', '--auto-approve'], { cwd });
    expect(rerun.stderr).toContain(`Took over the apply lock of ${thisHost} pid ${killed.process.pid}`);
    expect(rerun.code).toBe(0);
    expect((await idm(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);

    writeFileSync(lockFile, JSON.stringify({ owner: 'ana@other-laptop pid 7', started: new Date().toISOString(), expires: new Date(Date.now() + 3_600_000).toISOString() }));
    const unlock = await idm(['unlock'], { cwd });
    expect(unlock.stdout).toContain('Removed the apply lock of ana@other-laptop pid 7.');
    expect(existsSync(lockFile)).toBe(false);
  }, 90_000);
});

describe('on the local Kratos target, in one directory', () => {
  it('with --lock-timeout the second waits, reads what the first wrote, and creates no identity twice', async () => {
    const count = 600;
    const cwd = mkdtempSync(join(tmpdir(), 'idm-lock-kratos-'));
    const identities = Array.from({ length: count }, (_, i) => `  - { traits: { email: user-${i}@ledgerly.example } }`);
    writeFileSync(join(cwd, 'idm.yaml'), ['version: 1', 'target: { provider: kratos, local: true }', 'identities:', ...identities].join('\n') + '\n');
    const args = ['apply', '--auto-approve', '--lock-timeout', '60s'];
    const [a, b] = await Promise.all([idm(args, { cwd }), idm(args, { cwd })]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect([created(a), created(b)].sort()).toEqual([String(count), undefined]);
    const second = created(a) ? b : a;
    expect(second.stderr).toContain('Waiting up to');
    expect(second.stdout).toContain('No changes.');
    expect(existsSync(join(cwd, '.idm', 'kratos.json.lock'))).toBe(false);
    expect((await idm(['plan', '--detailed-exitcode'], { cwd })).code).toBe(0);
  }, 90_000);
});
