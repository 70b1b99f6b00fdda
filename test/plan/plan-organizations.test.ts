import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { writeOnlyFingerprint } from '../../src/plan/fingerprint.js';
import { readScope } from '../../src/plan/scope.js';
import { desired, live, target } from '../helpers/model.js';
import type { FeatureFlagSpec } from '../../src/model/desired.js';

const flag: FeatureFlagSpec = { key: 'new_checkout', name: 'New checkout', description: '', type: 'bool', defaultValue: false, overrideLevel: 'org' };
const flagWriteOnly = {
  name: writeOnlyFingerprint('New checkout'), description: writeOnlyFingerprint(''), default_value: writeOnlyFingerprint(false), override_level: writeOnlyFingerprint('org'),
};
const acme = { externalId: 'acme', name: 'Acme', handle: 'acme', policies: { autoMembership: true, allowedDomains: new Set(['acme.com', 'acme.io']), enforceMfa: true } };
const acmeLive = { name: 'Acme', handle: 'acme', 'policies.auto_membership': true, 'policies.allowed_domains': ['acme.io', 'acme.com'] };

type Row = { name: string; desired: Parameters<typeof desired>[0]; live: Parameters<typeof live>[0]; changes: string[]; diffs?: Record<string, unknown[]>; unmanaged?: string[] };

const rows: Row[] = [
  {
    name: 'a new org is created with all its managed fields',
    desired: { organizations: [acme] }, live: {},
    changes: ['create organization acme'],
  },
  {
    name: 'write-only field never written by idm: shown once as unknown',
    desired: { organizations: [acme] }, live: { organizations: [{ externalId: 'acme', state: acmeLive }] },
    changes: ['update organization acme'],
    diffs: { acme: [{ path: 'policies.enforce_mfa', before: null, after: true, write_only: 'unknown' }] },
  },
  {
    name: 'write-only field as idm last wrote it: no change (domains compared as a set)',
    desired: { organizations: [acme] },
    live: { organizations: [{ externalId: 'acme', state: acmeLive }], writeOnly: { 'organization:acme': { 'policies.enforce_mfa': writeOnlyFingerprint(true) } } },
    changes: [],
  },
  {
    name: 'write-only field changed in config: one update',
    desired: { organizations: [{ ...acme, policies: { ...acme.policies, enforceMfa: false } }] },
    live: { organizations: [{ externalId: 'acme', state: acmeLive }], writeOnly: { 'organization:acme': { 'policies.enforce_mfa': writeOnlyFingerprint(true) } } },
    changes: ['update organization acme'],
    diffs: { acme: [{ path: 'policies.enforce_mfa', before: null, after: false, write_only: 'changed' }] },
  },
  {
    name: 'readable drift on an org: field-level, domains as a set',
    desired: { organizations: [acme] },
    live: { organizations: [{ externalId: 'acme', state: { ...acmeLive, name: 'ACME Inc', 'policies.allowed_domains': ['acme.com'] } }], writeOnly: { 'organization:acme': { 'policies.enforce_mfa': writeOnlyFingerprint(true) } } },
    changes: ['update organization acme'],
    diffs: { acme: [{ path: 'name', before: 'ACME Inc', after: 'Acme' }, { path: 'policies.allowed_domains', before: ['acme.com'], after: ['acme.com', 'acme.io'], added: ['acme.io'], removed: [] }] },
  },
  {
    name: 'fields the config leaves out are not managed',
    desired: { organizations: [{ externalId: 'acme', name: 'Acme' }] },
    live: { organizations: [{ externalId: 'acme', state: { ...acmeLive, handle: 'something-else' } }] },
    changes: [],
  },
  {
    name: 'an org that follows the environment passkey policy: its effective policy is not compared',
    desired: { organizations: [{ externalId: 'acme', name: 'Acme', passkey: { policy: 'mandatory', overrideEnvironment: false } }] },
    live: { organizations: [{ externalId: 'acme', state: { name: 'Acme', 'passkey.policy': 'off', 'passkey.override_environment': false } }] },
    changes: [],
  },
  {
    name: 'unpruned extra orgs are listed, pruned ones deleted, the default org never',
    desired: { prune: { organizations: true } },
    live: { organizations: [{ externalId: 'old', state: { name: 'Old' } }, { externalId: 'main', isDefault: true, state: { name: 'Default' } }] },
    changes: ['delete organization old'],
  },
  {
    name: 'org flag override drift',
    desired: { featureFlags: [flag], organizations: [{ externalId: 'acme', name: 'Acme', featureFlags: new Map([['new_checkout', true]]) }] },
    live: { featureFlags: { new_checkout: { type: 'bool' } }, organizations: [{ externalId: 'acme', state: { name: 'Acme', 'feature_flags.new_checkout': false } }], writeOnly: { 'feature_flag:new_checkout': flagWriteOnly } },
    changes: ['update organization acme'],
    diffs: { acme: [{ path: 'feature_flags.new_checkout', before: false, after: true }] },
  },
  {
    name: 'flag definitions: created before the orgs that use them',
    desired: { featureFlags: [flag], organizations: [{ externalId: 'acme', name: 'Acme', featureFlags: new Map([['new_checkout', true]]) }] },
    live: {},
    changes: ['create feature_flag new_checkout', 'create organization acme'],
  },
  {
    name: 'flag definition: unreadable fields converge through the record, readable type compared',
    desired: { featureFlags: [flag] },
    live: { featureFlags: { new_checkout: { type: 'bool' } }, writeOnly: { 'feature_flag:new_checkout': flagWriteOnly } },
    changes: [],
  },
  {
    name: 'business: read and write names differ, the plan compares like with like',
    desired: { business: { name: 'Acme Projects', policyAcceptance: true, termsUrl: 'https://acme.test/terms' } },
    live: { business: { name: 'Acme Projects', policy_acceptance: false, terms_url: 'https://acme.test/terms', privacy_url: null } },
    changes: ['update business business'],
    diffs: { business: [{ path: 'policy_acceptance', before: false, after: true }] },
  },
  {
    name: 'tracking IDs differ: one manual step, no write',
    desired: { environment: { tracking: { google_analytics: 'G-NEW', hotjar_site_id: '123' } } },
    live: { environment: { 'tracking.google_analytics': 'G-OLD', 'tracking.hotjar_site_id': '123', 'tracking.contentsquare': null } },
    changes: ['manual environment tracking'],
    diffs: { tracking: [{ path: 'tracking.google_analytics', before: 'G-OLD', after: 'G-NEW' }] },
  },
  {
    name: 'environment flag value and write-only MFA',
    desired: { environment: { featureFlags: new Map([['beta_banner', false]]), mfa: { policy: 'optional', factors: new Set(['mfa:authenticator_app'] as const) } } },
    live: { environment: { 'feature_flags.beta_banner': true } },
    changes: ['update environment environment'],
    diffs: {
      environment: [
        { path: 'feature_flags.beta_banner', before: true, after: false },
        { path: 'mfa.policy', before: null, after: 'optional', write_only: 'unknown' },
        { path: 'mfa.factors', before: null, after: ['mfa:authenticator_app'], write_only: 'unknown' },
      ],
    },
  },
];

describe('plan: organizations, flags and settings', () => {
  it.each(rows)('$name', (row) => {
    const result = plan(desired(row.desired), live(row.live), target);
    expect(result.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual(row.changes);
    for (const [key, diff] of Object.entries(row.diffs ?? {})) expect(result.changes.find((c) => c.key === key)?.diff).toEqual(diff);
    expect(result.summary.manual).toBe(result.changes.filter((c) => c.action === 'manual').length);
  });

  it('reads only what the config manages', () => {
    expect(readScope(desired({ permissions: [{ key: 'a:b', name: 'A' }] }))).toEqual({
      feature_flags: false, organizations: false, organization_details: {}, business: false,
      environment: { details: false, feature_flags: false, passkey: false }, write_only: false,
      users: { list: false, member_orgs: [], match: {}, permissions: [], properties: [] },
      identities: null,
    });
    const scope = readScope(desired({ organizations: [acme, { externalId: 'beta', name: 'Beta' }] }));
    expect(scope.organization_details).toEqual({
      acme: { detail: true, feature_flags: false, passkey: false, properties: false },
      beta: { detail: false, feature_flags: false, passkey: false, properties: false },
    });
    expect(scope.write_only).toBe(true);
  });
});
