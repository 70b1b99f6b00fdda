/**
 * Ctrl-C during an apply (issue 8): idm stops starting requests, lets those in flight finish, and prints what was
 * applied and what was not; nothing is left half-written, and running apply again finishes the job. A second Ctrl-C
 * quits at once, which is as safe as a kill. The tenant is the users example; the interrupt lands while users are
 * being created, each of which takes several calls.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { idm, startIdm } from '../helpers/cli.js';
import { replied, stagingTenant, type Staging } from '../helpers/staging.js';

const open: Staging[] = [];
afterAll(() => Promise.all(open.map((s) => s.emulator.close())));

/** The steps under a heading of the apply report (`Applied (3):`), as written (`create user "stg-0001"`). */
function section(stdout: string, heading: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${heading} (`));
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^ {2}[✓✗-] (.*)$/.exec(line);
    if (!item) break;
    items.push(item[1]!);
  }
  return items;
}

/**
 * Applies until the emulator has created 3 users, then presses Ctrl-C `times` times: each after idm said it heard
 * the one before (two signals sent at once may arrive as one).
 */
async function interrupted(staging: Staging, times: number) {
  const { emulator, cwd, config, env } = staging;
  const run = startIdm(['apply', '-c', config, '--auto-approve'], { cwd, env });
  let heard = 0;
  run.process.stderr!.on('data', (chunk: string) => (heard += chunk.split('Interrupted:').length - 1));
  await Promise.race([replied(emulator, 'POST /api/v1/user 200', 3), run.result]);
  for (let i = 0; i < times; i++) {
    run.process.kill('SIGINT');
    if (i + 1 < times) await Promise.race([until(() => heard > i), run.result]);
  }
  return run.result;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe.concurrent('Ctrl-C during apply', () => {
  it('finishes the requests in flight, reports applied and not attempted, leaves nothing half-written; the re-run finishes', async () => {
    const staging = await stagingTenant({ latencyMs: 20 });
    open.push(staging);
    const { cwd, config, env } = staging;

    const result = await interrupted(staging, 1);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Interrupted: finishing the requests in flight');
    expect(result.stdout).toContain('Apply interrupted.');
    const applied = section(result.stdout, 'Applied');
    const notAttempted = section(result.stdout, 'Not attempted');
    expect(applied.filter((s) => s.startsWith('create user'))).not.toHaveLength(0);
    expect(notAttempted.filter((s) => s.startsWith('create user'))).not.toHaveLength(0);
    expect(section(result.stdout, 'Failed')).toEqual([]);

    // What the report says was applied is in the tenant, whole: the next plan has nothing left for it. What it says
    // was not attempted is still to do.
    const plan = JSON.parse((await idm(['plan', '-c', config, '--json'], { cwd, env })).stdout) as { changes: { action: string; type: string; key: string }[] };
    const pending = new Set(plan.changes.map((c) => `${c.action} ${c.type} ${JSON.stringify(c.key)}`));
    for (const step of applied.filter((s) => /^create (user|organization|permission|role) /.test(s))) expect(pending).not.toContain(step);
    for (const step of notAttempted.filter((s) => /^create user /.test(s))) expect(pending).toContain(step);

    const rerun = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(rerun.stdout).toMatch(/Apply complete/);
    expect(rerun.code).toBe(0);
    const after = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  });

  it('a second Ctrl-C quits at once (exit 130); the re-run still finishes', async () => {
    const staging = await stagingTenant({ latencyMs: 20 });
    open.push(staging);
    const { cwd, config, env } = staging;

    const result = await interrupted(staging, 2);
    expect(result.code).toBe(130);
    expect(result.stdout).not.toContain('Apply complete');

    const rerun = await idm(['apply', '-c', config, '--auto-approve'], { cwd, env });
    expect(rerun.code).toBe(0);
    const after = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
    expect(after.stdout).toContain('No changes.');
    expect(after.code).toBe(0);
  });
});
