/**
 * Live -> raw config, table-driven: what each readable field becomes, what is left out, what is recovered from idm's
 * state record, and in which order. The round-trip tests at the end plan each export against the tenant it came
 * from: no changes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportTenant, exportConfig } from '../../src/export/to-config.js';
import { desiredFromLive } from '../../src/export/desired.js';
import type { LiveIdentity, LiveUser } from '../../src/model/live.js';
import type { FlatState } from '../../src/model/plan.js';
import { writeOnlyFingerprint as fp } from '../../src/plan/fingerprint.js';
import { flattenJson } from '../../src/plan/flatten-json.js';
import { plan } from '../../src/plan/plan.js';
import { live, target } from '../helpers/model.js';

type LiveIn = Parameters<typeof live>[0];

const user = (id: string, providedId: string | null, email: string | null, state: FlatState): LiveUser => ({ id, providedId, email, state });

const ada = user('kp_1', 'u-1001', 'ada@acme.com', {
  first_name: 'Ada', last_name: 'Lovelace', suspended: false,
  identities: ['username:ada', 'email:ada@acme.com', 'email:ada@old.example'],
  'primary.email': 'ada@old.example', 'primary.username': 'ada', 'primary.phone': null,
  organizations: ['globex', 'acme'], 'organizations.acme.roles': ['viewer', 'admin'], 'organizations.globex.roles': [],
});

interface Row {
  readonly name: string;
  readonly live: LiveIn;
  readonly only?: readonly ('permissions' | 'roles' | 'feature_flags' | 'organizations' | 'business' | 'environment' | 'users')[];
  readonly config: Record<string, unknown>;
}

const rows: Row[] = [
  {
    name: 'permissions and roles: sorted by key, descriptions only where set, default only when true, permissions sorted',
    live: {
      permissions: [{ key: 'write:a', name: 'Write A' }, { key: 'read:a', name: 'Read A', description: 'See A' }],
      roles: [
        { key: 'viewer', name: 'Viewer', permissions: [] },
        { key: 'admin', name: 'Admin', description: 'Everything', isDefault: true, permissions: ['write:a', 'read:a'] },
      ],
    },
    config: {
      version: 1,
      permissions: [{ key: 'read:a', name: 'Read A', description: 'See A' }, { key: 'write:a', name: 'Write A' }],
      roles: [
        { key: 'admin', name: 'Admin', description: 'Everything', default: true, permissions: ['read:a', 'write:a'] },
        { key: 'viewer', name: 'Viewer' },
      ],
    },
  },
  {
    name: 'an organization: every readable field, unset colours and properties left out, domains sorted',
    live: {
      organizations: [{
        externalId: 'acme',
        state: {
          name: 'Acme', handle: null, 'policies.auto_membership': false, 'policies.allowed_domains': ['b.example', 'a.example'],
          'colors.link_color': '#00ff00', 'colors.background_color': '#ffffff', 'colors.button_color': null,
          'passkey.policy': 'optional', 'passkey.override_environment': true, 'properties.tier': 'gold', 'properties.region': null,
          'feature_flags.beta': true,
        },
      }],
    },
    only: ['organizations'],
    config: {
      version: 1,
      organizations: [{
        external_id: 'acme', name: 'Acme',
        colors: { background_color: '#ffffff', link_color: '#00ff00' },
        policies: { auto_membership: false, allowed_domains: ['a.example', 'b.example'] },
        passkey: { policy: 'optional', override_environment: true },
        properties: { tier: 'gold' },
      }],
    },
  },
  {
    name: "write-only org fields: the candidate whose fingerprint idm recorded, nothing where it recorded none",
    live: {
      organizations: [
        { externalId: 'acme', state: { name: 'Acme', 'policies.auto_membership': true, 'policies.allowed_domains': ['acme.com'] } },
        { externalId: 'globex', state: { name: 'Globex', 'policies.auto_membership': true, 'policies.allowed_domains': [] } },
      ],
      writeOnly: {
        'organization:acme': {
          'policies.enforce_mfa': fp(true), 'policies.auto_join_domains': fp(false),
          'mfa.factors': fp(['mfa:sms', 'mfa:email']), 'mfa.recovery_codes': fp(false),
        },
        // Auto-join with no domains left to join from: the value idm wrote can do nothing, and the config cannot say it.
        'organization:globex': { 'policies.auto_join_domains': fp(true), 'policies.enforce_mfa': 'not-a-fingerprint-of-anything' },
      },
    },
    only: ['organizations'],
    config: {
      version: 1,
      organizations: [
        {
          external_id: 'acme', name: 'Acme',
          policies: { auto_membership: true, allowed_domains: ['acme.com'], auto_join_domains: false, enforce_mfa: true },
          mfa: { factors: ['mfa:email', 'mfa:sms'], recovery_codes: false },
        },
        { external_id: 'globex', name: 'Globex', policies: { auto_membership: true, allowed_domains: [] } },
      ],
    },
  },
  {
    name: 'business and environment: null URLs and tracking IDs kept, MFA only when policy and factors are both recovered',
    live: {
      business: { name: 'Ledgerly', policy_acceptance: true, terms_url: 'https://l.example/terms', privacy_url: null },
      environment: {
        'tracking.google_analytics': 'G-1', 'tracking.hotjar_site_id': null, 'tracking.contentsquare': null,
        'passkey.policy': 'mandatory', 'feature_flags.beta': true,
      },
      writeOnly: { 'environment:environment': { 'mfa.policy': fp('required'), 'mfa.factors': fp(['mfa:authenticator_app']) } },
    },
    only: ['business', 'environment'],
    config: {
      version: 1,
      business: { name: 'Ledgerly', policy_acceptance: true, terms_url: 'https://l.example/terms', privacy_url: null },
      environment: {
        tracking: { google_analytics: 'G-1', hotjar_site_id: null, contentsquare: null },
        mfa: { policy: 'required', factors: ['mfa:authenticator_app'] },
        passkey: { policy: 'mandatory' },
      },
    },
  },
  {
    name: 'environment MFA with a policy but no recorded factors is left out: the config needs both',
    live: { environment: { 'passkey.policy': 'off' }, writeOnly: { 'environment:environment': { 'mfa.policy': fp('off') } } },
    only: ['environment'],
    config: { version: 1, environment: { passkey: { policy: 'off' } } },
  },
  {
    name: 'a user: identities by type with the primary first, memberships by external id, roles sorted, empty roles left out',
    live: { users: [ada] },
    only: ['users'],
    config: {
      version: 1,
      users: {
        mode: 'managed',
        list: [{
          id: 'u-1001', first_name: 'Ada', last_name: 'Lovelace', suspended: false,
          identities: [{ type: 'email', value: 'ada@old.example' }, { type: 'email', value: 'ada@acme.com' }, { type: 'username', value: 'ada' }],
          organizations: [{ external_id: 'acme', roles: ['admin', 'viewer'] }, { external_id: 'globex' }],
        }],
      },
    },
  },
  {
    name: 'users are keyed by provided id, else primary email; a social type keeps its colon; a recorded social primary goes first',
    live: {
      users: [
        user('kp_2', null, 'bob@acme.com', {
          first_name: null, last_name: 'Builder', suspended: true,
          identities: ['email:bob@acme.com', 'oauth2:google:222', 'oauth2:google:111'], 'primary.email': 'bob@acme.com',
          organizations: ['acme'], 'organizations.acme.roles': [],
        }),
      ],
      writeOnly: { 'user:bob@acme.com': { 'primary.oauth2:google': fp('222') } },
    },
    only: ['users'],
    config: {
      version: 1,
      users: {
        mode: 'managed',
        list: [{
          last_name: 'Builder', suspended: true,
          identities: [{ type: 'email', value: 'bob@acme.com' }, { type: 'oauth2:google', value: '222' }, { type: 'oauth2:google', value: '111' }],
          organizations: [{ external_id: 'acme' }],
        }],
      },
    },
  },
  {
    name: 'prune is never written unless asked for',
    live: { permissions: [{ key: 'read:a', name: 'Read A' }] },
    only: ['permissions'],
    config: { version: 1, permissions: [{ key: 'read:a', name: 'Read A' }] },
  },
];

describe('exportConfig', () => {
  it.each(rows)('$name', (row) => {
    expect(exportConfig(live(row.live), row.only ? { only: new Set(row.only) } : {})).toStrictEqual(row.config);
  });

  it('--only leaves the other collections out entirely', () => {
    const tenant = live({ permissions: [{ key: 'read:a', name: 'A' }], roles: [{ key: 'r', name: 'R' }], business: { name: 'B' }, users: [ada] });
    expect(Object.keys(exportConfig(tenant, { only: new Set(['roles']) }))).toEqual(['version', 'roles']);
  });

  it('prune: true prunes what was exported, and users only when some were', () => {
    const tenant = live({ permissions: [{ key: 'read:a', name: 'A' }], roles: [{ key: 'r', name: 'R' }] });
    expect(exportConfig(tenant, { prune: true, only: new Set(['permissions', 'roles', 'users']) }).prune).toEqual({ permissions: true, roles: true });
    expect(exportConfig(live({ users: [ada] }), { prune: true, only: new Set(['users']) }).prune).toEqual({ users: true });
  });
});

describe('what the export cannot hold', () => {
  it('skips users idm could not match or place, and says why', () => {
    const { config, skippedUsers } = exportTenant(
      live({
        users: [
          user('kp_9', null, null, { identities: ['username:zed'], 'primary.username': 'zed', organizations: ['acme'] }),
          user('kp_8', 'u-8', 'eve@acme.com', { identities: ['email:eve@acme.com'], organizations: [] }),
          user('kp_7', 'u-7', null, { identities: [], organizations: ['acme'] }),
        ],
      }),
      { only: new Set(['users']) },
    );
    expect(config.users).toBeUndefined();
    expect(skippedUsers).toEqual([
      { label: 'kp_7', reason: 'no-identity' },
      { label: 'kp_8 (eve@acme.com)', reason: 'no-organization' },
      { label: 'kp_9 (zed)', reason: 'no-key' },
    ]);
  });

  it('names users with several social identities of one type whose primary Kinde cannot say', () => {
    const { unknownPrimaries } = exportTenant(
      live({ users: [user('kp_3', 'u-3', null, { identities: ['oauth2:github:1', 'oauth2:github:2'], organizations: ['acme'] })] }),
      { only: new Set(['users']) },
    );
    expect(unknownPrimaries).toEqual(['u-3']);
  });

  it('finds flags with their type, what idm recorded of their definition, and the orgs whose value differs from the environment', () => {
    const { config, flags } = exportTenant(
      live({
        featureFlags: { limit: { type: 'int' }, beta: { type: 'bool' } },
        environment: { 'feature_flags.limit': 1000, 'feature_flags.beta': false },
        organizations: [
          { externalId: 'acme', state: { name: 'Acme', 'feature_flags.limit': 5000, 'feature_flags.beta': false } },
          { externalId: 'globex', state: { name: 'Globex', 'feature_flags.limit': 1000, 'feature_flags.beta': true } },
        ],
        writeOnly: {
          'feature_flag:limit': { name: fp('Export row limit'), description: fp(''), default_value: fp(5000), override_level: fp('org') },
          'feature_flag:beta': { default_value: fp(true), description: fp('Shows the beta banner') },
        },
      }),
      { only: new Set(['feature_flags']) },
    );
    expect(config).toStrictEqual({ version: 1 });
    expect(flags).toStrictEqual([
      { key: 'beta', type: 'bool', default: true, environment: false, organizations: { globex: true } },
      { key: 'limit', type: 'int', description: '', default: 5000, overrideLevel: 'org', environment: 1000, organizations: { acme: 5000 } },
    ]);
  });
});

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; additionalProperties?: unknown; type?: unknown };
const schema = JSON.parse(readFileSync(new URL('../../schemas/idm.schema.json', import.meta.url), 'utf8')) as SchemaNode & { $defs: Record<string, SchemaNode> };
const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? resolve(schema.$defs[node.$ref.replace('#/$defs/', '')]!) : node);

/** Paths of objects whose keys are not in the schema's order (maps keyed by data, such as properties, are sorted instead). */
function outOfOrder(value: unknown, node: SchemaNode, path: string): string[] {
  const n = resolve(node);
  if (Array.isArray(value)) return n.items ? value.flatMap((v, i) => outOfOrder(v, n.items!, `${path}[${i}]`)) : [];
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  if (!n.properties) return keys.join() === [...keys].sort().join() ? [] : [path];
  const order = Object.keys(n.properties);
  const own = keys.every((k, i) => i === 0 || order.indexOf(keys[i - 1]!) < order.indexOf(k)) ? [] : [path];
  return [...own, ...keys.flatMap((k) => outOfOrder((value as Record<string, unknown>)[k], n.properties![k] ?? {}, `${path}.${k}`))];
}

describe('order', () => {
  it("writes every object's keys in the schema's order", () => {
    const tenant = live({
      ...rows[0]!.live, ...rows[2]!.live, ...rows[3]!.live,
      organizations: [...rows[1]!.live.organizations!, ...rows[2]!.live.organizations!],
      writeOnly: { ...rows[2]!.live.writeOnly, ...rows[3]!.live.writeOnly },
      users: [ada],
    });
    const config = exportConfig(tenant, { prune: true });
    expect(Object.keys(config)).toEqual(['version', 'permissions', 'roles', 'organizations', 'business', 'environment', 'users', 'prune']);
    expect(outOfOrder(config, schema, '$')).toEqual([]);
  });

  it('gives the same config whatever order the tenant listed things in', () => {
    const a = live({ ...rows[0]!.live, users: [ada, user('kp_0', 'u-0', null, { identities: ['phone:+15550100'], organizations: ['acme'] })] });
    const b = live({
      permissions: [...rows[0]!.live.permissions!].reverse(),
      roles: [...rows[0]!.live.roles!].reverse().map((r) => ({ ...r, permissions: [...(r.permissions ?? [])].reverse() })),
      users: [user('kp_0', 'u-0', null, { identities: ['phone:+15550100'], organizations: ['acme'] }), ada],
    });
    expect(JSON.stringify(exportConfig(b))).toBe(JSON.stringify(exportConfig(a)));
  });
});

describe('desiredFromLive', () => {
  it.each(rows.filter((r) => !r.name.startsWith('a user') && !r.name.startsWith('users are')))('plans no changes against its own tenant: $name', (row) => {
    const tenant = live(row.live);
    const result = plan(desiredFromLive(tenant, row.only ? { only: new Set(row.only) } : {}), tenant, target);
    expect(result.changes).toEqual([]);
  });

  it('plans no changes against its own tenant for users, a recorded social primary included', () => {
    // Users refer to organizations and roles: the tenant must hold them for the export to be a config of its own.
    const orgs = [{ externalId: 'acme', state: { name: 'Acme' } }, { externalId: 'globex', state: { name: 'Globex' } }];
    const tenant = live({ ...rows[6]!.live, organizations: orgs, roles: [{ key: 'admin', name: 'Admin' }, { key: 'viewer', name: 'Viewer' }], users: [ada, ...rows[6]!.live.users!] });
    const desired = desiredFromLive(tenant);
    expect(desired.users.size).toBe(2);
    expect(plan(desired, tenant, target).changes).toEqual([]);
  });

  it('keeps a literal ${...} in a value literal instead of reading the environment', () => {
    const tenant = live({ permissions: [{ key: 'read:a', name: 'Costs ${env:HOME} and $${x}', description: 'not ${a variable' }] });
    const desired = desiredFromLive(tenant);
    expect(desired.permissions.get('read:a')).toEqual({ key: 'read:a', name: 'Costs ${env:HOME} and $${x}', description: 'not ${a variable' });
  });

  it('with prune, planning it against another tenant deletes what only that tenant has', () => {
    const from = live({ permissions: [{ key: 'read:a', name: 'A' }], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:a'] }] });
    const to = live({ permissions: [{ key: 'read:a', name: 'A' }, { key: 'read:b', name: 'B' }], roles: [{ key: 'admin', name: 'Administrator' }] });
    const changes = plan(desiredFromLive(from, { prune: true, only: new Set(['permissions', 'roles']) }), to, target).changes;
    expect(changes.map((c) => `${c.action} ${c.type} ${c.key} ${c.diff.map((d) => d.path).join(',')}`)).toEqual([
      'delete permission read:b ',
      'update role admin name,permissions',
    ]);
  });
});

describe('Kratos identities', () => {
  const kratos = { provider: 'kratos', url: 'http://127.0.0.1:4434', local: false } as const;
  const adaTraits = { email: 'ada@acme.com', name: { first: 'Ada' }, nickname: 'null', 'dept.code': 'R&D', tags: ['b', 'a'] };
  const adaIdentity: LiveIdentity = {
    id: '0b8f5a52-0000-4000-8000-000000000001', key: 'ada@acme.com',
    state: {
      schema_id: 'employee', state: 'active', external_id: 'u-1', ...flattenJson('traits', adaTraits),
      metadata_public: 'null', ...flattenJson('metadata_admin', { crm: { id: 7 } }),
      'credentials.password': fp('$2a$10$hash'), 'credentials.oidc': ['google:109:8'], 'credentials.saml': ['okta:ada'],
    },
  };
  const former: LiveIdentity = { id: 'c0ffee00-0000-4000-8000-000000000002', key: 'former@acme.com', state: { schema_id: 'default', state: 'inactive', ...flattenJson('traits', { email: 'former@acme.com' }) } };
  const keyless: LiveIdentity = { id: 'deadbeef-0000-4000-8000-000000000003', key: null, state: { schema_id: 'default', state: 'active', ...flattenJson('traits', { phone: '+4420' }) } };
  const tenant = live({ identities: [former, keyless, adaIdentity] });

  it('writes each identity as the config holds it: traits and metadata rebuilt, links, no secrets, sorted by email', () => {
    const exported = exportTenant(tenant, { only: new Set(['identities']) });
    expect(exported.config).toStrictEqual({
      version: 1,
      identities: [
        {
          schema_id: 'employee', external_id: 'u-1', traits: adaTraits, metadata_admin: { crm: { id: 7 } },
          credentials: { oidc: [{ provider: 'google', subject: '109:8' }], saml: [{ provider: 'okta', subject: 'ada' }] },
        },
        { schema_id: 'default', state: 'inactive', traits: { email: 'former@acme.com' } },
      ],
    });
    expect(exported.skippedIdentities).toEqual([keyless.id]);
    expect(exported.identitySecrets).toBe(true);
    expect(JSON.stringify(exported.config)).not.toContain(fp('$2a$10$hash'));
  });

  it('planned against its own tenant, the export shows no changes', () => {
    const desired = desiredFromLive(tenant, { only: new Set(['identities']) });
    expect([...desired.identities.keys()]).toEqual(['ada@acme.com', 'former@acme.com']);
    expect(plan(desired, tenant, kratos).changes).toEqual([]);
  });
});
