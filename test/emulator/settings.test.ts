import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { emulatedScopes, startKindeEmulator, type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';
import { caller, credentials, token, type Call, startEmulator } from './client.js';

const start = async (options: Partial<KindeEmulatorOptions> = {}): Promise<Call> => (await startEmulator(options)).call;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idm-emulator-settings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('business', () => {
  test('a seeded business reads under the read names', async () => {
    const call = await start();
    const got = await call('GET', '/api/v1/business');
    expect(got.body).toEqual({
      code: 'OK',
      message: 'Success',
      business: {
        code: expect.stringMatching(/^bus_[0-9a-f]{11}$/),
        name: expect.any(String),
        phone: null,
        email: null,
        industry: null,
        timezone: null,
        privacy_url: null,
        terms_url: null,
        has_clickwrap: false,
        has_kinde_branding: true,
        created_on: expect.stringMatching(/Z$/),
      },
    });
  });

  test('PATCH takes the write names, GET shows the read names; keys read back as display names', async () => {
    const call = await start();
    const patched = await call('PATCH', '/api/v1/business', {
      business_name: 'Tailsforce Ltd',
      email: 'sally@example.com',
      phone: '555-555-5555',
      industry_key: 'healthcare_and_medical',
      timezone_key: 'los_angeles_pacific_standard_time',
      is_click_wrap: true,
      is_show_kinde_branding: false,
      privacy_url: 'https://example.com/privacy',
      terms_url: 'https://example.com/terms',
      kinde_perk_code: 'PERK',
    });
    expect(patched).toMatchObject({ status: 200, body: { code: 'OK', message: 'Success' } });
    const business = (await call('GET', '/api/v1/business')).body.business;
    expect(business).toMatchObject({
      name: 'Tailsforce Ltd',
      email: 'sally@example.com',
      phone: '555-555-5555',
      industry: 'Healthcare & Medical',
      timezone: 'Los Angeles (Pacific Standard Time)',
      has_clickwrap: true,
      has_kinde_branding: false,
      privacy_url: 'https://example.com/privacy',
      terms_url: 'https://example.com/terms',
    });
    expect(JSON.stringify(business)).not.toContain('PERK');

    // The read names are not write names: sending them changes nothing.
    await call('PATCH', '/api/v1/business', { name: 'Other', has_clickwrap: false });
    expect((await call('GET', '/api/v1/business')).body.business).toMatchObject({ name: 'Tailsforce Ltd', has_clickwrap: true });

    // null clears the optional details; it leaves the name and switches alone.
    await call('PATCH', '/api/v1/business', { business_name: null, is_click_wrap: null, terms_url: null, privacy_url: '', phone: null, industry_key: null });
    expect((await call('GET', '/api/v1/business')).body.business).toMatchObject({ name: 'Tailsforce Ltd', has_clickwrap: true, terms_url: null, privacy_url: null, phone: null, industry: null });
  });

  test('PATCH refuses what Kinde would not take, and changes nothing then', async () => {
    const call = await start();
    const before = (await call('GET', '/api/v1/business')).body.business;
    for (const body of [{ business_name: '' }, { email: 'not-an-email' }, { industry_key: 'alchemy' }, { timezone_key: 'mars' }, { terms_url: 'example.com/terms' }, { is_click_wrap: 'yes' }, { business_name: 'X', privacy_url: 'ftp://x' }]) {
      expect({ body, status: (await call('PATCH', '/api/v1/business', body)).status }).toEqual({ body, status: 400 });
    }
    expect((await call('PATCH', '/api/v1/business')).status).toBe(400);
    expect((await call('GET', '/api/v1/business')).body.business).toEqual(before);
  });
});

describe('environment', () => {
  test('tracking IDs come from state: options at start, then the admin hook; the API has no way to set them', async () => {
    const { emulator, call } = await startEmulator({ environment: { google_analytics_tag: 'G-1234567' } });
    const read = async () => (await call('GET', '/api/v1/environment')).body.environment;
    expect(await read()).toMatchObject({ google_analytics_tag: 'G-1234567', hotjar_site_id: null, contentsquare_tag_id: null });
    emulator.admin.setEnvironment({ hotjar_site_id: '404009', contentsquare_tag_id: '769238b6e1309' });
    expect(await read()).toMatchObject({ google_analytics_tag: 'G-1234567', hotjar_site_id: '404009', contentsquare_tag_id: '769238b6e1309' });
    emulator.admin.setEnvironment({ google_analytics_tag: null, hotjar_site_id: '' });
    expect(await read()).toMatchObject({ google_analytics_tag: null, hotjar_site_id: null, contentsquare_tag_id: '769238b6e1309' });
    expect(() => emulator.admin.setEnvironment({ gtm_id: 'x' } as never)).toThrow(/Unknown environment setting/);
    expect(() => emulator.admin.setEnvironment({ hotjar_site_id: 404009 } as never)).toThrow(/string or null/);
    for (const method of ['PATCH', 'PUT', 'POST']) expect((await call(method, '/api/v1/environment', { google_analytics_tag: 'G-1' })).status).toBe(404);
    await expect(startKindeEmulator({ ...credentials, environment: { hotjar: '1' } as never })).rejects.toMatchObject({ code: 'EMULATOR_OPTIONS_INVALID' });
  });

  test('MFA is replaced with PUT and has no GET; a policy that asks for MFA needs a factor', async () => {
    const call = await start();
    expect(await call('PUT', '/api/v1/mfa', { policy: 'optional', enabled_factors: ['mfa:authenticator_app'], is_recovery_codes_enabled: false })).toMatchObject({ status: 200, body: { code: 'OK' } });
    expect((await call('PUT', '/api/v1/mfa', { policy: 'off', enabled_factors: [] })).status).toBe(200);
    for (const body of [{ policy: 'required', enabled_factors: [] }, { enabled_factors: ['mfa:email'] }, { policy: 'always', enabled_factors: ['mfa:email'] }, { policy: 'optional' }, { policy: 'optional', enabled_factors: ['mfa:fax'] }]) {
      expect({ body, status: (await call('PUT', '/api/v1/mfa', body)).status }).toEqual({ body, status: 400 });
    }
    expect((await call('GET', '/api/v1/mfa')).status).toBe(404);
  });

  test('passkey policy: off by default, readable after PUT', async () => {
    const call = await start();
    expect((await call('GET', '/api/v1/passkey')).body).toEqual({ code: 'OK', message: 'Success', enabled: false, policy: 'off' });
    expect((await call('PUT', '/api/v1/passkey', { policy: 'mandatory' })).body).toEqual({ code: 'OK', message: 'Success', enabled: true, policy: 'mandatory' });
    expect((await call('GET', '/api/v1/passkey')).body).toMatchObject({ enabled: true, policy: 'mandatory' });
    expect((await call('PUT', '/api/v1/passkey', {})).status).toBe(400);
  });
});

describe('environment variables', () => {
  async function create(call: Call, key: string, value: string, isSecret?: boolean): Promise<string> {
    const got = await call('POST', '/api/v1/environment_variables', { key, value, ...(isSecret === undefined ? {} : { is_secret: isSecret }) });
    expect(got.status).toBe(201);
    return got.body.environment_variable.id as string;
  }

  test('create answers 201 with the id; reads never show a secret value', async () => {
    const call = await start();
    const created = await call('POST', '/api/v1/environment_variables', { key: 'IDM_STATE', value: '{"v":1}' });
    expect(created.body).toEqual({ message: 'Environment variable created', code: 'VARIABLE_CREATED', environment_variable: { id: expect.stringMatching(/^env_var_[0-9a-f]{32}$/) } });
    const plain = created.body.environment_variable.id;
    const secret = await create(call, 'API_KEY', 's3cret', true);
    const got = await call('GET', `/api/v1/environment_variables/${plain}`);
    expect(got.body).toEqual({ code: 'OK', message: 'Success', environment_variable: { id: plain, key: 'IDM_STATE', value: '{"v":1}', is_secret: false, created_on: expect.stringMatching(/Z$/) } });
    expect((await call('GET', `/api/v1/environment_variables/${secret}`)).body.environment_variable).toMatchObject({ key: 'API_KEY', value: null, is_secret: true });
    const list = await call('GET', '/api/v1/environment_variables');
    expect(list.body).toMatchObject({ code: 'OK', message: 'Success', has_more: false });
    expect(list.body.environment_variables.map((v: { key: string; value: string | null }) => [v.key, v.value])).toEqual([['IDM_STATE', '{"v":1}'], ['API_KEY', null]]);
    expect(JSON.stringify(list.body)).not.toContain('s3cret');
  });

  test('keys are unique and at most 128 characters, values at most 2048; unknown ids are 400', async () => {
    const call = await start();
    const id = await create(call, 'A', 'a');
    await create(call, 'B', 'b');
    for (const body of [{ key: 'A', value: 'again' }, { key: 'k'.repeat(129), value: 'v' }, { key: 'K', value: 'v'.repeat(2049) }, { value: 'v' }, { key: 'K' }, { key: '', value: 'v' }, { key: 'K', value: 'v', is_secret: 'yes' }]) {
      expect({ body, status: (await call('POST', '/api/v1/environment_variables', body)).status }).toEqual({ body, status: 400 });
    }
    await create(call, 'k'.repeat(128), 'v'.repeat(2048));
    expect((await call('PATCH', `/api/v1/environment_variables/${id}`, { key: 'B' })).body.errors[0].code).toBe('ENVIRONMENT_VARIABLE_ALREADY_EXISTS');
    expect((await call('PATCH', `/api/v1/environment_variables/${id}`, { key: 'A', value: 'same key is fine' })).status).toBe(200);
    const missing = 'env_var_00000000000000000000000000000000';
    for (const method of ['GET', 'PATCH', 'DELETE']) expect((await call(method, `/api/v1/environment_variables/${missing}`, method === 'PATCH' ? { value: 'x' } : undefined)).body.errors[0].code).toBe('ENVIRONMENT_VARIABLE_NOT_FOUND');
  });

  test('PATCH and DELETE answer with their own codes; a secret stays secret', async () => {
    const call = await start();
    const id = await create(call, 'TOKEN', 'visible');
    expect((await call('PATCH', `/api/v1/environment_variables/${id}`, { value: 'hidden', is_secret: true })).body).toEqual({ message: 'Environment variable updated', code: 'ENVIRONMENT_VARIABLE_UPDATED' });
    expect((await call('GET', `/api/v1/environment_variables/${id}`)).body.environment_variable).toMatchObject({ value: null, is_secret: true });
    const unsecret = await call('PATCH', `/api/v1/environment_variables/${id}`, { is_secret: false });
    expect(unsecret.status).toBe(400);
    expect(unsecret.body.errors[0].code).toBe('ENVIRONMENT_VARIABLE_IS_SECRET');
    expect((await call('PATCH', `/api/v1/environment_variables/${id}`, { value: 'rotated' })).status).toBe(200);
    expect((await call('DELETE', `/api/v1/environment_variables/${id}`)).body).toEqual({ message: 'Environment variable deleted', code: 'ENVIRONMENT_VARIABLE_DELETED' });
    expect((await call('GET', '/api/v1/environment_variables')).body.environment_variables).toEqual([]);
  });

  test('lists page by cursor: page_size (default 10), starting_after, ending_before, has_more', async () => {
    const call = await start();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await create(call, `V${String(i).padStart(2, '0')}`, String(i)));
    const keysOf = (body: { environment_variables: { key: string }[] }) => body.environment_variables.map((v) => v.key);

    const first = (await call('GET', '/api/v1/environment_variables')).body;
    expect([keysOf(first).length, first.has_more]).toEqual([10, true]);
    const pages: string[][] = [];
    let after: string | undefined;
    let more = true;
    while (more) {
      const page = (await call('GET', `/api/v1/environment_variables?page_size=5${after ? `&starting_after=${after}` : ''}`)).body;
      pages.push(keysOf(page));
      more = page.has_more;
      after = page.environment_variables.at(-1).id;
    }
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(Array.from({ length: 12 }, (_, i) => `V${String(i).padStart(2, '0')}`));

    const before = (await call('GET', `/api/v1/environment_variables?page_size=3&ending_before=${ids[5]}`)).body;
    expect([keysOf(before), before.has_more]).toEqual([['V02', 'V03', 'V04'], true]);
    const head = (await call('GET', `/api/v1/environment_variables?page_size=3&ending_before=${ids[2]}`)).body;
    expect([keysOf(head), head.has_more]).toEqual([['V00', 'V01'], false]);

    const both = await call('GET', `/api/v1/environment_variables?starting_after=${ids[0]}&ending_before=${ids[5]}`);
    expect(both.status).toBe(400);
    expect(both.body.errors[0].message).toBe('Only one of starting_after or ending_before may be specified');
    expect((await call('GET', '/api/v1/environment_variables?starting_after=env_var_gone')).status).toBe(400);
    expect((await call('GET', '/api/v1/environment_variables?page_size=0')).status).toBe(400);
  });
});

describe('scopes and stats', () => {
  test('every new operation checks its scope; all of them are granted by default', async () => {
    for (const scope of ['read:organizations', 'create:organizations', 'update:organizations', 'delete:organizations', 'read:organization_feature_flags', 'update:organization_feature_flags', 'delete:organization_feature_flags', 'update:organization_mfa', 'read:organization_passkey', 'update:organization_passkey', 'read:businesses', 'update:businesses', 'read:environment_feature_flags', 'update:environment_feature_flags', 'delete:environment_feature_flags', 'update:mfa', 'read:passkey', 'update:passkey', 'create:feature_flags', 'update:feature_flags', 'delete:feature_flags', 'read:environment_variables', 'create:environment_variables', 'update:environment_variables', 'delete:environment_variables']) {
      expect(emulatedScopes).toContain(scope);
    }
    const { emulator } = await startEmulator();
    const readOnly = caller(emulator.url, await token(emulator.url, 'read:organizations read:businesses'));
    expect((await readOnly('GET', '/api/v1/organizations')).status).toBe(200);
    const refused = await readOnly('POST', '/api/v1/organization', { name: 'Nope' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].message).toContain('create:organizations');
    expect((await readOnly('PATCH', '/api/v1/business', { business_name: 'Nope' })).body.errors[0].message).toContain('update:businesses');
    expect((await readOnly('GET', '/api/v1/environment/feature_flags')).body.errors[0].message).toContain('read:environment_feature_flags');
  });

  test('requests are counted per route template', async () => {
    const { emulator, call } = await startEmulator();
    const org = (await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code;
    await call('GET', `/api/v1/organization?code=${org}`);
    await call('PATCH', `/api/v1/organizations/${org}/feature_flags/nope?value=1`);
    expect(emulator.stats().byRoute).toEqual({
      'POST /oauth2/token': 1,
      'POST /api/v1/organization': 1,
      'GET /api/v1/organization': 1,
      'PATCH /api/v1/organizations/{org_code}/feature_flags/{feature_flag_key}': 1,
    });
    expect(emulator.stats().replies).toMatchObject({ 'PATCH /api/v1/organizations/{org_code}/feature_flags/{feature_flag_key} 400': 1 });
  });
});

describe('persistence', () => {
  test('organizations, flags, overrides, business, settings and variables survive a restart, write-only fields included', async () => {
    const dataFile = join(dir, 'settings.json');
    const before = await startEmulator({ dataFile });
    const call = before.call;
    await call('POST', '/api/v1/feature_flags', { name: 'Beta', key: 'beta', type: 'bool', default_value: 'false', allow_override_level: 'org' });
    const org = (await call('POST', '/api/v1/organization', { name: 'Acme', external_id: 'acme', link_color: '#0056F1' })).body.organization.code;
    await call('PATCH', `/api/v1/organization/${org}`, { allowed_domains: ['acme.test'], is_enforce_mfa: true });
    await call('PATCH', `/api/v1/organizations/${org}/feature_flags/beta?value=true`);
    await call('PUT', `/api/v1/organizations/${org}/mfa`, { enabled_factors: ['mfa:sms'] });
    await call('PUT', `/api/v1/organizations/${org}/passkey`, { policy: 'optional' });
    await call('PATCH', '/api/v1/environment/feature_flags/beta', { value: 'false' });
    await call('PATCH', '/api/v1/business', { business_name: 'Persisted Ltd', is_click_wrap: true });
    await call('PUT', '/api/v1/mfa', { policy: 'required', enabled_factors: ['mfa:email'] });
    await call('PUT', '/api/v1/passkey', { policy: 'mandatory' });
    await call('POST', '/api/v1/environment_variables', { key: 'IDM_STATE', value: 'v1' });
    before.emulator.admin.setEnvironment({ google_analytics_tag: 'G-1' });

    const reads = ['/api/v1/organizations', `/api/v1/organization?code=${org}`, `/api/v1/organizations/${org}/feature_flags`, `/api/v1/organizations/${org}/passkey`, '/api/v1/environment/feature_flags', '/api/v1/business', '/api/v1/passkey', '/api/v1/environment_variables', '/api/v1/environment'];
    // The port, and so kinde_domain, changes with the restart; everything else must not.
    const readAll = (from: Call) =>
      Promise.all(reads.map(async (path) => {
        const { body } = await from('GET', path);
        if (body.environment) delete body.environment.kinde_domain;
        return body;
      }));
    const seen = await readAll(call);
    await before.emulator.close();

    const saved = JSON.parse(await readFile(dataFile, 'utf8'));
    expect(saved.version).toBe(3);
    expect(saved.organizations.find((o: { code: string }) => o.code === org).writeOnly).toEqual({ isAutoJoinDomainList: false, isEnableAdvancedOrgs: false, isEnforceMfa: true, mfa: { enabledFactors: ['mfa:sms'], isRecoveryCodesEnabled: true } });
    expect(saved.mfa).toEqual({ policy: 'required', enabledFactors: ['mfa:email'], isRecoveryCodesEnabled: true });

    const after = await startEmulator({ dataFile });
    expect(await readAll(after.call)).toEqual(seen);
  });

  test('a version 1 file (permissions and roles only) still loads, with a default organization and a business', async () => {
    const dataFile = join(dir, 'v1.json');
    const permission = { id: '0192c16a-bb53-b442-77e5-97d31877ba5b', seq: 1, key: 'read:x', name: 'Read x', description: null };
    const role = { id: '0192c16a-bb53-b442-77e5-97d31877ba5c', seq: 2, key: 'admin', name: 'Admin', description: null, isDefault: false, permissions: [permission.id] };
    await writeFile(dataFile, JSON.stringify({ version: 1, createdOn: '2026-01-02T03:04:05Z', nextSeq: 3, permissions: [permission], roles: [role] }));
    const { emulator, call } = await startEmulator({ dataFile });
    expect((await call('GET', '/api/v1/permissions')).body.permissions).toEqual([{ id: permission.id, key: 'read:x', name: 'Read x' }]);
    expect((await call('GET', `/api/v1/roles/${role.id}/permissions`)).body.permissions).toHaveLength(1);
    const orgs = (await call('GET', '/api/v1/organizations')).body.organizations;
    expect(orgs).toEqual([expect.objectContaining({ name: 'Default Organization', is_default: true })]);
    expect((await call('GET', `/api/v1/organization?code=${orgs[0].code}`)).body.created_on).toBe('2026-01-02T03:04:05Z');
    expect((await call('GET', '/api/v1/business')).body.business.created_on).toBe('2026-01-02T03:04:05Z');
    // A new permission still sorts after the old ones: creation order carries on.
    await call('POST', '/api/v1/permissions', { key: 'a:first-by-name', name: 'A' });
    expect((await call('GET', '/api/v1/permissions')).body.permissions.map((p: { key: string }) => p.key)).toEqual(['read:x', 'a:first-by-name']);
    await emulator.close();
    expect(JSON.parse(await readFile(dataFile, 'utf8')).version).toBe(3);
  });
});
