/**
 * The plans every renderer's golden tests render (text, JSON, markdown): one set, so the formats stay comparable.
 */
import type { IdentitySpec, UserSpec } from '../../src/model/desired.js';
import type { LiveUser } from '../../src/model/live.js';
import { writeOnlyFingerprint } from '../../src/plan/fingerprint.js';
import { plan } from '../../src/plan/plan.js';
import { desired, live, target } from '../helpers/model.js';

const email = (value: string): IdentitySpec => ({ type: 'email', value, verified: true, primary: true });

const ada: UserSpec = {
  key: 'u-1001', id: 'u-1001', firstName: 'Ada', lastName: 'Lovelace',
  identities: [email('ada@lovelace.dev')],
  password: { method: 'bcrypt', hash: '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq', temporary: false, version: 2 },
  organizations: new Map([['acme', { roles: new Set(['member']), permissions: new Set<string>() }]]),
};

const grace: UserSpec = {
  key: 'u-1002', id: 'u-1002', firstName: 'Grace', lastName: 'Hopper',
  identities: [email('grace@acme.com')],
  organizations: new Map([['acme', { roles: new Set(['member']), permissions: new Set<string>() }]]),
};

const adaLive: LiveUser = {
  id: 'kp_1', providedId: 'u-1001', email: 'ada@acme.com',
  state: { first_name: 'Ada', last_name: 'Lovelace', identities: ['email:ada@acme.com'], 'primary.email': 'ada@acme.com', organizations: ['acme'], 'organizations.acme.roles': ['member'] },
};

const formerLive: LiveUser = { id: 'kp_9', providedId: 'u-0999', email: 'former@acme.com', state: { first_name: 'Former', identities: ['email:former@acme.com'], organizations: ['acme'] } };

export const cases = {
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
  'manual-steps': plan(
    desired({ environment: { tracking: { google_analytics: 'G-NEW123', hotjar_site_id: '3141592' } } }),
    live({ environment: { 'tracking.google_analytics': 'G-OLD999', 'tracking.hotjar_site_id': null } }),
    target,
  ),
  users: plan(
    desired({ users: [ada, grace], usersMode: 'managed', prune: { users: true } }),
    live({
      users: [adaLive, formerLive],
      writeOnly: { 'user:u-1001': { 'password.method': writeOnlyFingerprint('bcrypt'), 'password.version': writeOnlyFingerprint(1), 'password.temporary': writeOnlyFingerprint(false) } },
    }),
    target,
  ),
  // Seed mode: Grace's create was cut off after the user itself (no role, no password); Ada is left alone.
  'users-seed-unfinished': plan(
    desired({ users: [ada, { ...grace, password: ada.password }] }),
    live({
      users: [adaLive, { id: 'kp_2', providedId: 'u-1002', email: 'grace@acme.com', state: { first_name: 'Grace', last_name: 'Hopper', identities: ['email:grace@acme.com'], 'primary.email': 'grace@acme.com', organizations: ['acme'] } }],
      unfinishedUsers: ['u-1002'],
    }),
    target,
  ),
};
