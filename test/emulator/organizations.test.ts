import { describe, expect, test } from 'vitest';
import { type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';
import { type Call, startEmulator } from './client.js';

const start = async (options: Partial<KindeEmulatorOptions> = {}): Promise<Call> => (await startEmulator(options)).call;

async function createOrg(call: Call, body: object): Promise<string> {
  const got = await call('POST', '/api/v1/organization', body);
  expect(got.status).toBe(200);
  return got.body.organization.code as string;
}

async function defaultOrgCode(call: Call): Promise<string> {
  const list = await call('GET', '/api/v1/organizations');
  return list.body.organizations.find((o: { is_default: boolean }) => o.is_default).code as string;
}

const getOrg = async (call: Call, code: string) => (await call('GET', `/api/v1/organization?code=${code}`)).body;

const writeOnly = ['is_auto_join_domain_list', 'is_enable_advanced_orgs', 'is_enforce_mfa'];

describe('organizations', () => {
  test('a tenant starts with the default organization, which can be renamed but neither deleted nor suspended', async () => {
    const call = await start();
    const list = await call('GET', '/api/v1/organizations');
    expect(list.body).toEqual({
      code: 'OK',
      message: 'Success',
      organizations: [{ code: expect.stringMatching(/^org_[0-9a-f]{11}$/), name: 'Default Organization', handle: null, is_default: true, external_id: null, is_auto_membership_enabled: false }],
    });
    const code = list.body.organizations[0].code;
    const deleted = await call('DELETE', `/api/v1/organization/${code}`);
    expect(deleted.status).toBe(400);
    expect(deleted.body.errors[0].code).toBe('CANNOT_DELETE_DEFAULT_ORGANIZATION');
    const suspended = await call('PATCH', `/api/v1/organization/${code}`, { is_suspended: true });
    expect(suspended.status).toBe(400);
    expect(suspended.body.errors[0].message).toContain('cannot be suspended');
    expect(await call('PATCH', `/api/v1/organization/${code}`, { name: 'Everyone' })).toMatchObject({ status: 200, body: { code: 'OK', message: 'Success' } });
    expect(await getOrg(call, code)).toMatchObject({ code, name: 'Everyone', is_default: true, is_suspended: false });
  });

  test('create answers 200 with the new code; GET returns the fields at the top level, colours as {raw, hex, hsl}', async () => {
    const call = await start();
    const created = await call('POST', '/api/v1/organization', { name: 'Acme', external_id: 'acme', handle: 'acme_corp', background_color: '#fff', link_color: '#0056F1', theme_code: 'dark', is_auto_membership_enabled: true });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ code: 'OK', message: 'Success', organization: { code: expect.stringMatching(/^org_[0-9a-f]{11}$/) } });
    const code = created.body.organization.code;
    const org = await getOrg(call, code);
    expect(org).toMatchObject({
      code,
      name: 'Acme',
      handle: 'acme_corp',
      is_default: false,
      external_id: 'acme',
      is_auto_membership_enabled: true,
      is_allow_registrations: true,
      allowed_domains: [],
      background_color: { raw: '#fff', hex: '#ffffff', hsl: 'hsl(0, 0%, 100%)' },
      link_color: { raw: '#0056F1', hex: '#0056F1', hsl: 'hsl(219, 100%, 47%)' },
      button_color: null,
      theme_code: 'dark',
      color_scheme: 'dark',
      is_suspended: false,
      suspended_on: null,
      created_on: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    // No success envelope: `code` is the org code, and there is no message.
    expect(org).not.toHaveProperty('message');
    expect(org).not.toHaveProperty('billing');
  });

  test('write-only fields are stored but never returned; allowed_domains is update-only and create ignores it', async () => {
    const call = await start();
    const code = await createOrg(call, { name: 'Acme', allowed_domains: ['ignored.test'], is_enforce_mfa: true });
    expect((await getOrg(call, code)).allowed_domains).toEqual([]);
    const patched = await call('PATCH', `/api/v1/organization/${code}`, { allowed_domains: ['acme.test', 'acme.example'], is_auto_join_domain_list: true, is_enable_advanced_orgs: true, is_enforce_mfa: true });
    expect(patched.status).toBe(200);
    const org = await getOrg(call, code);
    expect(org.allowed_domains).toEqual(['acme.test', 'acme.example']);
    for (const field of writeOnly) expect(org).not.toHaveProperty(field);
    const listed = (await call('GET', '/api/v1/organizations')).body.organizations.find((o: { code: string }) => o.code === code);
    for (const field of writeOnly) expect(listed).not.toHaveProperty(field);
  });

  test('PATCH changes only what it is given; "" clears a colour or external_id; suspension records when', async () => {
    const call = await start();
    const code = await createOrg(call, { name: 'Acme', external_id: 'acme', button_color: '#123456', sender_name: 'Acme', sender_email: 'hi@acme.test' });
    expect((await call('PATCH', `/api/v1/organization/${code}`, { button_color: '', external_id: '', sender_email: null, is_suspended: true })).status).toBe(200);
    const org = await getOrg(call, code);
    expect(org).toMatchObject({ name: 'Acme', button_color: null, external_id: null, sender_name: 'Acme', sender_email: null, is_suspended: true, suspended_on: expect.any(String) });
    await call('PATCH', `/api/v1/organization/${code}`, { is_suspended: false });
    expect(await getOrg(call, code)).toMatchObject({ is_suspended: false, suspended_on: null });
    await call('PATCH', `/api/v1/organization/${code}`, { theme_code: 'user_preference' });
    expect((await getOrg(call, code)).color_scheme).toBe('light dark');
  });

  test('external_id and handle are unique; colours must be hex; bad input leaves the org unchanged', async () => {
    const call = await start();
    const acme = await createOrg(call, { name: 'Acme', external_id: 'acme', handle: 'acme' });
    const globex = await createOrg(call, { name: 'Globex', external_id: 'globex' });
    const duplicate = await call('POST', '/api/v1/organization', { name: 'Other', external_id: 'acme' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0].code).toBe('ORGANIZATION_EXTERNAL_ID_ALREADY_EXISTS');
    expect((await call('POST', '/api/v1/organization', { name: 'Other', handle: 'acme' })).status).toBe(400);
    expect((await call('PATCH', `/api/v1/organization/${globex}`, { name: 'Renamed', external_id: 'acme' })).status).toBe(400);
    expect((await getOrg(call, globex)).name).toBe('Globex');
    // Restating an org's own external id is no conflict.
    expect((await call('PATCH', `/api/v1/organization/${acme}`, { external_id: 'acme' })).status).toBe(200);
    for (const bad of ['blue', '#12345', 'fff', '#ggg']) {
      const got = await call('POST', '/api/v1/organization', { name: 'Bad', background_color: bad });
      expect(got.status).toBe(400);
      expect(got.body.errors[0].code).toBe('INVALID_COLOR');
    }
    expect((await call('POST', '/api/v1/organization', {})).status).toBe(400);
    expect((await call('POST', '/api/v1/organization', { name: 'Theme', theme_code: 'neon' })).status).toBe(400);
  });

  test('list pages with next_token and sorts by name; get needs ?code= and knows only billing as expand', async () => {
    const call = await start();
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo']) await createOrg(call, { name });
    const names: string[] = [];
    let next: string | undefined;
    do {
      const page = await call('GET', `/api/v1/organizations?sort=name_asc&page_size=2${next ? `&next_token=${next}` : ''}`);
      expect(page.status).toBe(200);
      names.push(...page.body.organizations.map((o: { name: string }) => o.name));
      next = page.body.next_token;
    } while (next);
    expect(names).toEqual(['Bravo', 'Charlie', 'Default Organization', 'Delta', 'alpha']);
    expect((await call('GET', '/api/v1/organizations?sort=sideways')).status).toBe(400);

    expect((await call('GET', '/api/v1/organization')).status).toBe(400);
    const missing = await call('GET', '/api/v1/organization?code=org_00000000000');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].code).toBe('ORGANIZATION_NOT_FOUND');
    const billed = await createOrg(call, { name: 'Billed', is_create_billing_customer: true, billing_email: 'billing@billed.test' });
    expect((await getOrg(call, billed))).not.toHaveProperty('billing');
    const withBilling = await call('GET', `/api/v1/organization?code=${billed}&expand=billing`);
    expect(withBilling.body.billing).toEqual({ billing_customer_id: expect.stringMatching(/^customer_/), agreements: [] });
    expect((await call('GET', `/api/v1/organization?code=${billed}&expand=users`)).status).toBe(400);
    expect((await call('POST', '/api/v1/organization', { name: 'No email', is_create_billing_customer: true })).status).toBe(400);
  });

  test('delete answers 200, then the declared 404 with errors as an object; other operations on a gone org are 400', async () => {
    const call = await start();
    const code = await createOrg(call, { name: 'Doomed' });
    expect(await call('DELETE', `/api/v1/organization/${code}`)).toMatchObject({ status: 200, body: { code: 'OK' } });
    const again = await call('DELETE', `/api/v1/organization/${code}`);
    expect(again).toMatchObject({ status: 404, body: { errors: { code: 'ORGANIZATION_NOT_FOUND' } } });
    expect(Array.isArray(again.body.errors)).toBe(false);
    for (const [method, path, body] of [
      ['GET', `/api/v1/organization?code=${code}`],
      ['PATCH', `/api/v1/organization/${code}`, { name: 'Back' }],
      ['GET', `/api/v1/organizations/${code}/feature_flags`],
      ['GET', `/api/v1/organizations/${code}/passkey`],
      ['PUT', `/api/v1/organizations/${code}/mfa`, { enabled_factors: [] }],
    ] as const) {
      const got = await call(method, path, body);
      expect({ path, status: got.status, code: got.body.errors[0].code }).toEqual({ path, status: 400, code: 'ORGANIZATION_NOT_FOUND' });
    }
  });
});

describe('organization MFA and passkey', () => {
  test('MFA is replaced with PUT and never readable; factors are checked', async () => {
    const call = await start();
    const code = await createOrg(call, { name: 'Acme' });
    const put = await call('PUT', `/api/v1/organizations/${code}/mfa`, { enabled_factors: ['mfa:email', 'mfa:sms'], is_recovery_codes_enabled: false });
    expect(put).toMatchObject({ status: 200, body: { code: 'OK', message: 'Success' } });
    expect((await call('PUT', `/api/v1/organizations/${code}/mfa`, { enabled_factors: ['mfa:pigeon'] })).status).toBe(400);
    expect((await call('PUT', `/api/v1/organizations/${code}/mfa`, { is_recovery_codes_enabled: true })).status).toBe(400);
    expect((await call('GET', `/api/v1/organizations/${code}/mfa`)).status).toBe(404);
    expect(JSON.stringify(await getOrg(call, code))).not.toContain('mfa:');
  });

  test('passkey follows the environment until overridden, and again after the override is dropped', async () => {
    const call = await start();
    const code = await createOrg(call, { name: 'Acme' });
    const path = `/api/v1/organizations/${code}/passkey`;
    expect((await call('GET', path)).body).toEqual({ code: 'OK', message: 'Success', enabled: false, policy: 'off', is_override_environment_passkey_settings: false, environment_policy: 'off' });
    await call('PUT', '/api/v1/passkey', { policy: 'optional' });
    expect((await call('GET', path)).body).toMatchObject({ enabled: true, policy: 'optional', is_override_environment_passkey_settings: false, environment_policy: 'optional' });

    const put = await call('PUT', path, { policy: 'mandatory', is_override_environment_passkey_settings: true });
    expect(put.body).toEqual({ code: 'OK', message: 'Success', enabled: true, policy: 'mandatory', is_override_environment_passkey_settings: true });
    await call('PUT', '/api/v1/passkey', { policy: 'off' });
    expect((await call('GET', path)).body).toMatchObject({ enabled: true, policy: 'mandatory', is_override_environment_passkey_settings: true, environment_policy: 'off' });

    expect((await call('PUT', path, { is_override_environment_passkey_settings: false })).body).toMatchObject({ enabled: false, policy: 'off', is_override_environment_passkey_settings: false });
    expect((await call('PUT', path, { is_override_environment_passkey_settings: true })).status).toBe(400);
    expect((await call('PUT', path, {})).status).toBe(400);
    expect((await call('PUT', path, { policy: 'always' })).status).toBe(400);
    // A policy alone means overriding.
    expect((await call('PUT', path, { policy: 'optional' })).body).toMatchObject({ policy: 'optional', is_override_environment_passkey_settings: true });
  });
});
