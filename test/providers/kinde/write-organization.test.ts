/** Organizations: what the create cannot take goes in a PATCH after it; an update makes only the calls its diff needs. */
import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import type { FieldDiff, FlatState, OrganizationChange, ReadScope } from '../../../src/model/plan.js';
import { writeOnlyFingerprint } from '../../../src/plan/fingerprint.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { fakeOrg, noScope, reply, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


async function setup(options: Partial<KindeProviderOptions> = {}) {
  const { fake, provider } = await fakeProvider(options);
  fake.tenant.flags.push(
    { key: 'max_seats', name: 'Seats', description: '', type: 'int', allow_override_level: 'org', default_value: '5' },
    { key: 'beta', name: 'Beta', description: '', type: 'bool', allow_override_level: 'org', default_value: 'false' },
  );
  return { fake, provider };
}

const since = (fake: FakeKinde) => {
  const start = fake.requests.length;
  return () => fake.requests.slice(start).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`);
};
const bodyOf = (fake: FakeKinde, method: string, path: string) => JSON.parse(fake.requests.filter((r) => r.method === method && r.path === path).at(-1)!.body);

const scope: ReadScope = {
  ...noScope, organizations: true, write_only: true,
  organization_details: { acme: { detail: true, feature_flags: true, passkey: true, properties: false } },
};

const acme: FlatState = {
  name: 'Acme',
  handle: 'acme_corp',
  'colors.button_color': '#0056f1',
  'colors.link_color_dark': '#ffffff',
  'policies.auto_membership': true,
  'policies.allowed_domains': ['acme.com', 'acme.io'],
  'policies.auto_join_domains': true,
  'policies.enforce_mfa': true,
  'mfa.factors': ['mfa:authenticator_app', 'mfa:email'],
  'mfa.recovery_codes': false,
  'passkey.policy': 'mandatory',
  'passkey.override_environment': true,
  'feature_flags.max_seats': 50,
  'feature_flags.beta': true,
};

const create = (after: FlatState): OrganizationChange => ({ action: 'create', type: 'organization', key: 'acme', before: null, after, diff: [] });
function update(before: FlatState, after: FlatState, diff: FieldDiff[]): OrganizationChange {
  return { action: 'update', type: 'organization', key: 'acme', before, after, diff: diff as [FieldDiff, ...FieldDiff[]] };
}
const writeOnly = (path: string, after: FlatState): FieldDiff => ({ path, before: null, after: after[path]!, write_only: 'changed' });

describe('writeOrganization: create', () => {
  test('POST what the create takes, PATCH the update-only fields, PUT mfa and passkey, PATCH each flag (value in the query)', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    const calls = since(fake);
    await writer.writeOrganization(create(acme));
    const code = fake.tenant.organizations[0]!.code;
    expect(calls()).toEqual([
      'POST /api/v1/organization',
      `PATCH /api/v1/organization/${code}`,
      `PUT /api/v1/organizations/${code}/mfa`,
      `PUT /api/v1/organizations/${code}/passkey`,
      `PATCH /api/v1/organizations/${code}/feature_flags/max_seats`,
      `PATCH /api/v1/organizations/${code}/feature_flags/beta`,
      'POST /api/v1/environment_variables',
    ]);
    expect(bodyOf(fake, 'POST', '/api/v1/organization')).toEqual({
      name: 'Acme', handle: 'acme_corp', button_color: '#0056f1', link_color_dark: '#ffffff', is_auto_membership_enabled: true, external_id: 'acme',
    });
    expect(bodyOf(fake, 'PATCH', `/api/v1/organization/${code}`)).toEqual({ allowed_domains: ['acme.com', 'acme.io'], is_auto_join_domain_list: true, is_enforce_mfa: true });
    expect(bodyOf(fake, 'PUT', `/api/v1/organizations/${code}/mfa`)).toEqual({ enabled_factors: ['mfa:authenticator_app', 'mfa:email'], is_recovery_codes_enabled: false });
    expect(bodyOf(fake, 'PUT', `/api/v1/organizations/${code}/passkey`)).toEqual({ policy: 'mandatory', is_override_environment_passkey_settings: true });
    const flagPatch = fake.requests.find((r) => r.path.endsWith('/feature_flags/max_seats'))!;
    expect(flagPatch.query.get('value')).toBe('50');
    expect(flagPatch.body).toBe('');
  });

  test('read back: the readable fields in the plan vocabulary, the write-only ones as recorded fingerprints', async () => {
    const { provider } = await setup();
    await provider.writer(await provider.read(scope)).writeOrganization(create(acme));
    const live = await provider.read(scope);
    const org = live.organizations.get('acme')!;
    expect(org.state).toMatchObject({
      name: 'Acme', handle: 'acme_corp', 'colors.button_color': '#0056f1', 'colors.link_color_dark': '#ffffff', 'colors.link_color': null,
      'policies.auto_membership': true, 'policies.allowed_domains': ['acme.com', 'acme.io'],
      'passkey.policy': 'mandatory', 'passkey.override_environment': true, 'feature_flags.max_seats': 50, 'feature_flags.beta': true,
    });
    expect(live.writeOnly.get('organization:acme')).toEqual(new Map([
      ['policies.auto_join_domains', writeOnlyFingerprint(true)],
      ['policies.enforce_mfa', writeOnlyFingerprint(true)],
      ['mfa.factors', writeOnlyFingerprint(['mfa:authenticator_app', 'mfa:email'])],
      ['mfa.recovery_codes', writeOnlyFingerprint(false)],
    ]));
  });

  test('a minimal org costs one POST; nothing write-only, no record', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    const calls = since(fake);
    await writer.writeOrganization(create({ name: 'Acme' }));
    expect(calls()).toEqual(['POST /api/v1/organization']);
  });

  test('a POST whose answer is lost: the org list finds it by external id, the follow-up calls use its code', async () => {
    const { fake, provider } = await setup({ timeoutMs: 200 });
    const writer = provider.writer(await provider.read(scope));
    let first = true;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/organization' || !first) return false;
      first = false;
      tenant.organizations.push(fakeOrg({ code: 'org_lost', name: 'Acme', external_id: 'acme' }));
      res.socket?.destroy();
      return true;
    };
    await writer.writeOrganization(create({ name: 'Acme', 'policies.enforce_mfa': true }));
    expect(fake.count('/api/v1/organization', 'POST')).toBe(1);
    expect(fake.tenant.organizations.map((o) => o.code)).toEqual(['org_lost']);
    expect(fake.tenant.organizations[0]!.writeOnly).toEqual({ is_enforce_mfa: true });
  });

  test('a POST answered 500 that did not create is listed, then sent again once', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    let first = true;
    fake.intercept = (req, res) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/organization' || !first) return false;
      first = false;
      reply(res, 500, '');
      return true;
    };
    await writer.writeOrganization(create({ name: 'Acme' }));
    expect(fake.count('/api/v1/organization', 'POST')).toBe(2);
    expect(fake.tenant.organizations).toHaveLength(1);
  });
});

describe('writeOrganization: update', () => {
  async function withAcme() {
    const { fake, provider } = await setup();
    await provider.writer(await provider.read(scope)).writeOrganization(create(acme));
    const live = await provider.read(scope);
    return { fake, provider, writer: provider.writer(live), code: live.organizations.get('acme')!.id, before: live.organizations.get('acme')!.state };
  }

  test('a flag value alone costs one request: PATCH with the value in the query string', async () => {
    const { fake, writer, code, before } = await withAcme();
    const after = { ...acme, 'feature_flags.max_seats': 75 };
    const calls = since(fake);
    await writer.writeOrganization(update(before, after, [{ path: 'feature_flags.max_seats', before: 50, after: 75 }]));
    expect(calls()).toEqual([`PATCH /api/v1/organizations/${code}/feature_flags/max_seats`]);
    expect(fake.tenant.organizations[0]!.flags.max_seats).toBe('75');
  });

  test('enforce_mfa alone: one PATCH of the org with just that field, then its fingerprint merged into the record', async () => {
    const { fake, writer, code, before, provider } = await withAcme();
    const after = { ...acme, 'policies.enforce_mfa': false };
    const calls = since(fake);
    await writer.writeOrganization(update(before, after, [writeOnly('policies.enforce_mfa', after)]));
    expect(calls()).toEqual([`PATCH /api/v1/organization/${code}`, expect.stringMatching(/^PATCH \/api\/v1\/environment_variables\//)]);
    expect(bodyOf(fake, 'PATCH', `/api/v1/organization/${code}`)).toEqual({ is_enforce_mfa: false });
    const recorded = (await provider.read(scope)).writeOnly.get('organization:acme')!;
    expect(recorded.get('policies.enforce_mfa')).toBe(writeOnlyFingerprint(false));
    // Merged, not replaced.
    expect(recorded.get('mfa.factors')).toBe(writeOnlyFingerprint(['mfa:authenticator_app', 'mfa:email']));
  });

  test('readable fields share one PATCH; colours and domains go by their API names', async () => {
    const { fake, writer, code, before } = await withAcme();
    const after = { ...acme, name: 'Acme Corp', 'colors.button_color': '#112233', 'policies.allowed_domains': ['acme.com'] };
    const calls = since(fake);
    await writer.writeOrganization(update(before, after, [
      { path: 'name', before: 'Acme', after: 'Acme Corp' },
      { path: 'colors.button_color', before: '#0056f1', after: '#112233' },
      { path: 'policies.allowed_domains', before: ['acme.com', 'acme.io'], after: ['acme.com'], added: [], removed: ['acme.io'] },
    ]));
    expect(calls()).toEqual([`PATCH /api/v1/organization/${code}`]);
    expect(bodyOf(fake, 'PATCH', `/api/v1/organization/${code}`)).toEqual({ name: 'Acme Corp', button_color: '#112233', allowed_domains: ['acme.com'] });
  });

  test('one MFA field changed: the PUT carries the full factors from after, and both MFA fingerprints are recorded', async () => {
    const { fake, writer, code, before, provider } = await withAcme();
    const after = { ...acme, 'mfa.recovery_codes': true };
    const calls = since(fake);
    await writer.writeOrganization(update(before, after, [writeOnly('mfa.recovery_codes', after)]));
    expect(calls()).toEqual([`PUT /api/v1/organizations/${code}/mfa`, expect.stringMatching(/^PATCH \/api\/v1\/environment_variables\//)]);
    expect(bodyOf(fake, 'PUT', `/api/v1/organizations/${code}/mfa`)).toEqual({ enabled_factors: ['mfa:authenticator_app', 'mfa:email'], is_recovery_codes_enabled: true });
    expect((await provider.read(scope)).writeOnly.get('organization:acme')!.get('mfa.recovery_codes')).toBe(writeOnlyFingerprint(true));
  });

  test('a passkey change: one PUT with both passkey fields', async () => {
    const { fake, writer, code, before } = await withAcme();
    const after = { ...acme, 'passkey.policy': 'optional' };
    const calls = since(fake);
    await writer.writeOrganization(update(before, after, [{ path: 'passkey.policy', before: 'mandatory', after: 'optional' }]));
    expect(calls()).toEqual([`PUT /api/v1/organizations/${code}/passkey`]);
    expect(bodyOf(fake, 'PUT', `/api/v1/organizations/${code}/passkey`)).toEqual({ policy: 'optional', is_override_environment_passkey_settings: true });
  });

  test('a record already saying what was written is not written again', async () => {
    const { fake, writer, before } = await withAcme();
    const calls = since(fake);
    // The plan thought it unknown (say, a record lost and re-created since), but the record holds this value.
    await writer.writeOrganization(update(before, acme, [writeOnly('policies.enforce_mfa', acme)]));
    expect(calls().filter((c) => c.includes('environment_variables'))).toEqual([]);
  });
});

describe('writeOrganization: delete', () => {
  test('DELETE by code, then the record', async () => {
    const { fake, provider } = await setup();
    await provider.writer(await provider.read(scope)).writeOrganization(create(acme));
    const live = await provider.read(scope);
    const code = live.organizations.get('acme')!.id;
    const calls = since(fake);
    await provider.writer(live).writeOrganization({ action: 'delete', type: 'organization', key: 'acme', before: live.organizations.get('acme')!.state, after: null, diff: [] });
    expect(calls()).toEqual([`DELETE /api/v1/organization/${code}`, expect.stringMatching(/^DELETE \/api\/v1\/environment_variables\//)]);
    expect(fake.tenant.organizations).toEqual([]);
    expect(fake.tenant.variables).toEqual([]);
  });

  test('never the default organization', async () => {
    const { fake, provider } = await setup();
    fake.tenant.organizations.push(fakeOrg({ code: 'org_default', name: 'Default', is_default: true, external_id: 'default' }));
    const live = await provider.read({ ...scope, organization_details: {} });
    const calls = since(fake);
    const error = (await provider.writer(live).writeOrganization({ action: 'delete', type: 'organization', key: 'default', before: {}, after: null, diff: [] }).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.code).toBe('DEFAULT_ORGANIZATION');
    expect(calls()).toEqual([]);
  });
});
