/**
 * Flags, organizations, business and environment settings and the state record, through the Kinde emulator: plan,
 * apply the plan's changes, read back, plan again; with faults too. The fake in fake-kinde.ts checks requests one
 * by one; this checks that the provider and the emulator (and so, as far as the emulator is faithful, Kinde) agree.
 */
import { describe, expect, test } from 'vitest';
import type { Desired } from '../../../src/model/desired.js';
import type { Plan, WritableChange } from '../../../src/model/plan.js';
import { plan } from '../../../src/plan/plan.js';
import { readScope } from '../../../src/plan/scope.js';
import type { Provider } from '../../../src/providers/provider.js';
import { desired, target } from '../../helpers/model.js';
import { emulatorProvider } from './providers.js';


const setup = emulatorProvider;

const orgNames = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

function config(variant = 0): Desired {
  return desired({
    featureFlags: [
      { key: 'new_checkout', name: `New checkout ${variant}`, description: 'The new flow', type: 'bool', defaultValue: false, overrideLevel: 'org' },
      { key: 'max_seats', name: 'Seats', description: '', type: 'int', defaultValue: 5 + variant, overrideLevel: 'org' },
      { key: 'theme', name: 'Theme', description: '', type: 'str', defaultValue: 'blue', overrideLevel: 'env' },
    ],
    organizations: orgNames.map((externalId, i) => ({
      externalId,
      name: `${externalId} ${variant}`,
      handle: `${externalId}_h`,
      colors: i % 2 ? { button_color: '#0056f1', link_color_dark: variant ? '#abcdef' : '#ffffff' } : {},
      policies: {
        autoMembership: i % 2 === 0,
        ...(i < 3 ? { allowedDomains: new Set([`${externalId}.com`, `${externalId}.io`]) } : {}),
        autoJoinDomains: i === 0,
        enforceMfa: (i + variant) % 2 === 0,
      },
      ...(i < 2 ? { mfa: { factors: new Set(['mfa:email', 'mfa:authenticator_app'] as const), recoveryCodes: variant === 0 } } : {}),
      ...(i === 1 ? { passkey: { policy: 'optional' as const, overrideEnvironment: true } } : {}),
      featureFlags: new Map<string, number | boolean>([['max_seats', 10 * (i + 1) + variant], ['new_checkout', i % 2 === 1]]),
    })),
    business: { name: `Acme Inc ${variant}`, policyAcceptance: variant === 1, termsUrl: 'https://acme.com/terms', privacyUrl: null },
    environment: {
      featureFlags: new Map<string, string | boolean>([['theme', variant ? 'green' : 'red'], ['new_checkout', variant === 1]]),
      mfa: { policy: 'optional', factors: new Set(['mfa:email'] as const), recoveryCodes: variant === 0 },
      passkey: { policy: variant ? 'mandatory' : 'optional' },
      tracking: { google_analytics: 'G-123' },
    },
  });
}

/** Carries out a plan's writes in the apply engine's phase order (flags before the orgs and settings that set them). */
async function applyPlan(provider: Provider, p: Plan, scope = p.read_scope): Promise<void> {
  const writer = provider.writer(await provider.read(scope));
  const writable = p.changes.filter((c): c is WritableChange => c.action !== 'manual');
  const rank = (c: WritableChange) => (c.action === 'delete' ? (c.type === 'feature_flag' ? 4 : 3) : c.type === 'feature_flag' ? 0 : c.type === 'organization' ? 1 : 2);
  for (const change of [...writable].sort((a, b) => rank(a) - rank(b))) {
    if (change.type === 'feature_flag') await writer.writeFeatureFlag(change);
    else if (change.type === 'organization') await writer.writeOrganization(change);
    else if (change.type === 'business' || change.type === 'environment') await writer.writeSettings(change);
  }
}

const labels = (p: Plan) => p.changes.map((c) => `${c.action} ${c.type} ${c.key}`);

describe('flags, organizations and settings against the emulator', () => {
  test('create from nothing, then a plan with no changes but the tracking manual step', async () => {
    const { emulator, provider } = await setup();
    const want = config();
    const scope = readScope(want);
    const first = plan(want, await provider.read(scope), target);
    expect(labels(first)).toEqual([
      'create feature_flag max_seats', 'create feature_flag new_checkout', 'create feature_flag theme',
      ...orgNames.slice().sort().map((o) => `create organization ${o}`),
      'update business business', 'update environment environment', 'manual environment tracking',
    ]);
    await applyPlan(provider, first);
    const second = plan(want, await provider.read(scope), target);
    expect(labels(second)).toEqual(['manual environment tracking']);
    emulator.admin.setEnvironment({ google_analytics_tag: 'G-123' });
    expect(plan(want, await provider.read(scope), target).changes).toEqual([]);
  });

  test('updates, readable and write-only alike, converge; the record holds one variable per object', async () => {
    const { provider } = await setup();
    const scope = readScope(config(1));
    await applyPlan(provider, plan(config(0), await provider.read(readScope(config(0))), target));
    const change = plan(config(1), await provider.read(scope), target);
    expect(labels(change)).toEqual([
      'update feature_flag max_seats', 'update feature_flag new_checkout',
      ...orgNames.slice().sort().map((o) => `update organization ${o}`),
      'update business business', 'update environment environment', 'manual environment tracking',
    ]);
    // A flag's name cannot be read: the plan knows it changed from the record.
    expect(change.changes.find((c) => c.key === 'new_checkout')!.diff).toEqual([{ path: 'name', before: null, after: 'New checkout 1', write_only: 'changed' }]);
    await applyPlan(provider, change);
    expect(labels(plan(config(1), await provider.read(scope), target))).toEqual(['manual environment tracking']);
    const live = await provider.read(scope);
    // Every flag, every org with a write-only field, and the environment.
    expect(live.writeOnly.size).toBe(3 + orgNames.length + 1);
  });

  test('pruned flags and orgs are deleted with their records; the default org is never touched', async () => {
    const { provider } = await setup();
    await applyPlan(provider, plan(config(), await provider.read(readScope(config())), target));
    const none = desired({ prune: { organizations: true, feature_flags: true } });
    const scope = { ...readScope(none), write_only: true };
    const removal = plan(none, await provider.read(scope), target);
    expect(labels(removal).sort()).toEqual([...orgNames.map((o) => `delete organization ${o}`), ...['max_seats', 'new_checkout', 'theme'].map((f) => `delete feature_flag ${f}`)].sort());
    await applyPlan(provider, removal, scope);
    const live = await provider.read(scope);
    expect(live.organizations.size).toBe(0);
    expect(live.featureFlags.size).toBe(0);
    // Only the environment's record is left: its settings were not deleted.
    expect([...live.writeOnly.keys()]).toEqual(['environment:environment']);
  });

  test('a full read costs one request per list page and per org detail the config needs', async () => {
    const { emulator, provider } = await setup();
    const want = config();
    await applyPlan(provider, plan(want, await provider.read(readScope(want)), target));
    emulator.resetStats();
    await provider.read(readScope(want));
    const byRoute = emulator.stats().byRoute;
    expect(byRoute).toEqual({
      'GET /api/v1/permissions': 1,
      'GET /api/v1/roles': 1,
      'GET /api/v1/environment/feature_flags': 1,
      'GET /api/v1/organizations': 1,
      // Colours or allowed domains: acme, globex, initech, hooli.
      'GET /api/v1/organization': 4,
      'GET /api/v1/organizations/{org_code}/feature_flags': 5,
      'GET /api/v1/organizations/{org_code}/passkey': 1,
      'GET /api/v1/business': 1,
      'GET /api/v1/environment': 1,
      'GET /api/v1/passkey': 1,
      'GET /api/v1/environment_variables': 1,
    });
  });

  test('with 20% of requests failing, applying converges: no duplicate orgs, flags or records', async () => {
    const { emulator, provider } = await setup({ faultRate: 0.2, seed: 11 }, { retries: 10, timeoutMs: 5000 });
    const want = config();
    const scope = readScope(want);
    await applyPlan(provider, plan(want, await provider.read(scope), target));
    expect(emulator.stats().faults).toBeGreaterThan(3);
    const after = await provider.read(scope);
    expect(labels(plan(want, after, target))).toEqual(['manual environment tracking']);
    expect(after.organizations.size).toBe(orgNames.length);
    expect(after.writeOnly.size).toBe(3 + orgNames.length + 1);
    // A create re-sent blindly after a lost answer would show up as a refused duplicate.
    expect(Object.entries(emulator.stats().replies).filter(([k]) => k.startsWith('POST') && k.endsWith(' 400'))).toEqual([]);
  });
});
