/**
 * The export as a file: header, sections and flag templates (golden), what the notes say, --only's names, the read
 * scope, and a tenant value the config cannot express reported with its line.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCollections } from '../../src/export/collections.js';
import { exportDocument } from '../../src/export/document.js';
import { exportScope } from '../../src/export/scope.js';
import type { LiveUser } from '../../src/model/live.js';
import type { Target } from '../../src/model/target.js';
import { writeOnlyFingerprint as fp } from '../../src/plan/fingerprint.js';
import { IdmError } from '../../src/errors.js';
import { expectGolden } from '../helpers/golden.js';
import { live } from '../helpers/model.js';

const golden = (name: string) => fileURLToPath(new URL(`golden/${name}`, import.meta.url));
const local: Target = { provider: 'kinde', url: 'http://127.0.0.1:41234', local: true };
const remote: Target = { provider: 'kinde', url: 'https://ledgerly.kinde.com', local: false, environment: 'staging' };

const member = (id: string, providedId: string | null, email: string | null, orgs: string[], roles: string[] = []): LiveUser => ({
  id, providedId, email,
  state: {
    first_name: 'Sam', last_name: 'Whitfield', suspended: false, identities: email ? [`email:${email}`] : ['username:sam'],
    'primary.email': email, 'primary.username': email ? null : 'sam', organizations: orgs,
    ...Object.fromEntries(orgs.map((o) => [`organizations.${o}.roles`, roles])),
  },
});

const tenant = live({
  permissions: [{ key: 'read:invoices', name: 'View invoices' }, { key: 'approve:invoices', name: 'Approve invoices', description: 'Above the ${limit}' }],
  roles: [{ key: 'accountant', name: 'Accountant', isDefault: true, permissions: ['read:invoices'] }],
  featureFlags: { bulk_approvals: { type: 'bool' }, export_limit: { type: 'int' } },
  organizations: [
    {
      externalId: 'northwind',
      state: {
        name: 'Northwind Traders', handle: 'northwind', 'colors.button_color': '#1f6feb', 'policies.auto_membership': true,
        'policies.allowed_domains': ['northwind.example'], 'passkey.policy': 'off', 'passkey.override_environment': false,
        'feature_flags.bulk_approvals': true, 'feature_flags.export_limit': 5000, 'properties.industry': 'retail',
      },
    },
    { externalId: 'contoso', state: { name: 'Contoso Ltd', handle: 'contoso', 'policies.auto_membership': false, 'policies.allowed_domains': [] } },
  ],
  business: { name: 'Ledgerly', policy_acceptance: true, terms_url: 'https://ledgerly.example/terms', privacy_url: null },
  environment: {
    'tracking.google_analytics': 'G-LEDGERLY1', 'tracking.hotjar_site_id': '3141592', 'tracking.contentsquare': null, 'passkey.policy': 'off',
    'feature_flags.bulk_approvals': false, 'feature_flags.export_limit': 1000,
  },
  writeOnly: {
    'organization:northwind': { 'policies.enforce_mfa': fp(true), 'mfa.factors': fp(['mfa:authenticator_app', 'mfa:email']) },
    'feature_flag:export_limit': { default_value: fp(1000), override_level: fp('org'), description: fp('') },
  },
  users: [
    member('kp_1', 'stg-0001', 'nadia@northwind.example', ['northwind'], ['accountant']),
    member('kp_2', null, 'yuki@contoso.example', ['contoso']),
    member('kp_3', null, 'pat@default.example', []),
    member('kp_4', null, null, ['contoso']),
  ],
});
const unmatched = [{ id: 'org_0a1b2c', name: 'Default Organization', isDefault: true }, { id: 'org_9z8y7x', name: 'Old "pilot" org', isDefault: false }];

describe('the export file', () => {
  it('has a header naming the tenant and what is left out, the sections in order, and the flags found as templates', () => {
    const doc = exportDocument({ live: tenant, unmatched }, remote);
    expect(doc.problems).toEqual([]);
    expectGolden(golden('ledgerly.yaml'), doc.text);
    expect(doc.summary).toBe('2 permissions, 1 role, 2 organizations, business settings, environment settings and 2 users');
  });

  it('is the same text on every run, with no trace of when or of the local port', () => {
    const a = exportDocument({ live: tenant, unmatched }, local).text;
    expect(exportDocument({ live: tenant, unmatched: [...unmatched].reverse() }, { ...local, url: 'http://127.0.0.1:50000' }).text).toBe(a);
    expect(a).not.toMatch(/127\.0\.0\.1|\d{4}-\d{2}-\d{2}/);
    expect(a.split('\n')[0]).toBe('# idm config exported from kinde (local emulator, state in .idm/) by `idm export`. Planned against that tenant, it');
  });

  it('says which notes need a person: flags to complete, orgs without an external id, users left out', () => {
    const { notes } = exportDocument({ live: tenant, unmatched }, remote);
    expect(notes.filter((n) => n.actionable).map((n) => n.text.slice(0, 40))).toEqual([
      "Feature flags: Kinde cannot return a fla",
      '2 organizations have no external id, whi',
      '1 user belongs to no organization with a',
      '1 user has neither a provided id nor an ',
    ]);
    expect(notes.filter((n) => !n.actionable).map((n) => n.text.slice(0, 40))).toEqual([
      "Organizations' policies.enforce_mfa, pol",
      "Users' passwords, properties, direct per",
    ]);
    const orgs = notes.find((n) => n.text.startsWith('2 organizations'))!.text;
    expect(orgs).toContain('"Default Organization" (org_0a1b2c, the default organization), "Old \\"pilot\\" org" (org_9z8y7x)');
    expect(orgs).toContain('set its external id in Kinde');
    expect(notes.find((n) => n.text.startsWith('1 user belongs'))!.text).toContain('kp_3 (pat@default.example)');
  });

  it('names at most ten objects per note and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: `org_${String(i).padStart(2, '0')}`, name: `Org ${i}`, isDefault: false }));
    const { notes } = exportDocument({ live: live(), unmatched: many }, remote, new Set(['organizations']));
    expect(notes.find((n) => n.text.startsWith('12 organizations'))!.text).toContain('"Org 9" (org_09) and 2 more.');
  });

  it('with --only, names the selection and says when it refers to collections left out', () => {
    const doc = exportDocument({ live: tenant, unmatched }, remote, new Set(['roles', 'users']));
    expect(doc.text.replace(/\n# /g, ' ')).toContain('by `idm export` (--only roles,users).');
    expect(doc.text).not.toMatch(/^(permissions|organizations|business|environment):/m);
    expect(doc.dangling).toEqual(['permissions', 'organizations']);
    expect(doc.problems).toEqual([]);
  });

  it('reports a value the config cannot express at its line in the output, and still renders the rest', () => {
    const doc = exportDocument({ live: live({ roles: [{ key: 'admin', name: 'x'.repeat(300) }, { key: 'has space', name: 'Spaced' }] }), unmatched: [] }, remote, undefined, 'out.yaml');
    expect(doc.problems.map((p) => `${p.location.file}:${p.location.line} ${p.message.slice(0, 40)}`)).toEqual([
      expect.stringMatching(/^out\.yaml:\d+ /),
      expect.stringMatching(/^out\.yaml:\d+ /),
    ]);
    const lines = doc.text.split('\n');
    expect(lines[doc.problems[0]!.location.line - 1]).toContain('name: xxx');
    expect(lines[doc.problems[1]!.location.line - 1]).toContain('has space');
  });
});

describe('--only', () => {
  it('reads a comma-separated list of collections', () => {
    expect([...parseCollections('roles, permissions,users')]).toEqual(['roles', 'permissions', 'users']);
  });

  it.each([
    ['role', 'did you mean "roles"?'],
    ['feature-flags', 'did you mean "feature_flags"?'],
    ['orgs', 'idm exports permissions, roles, feature_flags, organizations, business, environment, users'],
  ])('refuses %s, suggesting %s', (name, hint) => {
    let error: unknown;
    try {
      parseCollections(`permissions,${name}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IdmError);
    expect((error as IdmError).message).toBe(`--only: unknown collection "${name}"`);
    expect((error as IdmError).hint).toContain(hint);
  });

  it('refuses an empty list', () => {
    expect(() => parseCollections(' , ')).toThrow('--only names no collection');
  });
});

describe('what an export reads', () => {
  it('everything about every organization, and every org member list for the users', () => {
    const scope = exportScope(new Set(['organizations', 'users', 'feature_flags']), ['northwind', 'contoso']);
    expect(scope.organization_details).toEqual({
      contoso: { detail: true, feature_flags: true, passkey: true, properties: true },
      northwind: { detail: true, feature_flags: true, passkey: true, properties: true },
    });
    expect(scope.users).toEqual({ list: true, member_orgs: ['contoso', 'northwind'], match: {}, permissions: [], properties: [] });
    expect(scope.write_only).toBe(true);
  });

  it('nothing a selection does not need, so an app without those scopes can export the rest', () => {
    const scope = exportScope(new Set(['roles', 'permissions']), ['northwind']);
    expect(scope).toMatchObject({
      feature_flags: false, organizations: false, organization_details: {}, business: false, write_only: false,
      environment: { details: false, feature_flags: false, passkey: false }, users: { list: false, member_orgs: [] },
    });
  });
});
