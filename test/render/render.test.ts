import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { plan } from '../../src/plan/plan.js';
import { renderText } from '../../src/render/text.js';
import { renderJson } from '../../src/render/json.js';
import { desired, live, target } from '../helpers/model.js';
import { expectGolden } from '../helpers/golden.js';
import { planSchemaErrors } from '../helpers/schemas.js';
import { writeOnlyFingerprint } from '../../src/plan/fingerprint.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

const cases = {
  'no-changes': plan(desired({ roles: [{ key: 'admin', name: 'Admin' }] }), live({ roles: [{ key: 'admin', name: 'Admin' }] }), target),
  'no-changes-local-unmanaged': plan(desired(), live({ roles: [{ key: 'support', name: 'Support' }] }), { provider: 'kinde', url: 'http://127.0.0.1:4010', local: true }),
  'create-from-empty': plan(
    desired({
      permissions: [
        { key: 'read:invoices', name: 'Read invoices', description: 'View invoices and receipts' },
        { key: 'write:invoices', name: 'Write invoices' },
      ],
      roles: [
        { key: 'billing-admin', name: 'Billing admin', permissions: ['write:invoices', 'read:invoices'] },
        { key: 'member', name: 'Member', isDefault: true },
      ],
    }),
    live(),
    target,
  ),
  'mixed-with-deletes': plan(
    desired({
      permissions: [{ key: 'read:invoices', name: 'View invoices' }, { key: 'write:invoices', name: 'Write invoices' }],
      roles: [{ key: 'admin', name: 'Administrator', description: 'Full access', isDefault: false, permissions: ['read:invoices', 'write:invoices'] }],
      prune: { roles: true, permissions: true },
    }),
    live({
      permissions: [{ key: 'read:invoices', name: 'Read invoices' }, { key: 'write:invoices', name: 'Write invoices' }, { key: 'delete:invoices', name: 'Delete invoices' }],
      roles: [
        { key: 'admin', name: 'Admin', description: 'Full access', permissions: ['read:invoices', 'delete:invoices', 'write:invoices'] },
        { key: 'legacy', name: 'Legacy', isDefault: true, permissions: [] },
      ],
    }),
    target,
  ),
  'organizations-and-settings': plan(
    desired({
      featureFlags: [{ key: 'new_checkout', name: 'New checkout', description: 'The redesigned checkout', type: 'bool', defaultValue: false, overrideLevel: 'org' }],
      organizations: [
        { externalId: 'acme', name: 'Acme', policies: { enforceMfa: true, autoJoinDomains: false, allowedDomains: new Set(['acme.com']) }, featureFlags: new Map([['new_checkout', true]]) },
        { externalId: 'globex', name: 'Globex', handle: 'globex', colors: { button_color: '#0056f1' }, mfa: { factors: new Set(['mfa:email', 'mfa:authenticator_app'] as const), recoveryCodes: true } },
      ],
      business: { name: 'Acme Projects', policyAcceptance: true, termsUrl: 'https://acme.test/terms' },
      environment: { tracking: { google_analytics: 'G-NEW123' }, featureFlags: new Map([['new_checkout', false]]) },
    }),
    live({
      featureFlags: { new_checkout: { type: 'bool' } },
      organizations: [{ externalId: 'acme', state: { name: 'Acme', 'policies.allowed_domains': ['acme.com'], 'feature_flags.new_checkout': true } }],
      business: { name: 'Acme Projects', policy_acceptance: false, terms_url: null, privacy_url: null },
      environment: { 'tracking.google_analytics': 'G-OLD999', 'feature_flags.new_checkout': false },
      writeOnly: {
        'organization:acme': { 'policies.enforce_mfa': writeOnlyFingerprint(false) },
        'feature_flag:new_checkout': { name: writeOnlyFingerprint('New checkout'), description: writeOnlyFingerprint('The redesigned checkout'), default_value: writeOnlyFingerprint(false), override_level: writeOnlyFingerprint('org') },
      },
    }),
    target,
  ),
};

describe('text renderer', () => {
  for (const [name, p] of Object.entries(cases)) {
    it(`renders ${name}`, () => expectGolden(golden(`${name}.txt`), renderText(p, { color: false })));
  }

  it('colours symbols only on request', () => {
    const colored = renderText(cases['mixed-with-deletes'], { color: true });
    expectGolden(golden('mixed-with-deletes.color.txt'), colored);
    expect(colored).toContain('\u001b[31m-\u001b[39m role "legacy"');
    expect(renderText(cases['mixed-with-deletes'], { color: false })).not.toContain('\u001b[');
  });

  it('ends with a summary line counting every change', () => {
    expect(renderText(cases['mixed-with-deletes'], { color: false }).trimEnd().split('\n').at(-1)).toBe('Plan: 0 to create, 2 to change, 2 to destroy.');
  });
});

describe('json renderer', () => {
  for (const [name, p] of Object.entries(cases)) {
    it(`renders ${name} valid against plan.schema.json`, () => {
      const text = renderJson(p);
      expect(planSchemaErrors(JSON.parse(text))).toEqual([]);
      expectGolden(golden(`${name}.json`), text);
    });
  }

  it('rejects a plan that breaks the schema', () => {
    const broken = { ...JSON.parse(renderJson(cases['create-from-empty'])), summary: { create: -1 } };
    expect(planSchemaErrors(broken)).not.toEqual([]);
  });
});
