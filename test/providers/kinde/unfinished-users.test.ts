/**
 * Seed-mode user creates through the emulator, with the record of creates under way (unfinished-users.ts): what it
 * costs, that it is gone after a clean apply, and that a create cut off by a failing call is finished by the next
 * seed-mode apply, which touches no other user.
 */
import { describe, expect, test } from 'vitest';
import { applyPlan, type ApplyReport } from '../../../src/apply/apply.js';
import type { Desired, UserSpec } from '../../../src/model/desired.js';
import { plan } from '../../../src/plan/plan.js';
import { readScope } from '../../../src/plan/scope.js';
import type { Provider } from '../../../src/providers/provider.js';
import { desired, target } from '../../helpers/model.js';
import { emulatorProvider } from './providers.js';

const hash = '$2b$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';

function user(i: number, role = 'member'): UserSpec {
  return {
    key: `u-${String(i).padStart(3, '0')}`,
    id: `u-${String(i).padStart(3, '0')}`,
    identities: [{ type: 'email', value: `user${i}@acme.com`, verified: true, primary: true }],
    password: { method: 'bcrypt', hash, temporary: false, version: 1 },
    organizations: new Map([['acme', { roles: new Set([role]), permissions: new Set<string>() }]]),
  };
}

function config(users: UserSpec[], mode: 'seed' | 'managed' = 'seed'): Desired {
  return desired({
    permissions: [{ key: 'read', name: 'Read' }],
    roles: [{ key: 'member', name: 'Member', permissions: ['read'] }],
    organizations: [{ externalId: 'acme', name: 'Acme' }],
    users,
    usersMode: mode,
  });
}

async function apply(provider: Provider, want: Desired): Promise<ApplyReport> {
  const live = await provider.read(readScope(want));
  return applyPlan(plan(want, live, target), provider.writer(live), { parallelism: 4, users: (key) => want.users.get(key), usersMode: want.usersMode });
}

const variableCalls = (replies: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(replies).filter(([route]) => route.includes('/environment_variables') && !route.startsWith('GET')));

describe('the record of seed-mode user creates under way', () => {
  test('250 creates cost three record writes and one delete; none is left after the apply', async () => {
    const { emulator, provider } = await emulatorProvider();
    const want = config(Array.from({ length: 250 }, (_, i) => user(i)));
    const report = await apply(provider, want);
    expect(report.failed).toEqual([]);
    // Password records are one variable per user; the record of creates is the one variable written more than once.
    const replies = emulator.stats().replies;
    expect(replies['PATCH /api/v1/environment_variables/{variable_id} 200']).toBe(2);
    expect(replies['DELETE /api/v1/environment_variables/{variable_id} 200']).toBe(1);
    expect(replies['POST /api/v1/environment_variables 201']).toBe(250 + 1);
    expect((await provider.read(readScope(want))).unfinishedUsers.size).toBe(0);
  });

  test('a create whose role grant fails is finished by the next seed apply, and no other user is touched', async () => {
    const { emulator, provider } = await emulatorProvider();
    // u-002's role does not exist: Kinde creates the user, then refuses the grant.
    const broken = config([user(1), user(2, 'ghost'), user(3)]);
    const first = await apply(provider, broken);
    expect(first.failed.map((f) => f.step)).toEqual(['create user "u-002"']);
    const afterFailure = await provider.read(readScope(broken));
    expect(afterFailure.unfinishedUsers.size).toBe(1);
    // Seed mode reads no member roles, except those of a user whose create was cut off: its plan is exact.
    const roles = (providedId: string) => [...afterFailure.users.values()].find((u) => u.providedId === providedId)!.state['organizations.acme.roles'];
    expect(roles('u-002')).toEqual([]);
    expect(roles('u-001')).toBeUndefined();

    // Fixed, and one other user changed in the config: seed mode leaves that one alone, and finishes u-002.
    const fixed = config([{ ...user(1), firstName: 'Changed' }, user(2), user(3)]);
    const next = plan(fixed, await provider.read(readScope(fixed)), target);
    expect(next.changes.filter((c) => c.type === 'user').map((c) => `${c.action} ${c.key}`)).toEqual(['update u-002']);
    expect(next.changes.find((c) => c.key === 'u-002')!.diff).toEqual([
      { path: 'password.method', before: null, after: 'bcrypt', write_only: 'unknown' },
      { path: 'password.version', before: null, after: 1, write_only: 'unknown' },
      { path: 'password.temporary', before: null, after: false, write_only: 'unknown' },
      { path: 'organizations.acme.roles', before: [], after: ['member'], added: ['member'], removed: [] },
    ]);
    emulator.resetStats();
    const second = await apply(provider, fixed);
    expect(second.failed).toEqual([]);
    expect(emulator.stats().replies['POST /api/v1/user 200']).toBeUndefined();

    const done = await provider.read(readScope(fixed));
    expect(done.unfinishedUsers.size).toBe(0);
    expect(plan(fixed, done, target).changes).toEqual([]);
    // Everything u-002 should have, it has: a managed plan of the config as applied finds nothing to do.
    const managed = config([user(1), user(2), user(3)], 'managed');
    expect(plan(managed, await provider.read(readScope(managed)), target).changes.map((c) => `${c.action} ${c.key}`)).toEqual([]);
  });

  test('in managed mode no record is kept: the plan compares every user anyway', async () => {
    const { emulator, provider } = await emulatorProvider();
    const want = config([user(1), user(2)], 'managed');
    expect((await apply(provider, want)).failed).toEqual([]);
    expect(variableCalls(emulator.stats().replies)).toEqual({ 'POST /api/v1/environment_variables 201': 2 });
  });
});
