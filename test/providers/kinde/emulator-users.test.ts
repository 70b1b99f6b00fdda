/**
 * Seed users through the Kinde emulator: plan, apply with the real apply engine, read back, plan again; updates in
 * managed mode; deletes; faults; and what reading 10,000 users costs. The fake in fake-kinde-users.ts checks calls
 * one by one; this checks that the provider and the emulator (and so, as far as it is faithful, Kinde) agree.
 */
import { describe, expect, test } from 'vitest';
import { applyPlan, succeeded } from '../../../src/apply/apply.js';
import { startKindeEmulator, type KindeEmulatorOptions } from '../../../src/emulator/kinde/index.js';
import type { Desired, IdentitySpec, MembershipSpec, UserSpec } from '../../../src/model/desired.js';
import type { Plan } from '../../../src/model/plan.js';
import { plan } from '../../../src/plan/plan.js';
import { readScope } from '../../../src/plan/scope.js';
import { createKindeProvider, type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import { desired, target } from '../../helpers/model.js';
import { startConformanceProxy } from '../../helpers/prism.js';
import { closeWhenDone } from './providers.js';

const clientId = 'provider-users-test';
const clientSecret = 'provider-users-secret-5e0d';


async function setup(emulatorOptions: Partial<KindeEmulatorOptions> = {}, options: Partial<KindeProviderOptions> = {}, viaPrism = false) {
  const emulator = await startKindeEmulator({ clientId, clientSecret, ...emulatorOptions });
  const proxy = viaPrism ? await startConformanceProxy(emulator.url) : undefined;
  const provider = createKindeProvider({ domain: proxy?.url ?? emulator.url, clientId, clientSecret, ...options });
  closeWhenDone(provider, ...(proxy ? [proxy] : []), emulator);
  emulator.admin.defineProperty({ key: 'city', context: 'usr' });
  emulator.admin.defineProperty({ key: 'region', context: 'org' });
  const google = emulator.admin.defineConnection({ strategy: 'oauth2:google' });
  return { emulator, provider, google, violations: () => proxy?.violations() ?? [] };
}

const hash = '$2b$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const email = (value: string, primary = true, verified = true): IdentitySpec => ({ type: 'email', value, verified, primary });
const member = (roles: string[] = [], permissions: string[] = []): MembershipSpec => ({ roles: new Set(roles), permissions: new Set(permissions) });

function config(google: string, variant = 0, mode: 'seed' | 'managed' = 'managed', prune = false): Desired {
  const ada: UserSpec = {
    key: 'u-1', id: 'u-1', firstName: variant ? 'Augusta' : 'Ada', lastName: 'Lovelace', suspended: variant === 1,
    identities: [
      email(variant ? 'ada@lovelace.dev' : 'ada@acme.com'),
      email('ada@analytical.engine', false, false),
      { type: 'username', value: 'adal', verified: true, primary: true },
      { type: 'phone', value: '+61426148233', verified: false, primary: true },
      { type: 'oauth2:google', value: 'ada@gmail.com', verified: true, primary: true, connectionId: google },
    ],
    password: { method: 'bcrypt', hash, temporary: false, version: 1 + variant },
    properties: new Map([['city', variant ? 'Paris' : 'London']]),
    featureFlags: new Map([['beta', variant === 0]]),
    organizations: variant
      ? new Map([['acme', member(['member', 'billing'], ['export'])], ['initech', member(['member'])]])
      : new Map([['acme', member(['admin'], ['audit'])], ['globex', member()]]),
  };
  const bob: UserSpec = {
    key: 'bob@acme.com', identities: [email('bob@acme.com')],
    password: { method: 'pbkdf2', hash: 'aGFzaA==', salt: '00ff10', saltFormat: 'hex', variant: 'salted-pbkdf2-hmac-sha256', iterations: 27500, temporary: true, version: 1 },
    organizations: new Map([['globex', member(['member'])]]),
  };
  return desired({
    permissions: ['read', 'write', 'audit', 'export'].map((key) => ({ key, name: key })),
    roles: [
      { key: 'admin', name: 'Admin', permissions: ['read', 'write'] },
      { key: 'member', name: 'Member', permissions: ['read'] },
      { key: 'billing', name: 'Billing' },
    ],
    featureFlags: [{ key: 'beta', name: 'Beta', description: '', type: 'bool', defaultValue: false, overrideLevel: 'usr' }],
    organizations: ['acme', 'globex', 'initech'].map((externalId) => ({ externalId, name: externalId, properties: new Map([['region', `${externalId}-eu`]]) })),
    users: prune ? [bob] : [ada, bob],
    usersMode: mode,
    prune: { users: prune },
  });
}

async function apply(provider: Provider, want: Desired, p: Plan): Promise<void> {
  const writer = provider.writer(await provider.read(p.read_scope));
  const report = await applyPlan(p, writer, { parallelism: 4, users: (key) => want.users.get(key) });
  expect(report.failed.map((f) => String(f.error))).toEqual([]);
  expect(succeeded(report)).toBe(true);
}

const labels = (p: Plan) => p.changes.map((c) => `${c.action} ${c.type} ${c.key}`);
const userChanges = (p: Plan) => labels(p).filter((l) => l.includes(' user '));

describe('seed users against the emulator', () => {
  test('managed: create everything, then a plan with no changes; update every kind of field, then none again', async () => {
    const { provider, google } = await setup();
    const first = config(google, 0);
    const created = plan(first, await provider.read(readScope(first)), target);
    expect(userChanges(created)).toEqual(['create user bob@acme.com', 'create user u-1']);
    await apply(provider, first, created);
    expect(labels(plan(first, await provider.read(readScope(first)), target))).toEqual([]);

    const second = config(google, 1);
    const updated = plan(second, await provider.read(readScope(second)), target);
    expect(userChanges(updated)).toEqual(['update user u-1']);
    expect(updated.changes.find((c) => c.key === 'u-1')!.diff.map((d) => d.path).sort()).toEqual([
      'feature_flags.beta', 'first_name', 'identities', 'organizations', 'organizations.acme.permissions', 'organizations.acme.roles',
      'organizations.initech.roles', 'password.version', 'primary.email', 'properties.city', 'suspended',
    ]);
    await apply(provider, second, updated);
    const live = await provider.read(readScope(second));
    expect(labels(plan(second, live, target))).toEqual([]);
    const ada = [...live.users.values()].find((u) => u.providedId === 'u-1')!;
    expect(ada.email).toBe('ada@lovelace.dev');
    expect(ada.state).toMatchObject({
      first_name: 'Augusta', suspended: true, organizations: ['acme', 'initech'],
      'organizations.acme.roles': ['billing', 'member'], 'organizations.acme.permissions': ['export'], 'properties.city': 'Paris',
      identities: ['email:ada@analytical.engine', 'email:ada@lovelace.dev', 'oauth2:google:ada@gmail.com', 'phone:+61426148233', 'username:adal'],
    });
  });

  test('through prism: every request idm sends for users, and every answer, keeps to the Kinde spec', async () => {
    const { provider, google, violations } = await setup({}, {}, true);
    for (const want of [config(google, 0), config(google, 1), config(google, 1, 'managed', true)]) {
      await apply(provider, want, plan(want, await provider.read(readScope(want)), target));
    }
    const last = config(google, 1, 'managed', true);
    expect(labels(plan(last, await provider.read(readScope(last)), target))).toEqual([]);
    expect(violations()).toEqual([]);
  }, 120_000);

  test('seed mode creates what is missing and never touches what exists; prune deletes in managed mode', async () => {
    const { provider, google } = await setup();
    const seed = config(google, 0, 'seed');
    await apply(provider, seed, plan(seed, await provider.read(readScope(seed)), target));
    expect(labels(plan(config(google, 1, 'seed'), await provider.read(readScope(config(google, 1, 'seed'))), target))).toEqual([]);
    const pruning = config(google, 0, 'managed', true);
    const removal = plan(pruning, await provider.read(readScope(pruning)), target);
    expect(userChanges(removal)).toEqual(['delete user u-1']);
    await apply(provider, pruning, removal);
    const live = await provider.read(readScope(pruning));
    expect([...live.users.values()].map((u) => u.email)).toEqual(['bob@acme.com']);
    expect(live.writeOnly.has('user:u-1')).toBe(false);
  });

  test('with 20% of requests failing, applying converges: no user, identity or membership twice', async () => {
    const { emulator, provider } = await setup({ faultRate: 0.2, seed: 7 }, { retries: 10, timeoutMs: 5000 });
    // Without a social identity: its connection is another emulator's.
    const want = config('', 0);
    const ada = want.users.get('u-1')!;
    (want.users as Map<string, UserSpec>).set('u-1', { ...ada, identities: ada.identities.filter((i) => i.type !== 'oauth2:google') });
    await apply(provider, want, plan(want, await provider.read(readScope(want)), target));
    expect(emulator.stats().faults).toBeGreaterThan(3);
    const live = await provider.read(readScope(want));
    expect(labels(plan(want, live, target))).toEqual([]);
    expect(live.users.size).toBe(2);
    expect(Object.entries(emulator.stats().replies).filter(([k]) => k.startsWith('POST') && k.endsWith(' 400'))).toEqual([]);
  });

  test('reading 10,000 users: 1 token, 20 user pages and the other lists, nothing per user', async () => {
    const { emulator, provider, google } = await setup();
    const want = config(google, 0, 'seed');
    await apply(provider, want, plan(want, await provider.read(readScope(want)), target));
    const acme = [...(await provider.read(readScope(want))).organizations.values()].find((o) => o.externalId === 'acme')!.id;
    emulator.admin.seedUsers(Array.from({ length: 9_998 }, (_, i) => ({ email: `user${i}@acme.com`, provided_id: `seed-${i}`, org_codes: [acme] })));
    const fresh = createKindeProvider({ domain: emulator.url, clientId, clientSecret });
    closeWhenDone(fresh);
    emulator.resetStats();
    const live = await fresh.read(readScope(want));
    expect(live.users.size).toBe(10_000);
    const roles = 3;
    expect(emulator.stats().byRoute).toEqual({
      'POST /oauth2/token': 1,
      'GET /api/v1/permissions': 1,
      'GET /api/v1/roles': 1,
      'GET /api/v1/roles/{role_id}/permissions': roles,
      'GET /api/v1/environment/feature_flags': 1,
      'GET /api/v1/organizations': 1,
      'GET /api/v1/organizations/{org_code}/properties': 3,
      'GET /api/v1/users': 20,
      // Passwords and flag overrides are write-only: their record is read.
      'GET /api/v1/environment_variables': 1,
    });
    expect(fresh.stats()).toMatchObject({ tokenRequests: 1, requests: 1 + 1 + 1 + roles + 1 + 1 + 3 + 20 + 1 });
    expect(labels(plan(want, live, target))).toEqual([]);
  });
});
