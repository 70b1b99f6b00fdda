import { describe, expect, it } from 'vitest';
import type { IdentitySpec, UserSpec } from '../../src/model/desired.js';
import type { LiveUser } from '../../src/model/live.js';
import { writeOnlyFingerprint } from '../../src/plan/fingerprint.js';
import { plan } from '../../src/plan/plan.js';
import { renderJson } from '../../src/render/json.js';
import { renderText } from '../../src/render/text.js';
import { desired, live, target } from '../helpers/model.js';

const email = (value: string, primary = true): IdentitySpec => ({ type: 'email', value, verified: true, primary });
const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';

const ada: UserSpec = {
  key: 'u-1', id: 'u-1', firstName: 'Ada', lastName: 'Lovelace',
  identities: [email('ada@acme.com')],
  password: { method: 'bcrypt', hash, temporary: false, version: 1 },
  organizations: new Map([['acme', { roles: new Set(['member']), permissions: new Set<string>() }]]),
};

const adaLive = (state: Record<string, unknown> = {}): LiveUser => ({
  id: 'kp_1', providedId: 'u-1', email: 'ada@acme.com',
  state: {
    first_name: 'Ada', last_name: 'Lovelace', identities: ['email:ada@acme.com'], 'primary.email': 'ada@acme.com',
    organizations: ['acme'], 'organizations.acme.roles': ['member'], ...state,
  } as LiveUser['state'],
});

const passwordRecorded = { 'user:u-1': { 'password.method': writeOnlyFingerprint('bcrypt'), 'password.version': writeOnlyFingerprint(1), 'password.temporary': writeOnlyFingerprint(false) } };

type Row = { name: string; desired: Parameters<typeof desired>[0]; live: Parameters<typeof live>[0]; changes: string[]; diffs?: Record<string, unknown[]> };

const rows: Row[] = [
  { name: 'seed mode: a missing user is created', desired: { users: [ada] }, live: {}, changes: ['create user u-1'] },
  {
    name: 'seed mode: an existing user is never updated',
    desired: { users: [{ ...ada, firstName: 'Augusta' }] }, live: { users: [adaLive()] }, changes: [],
  },
  {
    name: 'seed mode: a user whose create an apply cut off is finished: its missing role and password are set',
    desired: { users: [ada] },
    live: { users: [adaLive({ organizations: ['acme'], 'organizations.acme.roles': [] })], unfinishedUsers: ['u-1'] },
    changes: ['update user u-1'],
    diffs: {
      'u-1': [
        { path: 'password.method', before: null, after: 'bcrypt', write_only: 'unknown' },
        { path: 'password.version', before: null, after: 1, write_only: 'unknown' },
        { path: 'password.temporary', before: null, after: false, write_only: 'unknown' },
        { path: 'organizations.acme.roles', before: [], after: ['member'], added: ['member'], removed: [] },
      ],
    },
  },
  {
    name: 'seed mode: a user an apply cut off after its last call has nothing left to do',
    desired: { users: [ada] }, live: { users: [adaLive()], writeOnly: passwordRecorded, unfinishedUsers: ['u-1'] }, changes: [],
  },
  {
    name: 'seed mode: a mark of another user finishes only that one',
    desired: { users: [{ ...ada, firstName: 'Augusta' }] }, live: { users: [adaLive()], unfinishedUsers: ['bob@acme.com'] }, changes: [],
  },
  {
    name: 'matched on primary email when the tenant user has no provided id',
    desired: { users: [ada] }, live: { users: [{ ...adaLive(), providedId: null }] }, changes: [],
  },
  {
    name: 'managed: a name changed in the tenant is put back',
    desired: { users: [ada], usersMode: 'managed' }, live: { users: [adaLive({ first_name: 'Augusta' })], writeOnly: passwordRecorded },
    changes: ['update user u-1'], diffs: { 'u-1': [{ path: 'first_name', before: 'Augusta', after: 'Ada' }] },
  },
  {
    name: 'managed: a changed email is an identity added and the old one removed, and the primary moves',
    desired: { users: [{ ...ada, identities: [email('ada@lovelace.dev')] }], usersMode: 'managed' },
    live: { users: [adaLive()], writeOnly: passwordRecorded },
    changes: ['update user u-1'],
    diffs: {
      'u-1': [
        { path: 'identities', before: ['email:ada@acme.com'], after: ['email:ada@lovelace.dev'], added: ['email:ada@lovelace.dev'], removed: ['email:ada@acme.com'] },
        { path: 'primary.email', before: 'ada@acme.com', after: 'ada@lovelace.dev' },
      ],
    },
  },
  {
    name: 'managed: a password idm never set is set once',
    desired: { users: [ada], usersMode: 'managed' }, live: { users: [adaLive()] },
    changes: ['update user u-1'],
    diffs: {
      'u-1': [
        { path: 'password.method', before: null, after: 'bcrypt', write_only: 'unknown' },
        { path: 'password.version', before: null, after: 1, write_only: 'unknown' },
        { path: 'password.temporary', before: null, after: false, write_only: 'unknown' },
      ],
    },
  },
  {
    name: 'managed: bumping the password version sets it again',
    desired: { users: [{ ...ada, password: { ...ada.password!, version: 2 } }], usersMode: 'managed' },
    live: { users: [adaLive()], writeOnly: passwordRecorded },
    changes: ['update user u-1'], diffs: { 'u-1': [{ path: 'password.version', before: null, after: 2, write_only: 'changed' }] },
  },
  {
    name: 'managed: role granted in an org',
    desired: { users: [{ ...ada, organizations: new Map([['acme', { roles: new Set(['member', 'billing']), permissions: new Set<string>() }]]) }], usersMode: 'managed' },
    live: { users: [adaLive()], writeOnly: passwordRecorded },
    changes: ['update user u-1'],
    diffs: { 'u-1': [{ path: 'organizations.acme.roles', before: ['member'], after: ['billing', 'member'], added: ['billing'], removed: [] }] },
  },
  {
    name: 'prune deletes other users only in managed mode',
    desired: { users: [ada], usersMode: 'managed', prune: { users: true } },
    live: { users: [adaLive(), { id: 'kp_2', providedId: null, email: 'old@acme.com', state: { first_name: 'Old' } }], writeOnly: passwordRecorded },
    changes: ['delete user old@acme.com'],
  },
  {
    name: 'prune is ignored in seed mode',
    desired: { users: [ada], prune: { users: true } },
    live: { users: [adaLive(), { id: 'kp_2', providedId: null, email: 'old@acme.com', state: {} }] },
    changes: [],
  },
];

describe('plan: seed users', () => {
  it.each(rows)('$name', (row) => {
    const result = plan(desired(row.desired), live(row.live), target);
    expect(result.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual(row.changes);
    for (const [key, diff] of Object.entries(row.diffs ?? {})) expect(result.changes.find((c) => c.key === key)?.diff).toEqual(diff);
  });

  it('never puts a password hash in the plan, in any form', () => {
    const created = plan(desired({ users: [ada] }), live(), target);
    expect(renderJson(created)).not.toContain(hash);
    expect(renderText(created, { color: false })).not.toContain(hash);
    expect(renderJson(created)).toContain('"password.method": "bcrypt"');
  });

  it('shows an identity replacement as -/+ and a user delete as irreversible', () => {
    const changed = plan(desired({ users: [{ ...ada, identities: [email('ada@lovelace.dev')] }], usersMode: 'managed' }), live({ users: [adaLive()], writeOnly: passwordRecorded }), target);
    expect(renderText(changed, { color: false })).toContain('-/+ "email:ada@acme.com" -> "email:ada@lovelace.dev",');
    const pruned = plan(desired({ usersMode: 'managed', prune: { users: true } }), live({ users: [adaLive()] }), target);
    expect(renderText(pruned, { color: false })).toContain('# user "u-1" will be destroyed (irreversible');
  });
});
