/**
 * The organization, feature flag, business, environment and environment variable operations, in success and in
 * each error case the spec declares and a client can reach, sent through `prism proxy` with the Kinde spec (as
 * conformance.test.ts does for permissions and roles). Cases Prism refuses itself (a body or query parameter the
 * spec rules out) or that the spec does not declare are covered against the emulator directly, in the other files.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emulatedOperations, startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { caller, credentials, isUserOperation, token, type Answer, type Call } from './client.js';

let emulator: KindeEmulator;
let proxy: ConformanceProxy;

beforeAll(async () => {
  // A limit the scripted flow stays under, so that the last step can provoke the 429 the spec declares.
  emulator = await startKindeEmulator({ ...credentials, rateLimit: { requests: 300, windowMs: 60_000 } });
  proxy = await startConformanceProxy(emulator.url);
});

afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

/**
 * Everything but permissions and roles (conformance.test.ts) and users (conformance-users.test.ts); GET /environment
 * is in both this flow and the first, as its tracking IDs now come from state.
 */
const settingsOperations = emulatedOperations.filter((o) => !/^\S+ \/api\/v1\/(permissions|roles)(\/|$)/.test(o) && !isUserOperation(o));

function expecting(call: Call): (status: number, method: string, path: string, body?: unknown) => Promise<Answer> {
  return async (status, method, path, body) => {
    const got = await call(method, path, body);
    expect({ request: `${method} ${path}`, status: got.status, body: got.body }).toMatchObject({ status });
    return got;
  };
}

const flagQuery = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();

test('a scripted session over organizations, flags and settings through prism proxy breaks no rule of the Kinde spec', async () => {
  const plain = caller(proxy.url, await token(proxy.url));
  const api = expecting(plain);

  // Feature flag definitions
  await api(201, 'POST', '/api/v1/feature_flags', { name: 'New checkout', description: 'The new checkout flow', key: 'new_checkout', type: 'bool', allow_override_level: 'org', default_value: 'false' });
  await api(201, 'POST', '/api/v1/feature_flags', { name: 'Theme', key: 'theme', type: 'str', allow_override_level: 'usr', default_value: 'blue' });
  await api(201, 'POST', '/api/v1/feature_flags', { name: 'Seats', key: 'seats', type: 'int', allow_override_level: 'env', default_value: '5' });
  await api(201, 'POST', '/api/v1/feature_flags', { name: 'Locked', key: 'locked', type: 'str', default_value: 'fixed' });
  await api(400, 'POST', '/api/v1/feature_flags', { name: 'Again', key: 'theme', type: 'str', default_value: 'red' });
  await api(400, 'POST', '/api/v1/feature_flags', { name: 'Bad', key: 'bad', type: 'bool', default_value: 'yes' });
  const seats = { name: 'Seats', description: 'Seat count', type: 'int', allow_override_level: 'env', default_value: '10' };
  await api(200, 'PUT', `/api/v1/feature_flags/seats?${flagQuery(seats)}`);
  await api(400, 'PUT', `/api/v1/feature_flags/nope?${flagQuery(seats)}`);
  await api(400, 'PUT', `/api/v1/feature_flags/seats?${flagQuery({ ...seats, type: 'str' })}`);
  await api(400, 'PUT', `/api/v1/feature_flags/seats?${flagQuery({ ...seats, default_value: 'ten' })}`);

  // Environment feature flags
  await api(200, 'PATCH', '/api/v1/environment/feature_flags/seats', { value: '20' });
  await api(200, 'PATCH', '/api/v1/environment/feature_flags/theme', { value: 'green' });
  await api(200, 'GET', '/api/v1/environment/feature_flags');
  await api(400, 'PATCH', '/api/v1/environment/feature_flags/seats', { value: 'many' });
  await api(400, 'PATCH', '/api/v1/environment/feature_flags/locked', { value: 'loose' });
  await api(400, 'PATCH', '/api/v1/environment/feature_flags/nope', { value: '1' });
  await api(200, 'DELETE', '/api/v1/environment/feature_flags/seats');
  await api(400, 'DELETE', '/api/v1/environment/feature_flags/nope');
  await api(200, 'DELETE', '/api/v1/environment/feature_flags');

  // Organizations
  const initial = (await api(200, 'GET', '/api/v1/organizations')).body.organizations as { code: string; is_default: boolean }[];
  const defaultOrg = initial.find((o) => o.is_default)!.code;
  const acme = (await api(200, 'POST', '/api/v1/organization', {
    name: 'Acme',
    external_id: 'acme',
    handle: 'acme',
    background_color: '#fff',
    link_color: '#0056F1',
    theme_code: 'dark',
    is_auto_membership_enabled: true,
    sender_name: 'Acme',
    sender_email: 'hello@acme.test',
    feature_flags: { theme: 'str' },
  })).body.organization.code as string;
  const globex = (await api(200, 'POST', '/api/v1/organization', { name: 'Globex', external_id: 'globex', is_create_billing_customer: true, billing_email: 'billing@globex.test' })).body.organization.code as string;
  await api(400, 'POST', '/api/v1/organization', { name: 'Acme again', external_id: 'acme' });
  await api(400, 'POST', '/api/v1/organization', { name: 'Bad colour', background_color: 'blue' });
  const orgPage = await api(200, 'GET', '/api/v1/organizations?sort=name_desc&page_size=2');
  await api(200, 'GET', `/api/v1/organizations?sort=name_desc&page_size=2&next_token=${orgPage.body.next_token}`);
  await api(200, 'GET', '/api/v1/organizations?sort=email_asc');
  await api(400, 'GET', '/api/v1/organizations?next_token=not-a-token');
  await api(200, 'GET', `/api/v1/organization?code=${acme}`);
  await api(200, 'GET', `/api/v1/organization?code=${globex}&expand=billing`);
  await api(200, 'GET', `/api/v1/organization?code=${defaultOrg}`);
  await api(400, 'GET', '/api/v1/organization?code=org_00000000000');
  await api(200, 'PATCH', `/api/v1/organization/${acme}`, {
    name: 'Acme Corp',
    allowed_domains: ['acme.test'],
    is_auto_join_domain_list: true,
    is_enable_advanced_orgs: true,
    is_enforce_mfa: true,
    is_suspended: true,
    button_color: '#000000',
    theme_code: 'light',
    sender_email: null,
  });
  await api(200, 'GET', `/api/v1/organization?code=${acme}`);
  await api(200, 'PATCH', `/api/v1/organization/${acme}?expand=billing`, { is_suspended: false });
  await api(400, 'PATCH', `/api/v1/organization/${defaultOrg}`, { is_suspended: true });
  await api(400, 'PATCH', `/api/v1/organization/${globex}`, { external_id: 'acme' });
  await api(400, 'PATCH', '/api/v1/organization/org_00000000000', { name: 'Nobody' });

  // Organization feature flags
  await api(200, 'PATCH', `/api/v1/organizations/${acme}/feature_flags/new_checkout?value=true`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/feature_flags`);
  await api(400, 'PATCH', `/api/v1/organizations/${acme}/feature_flags/new_checkout?value=maybe`);
  await api(400, 'PATCH', `/api/v1/organizations/${acme}/feature_flags/seats?value=3`);
  await api(400, 'PATCH', '/api/v1/organizations/org_00000000000/feature_flags/new_checkout?value=true');
  await api(400, 'GET', '/api/v1/organizations/org_00000000000/feature_flags');
  await api(200, 'DELETE', `/api/v1/organizations/${acme}/feature_flags/new_checkout`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/feature_flags/nope`);
  await api(200, 'DELETE', `/api/v1/organizations/${acme}/feature_flags`);
  await api(400, 'DELETE', '/api/v1/organizations/org_00000000000/feature_flags');

  // Organization MFA and passkey
  await api(200, 'PUT', `/api/v1/organizations/${acme}/mfa`, { enabled_factors: ['mfa:email', 'mfa:authenticator_app'], is_recovery_codes_enabled: false });
  await api(400, 'PUT', '/api/v1/organizations/org_00000000000/mfa', { enabled_factors: [] });
  await api(200, 'GET', `/api/v1/organizations/${acme}/passkey`);
  await api(200, 'PUT', `/api/v1/organizations/${acme}/passkey`, { policy: 'mandatory', is_override_environment_passkey_settings: true });
  await api(200, 'GET', `/api/v1/organizations/${acme}/passkey`);
  await api(200, 'PUT', `/api/v1/organizations/${acme}/passkey`, { is_override_environment_passkey_settings: false });
  await api(400, 'PUT', `/api/v1/organizations/${acme}/passkey`, {});
  await api(400, 'GET', '/api/v1/organizations/org_00000000000/passkey');
  await api(400, 'PUT', '/api/v1/organizations/org_00000000000/passkey', { policy: 'off' });

  // Business
  await api(200, 'GET', '/api/v1/business');
  await api(200, 'PATCH', '/api/v1/business', {
    business_name: 'Tailsforce Ltd',
    email: 'sally@example.com',
    industry_key: 'construction',
    timezone_key: 'los_angeles_pacific_standard_time',
    is_click_wrap: true,
    is_show_kinde_branding: false,
    phone: null,
    privacy_url: 'https://example.com/privacy',
    terms_url: 'https://example.com/terms',
    kinde_perk_code: null,
  });
  await api(200, 'GET', '/api/v1/business');
  await api(400, 'PATCH', '/api/v1/business', { industry_key: 'not-an-industry' });

  // Environment: tracking IDs set behind the API's back, MFA, passkey
  emulator.admin.setEnvironment({ google_analytics_tag: 'G-1234567', hotjar_site_id: '404009', contentsquare_tag_id: '769238b6e1309' });
  await api(200, 'GET', '/api/v1/environment');
  await api(200, 'PUT', '/api/v1/mfa', { policy: 'required', enabled_factors: ['mfa:email'], is_recovery_codes_enabled: true });
  await api(400, 'PUT', '/api/v1/mfa', { policy: 'required', enabled_factors: [] });
  await api(200, 'GET', '/api/v1/passkey');
  await api(200, 'PUT', '/api/v1/passkey', { policy: 'optional' });

  // Environment variables
  const state = (await api(201, 'POST', '/api/v1/environment_variables', { key: 'IDM_STATE', value: '{"v":1}', is_secret: false })).body.environment_variable.id as string;
  const secret = (await api(201, 'POST', '/api/v1/environment_variables', { key: 'API_KEY', value: 's3cret', is_secret: true })).body.environment_variable.id as string;
  const third = (await api(201, 'POST', '/api/v1/environment_variables', { key: 'THIRD', value: '3' })).body.environment_variable.id as string;
  await api(400, 'POST', '/api/v1/environment_variables', { key: 'IDM_STATE', value: 'again' });
  await api(200, 'GET', '/api/v1/environment_variables?page_size=2');
  await api(200, 'GET', `/api/v1/environment_variables?page_size=2&starting_after=${secret}`);
  await api(200, 'GET', `/api/v1/environment_variables?ending_before=${third}`);
  await api(400, 'GET', `/api/v1/environment_variables?starting_after=${state}&ending_before=${third}`);
  await api(200, 'GET', `/api/v1/environment_variables/${state}`);
  await api(200, 'GET', `/api/v1/environment_variables/${secret}`);
  await api(400, 'GET', '/api/v1/environment_variables/env_var_00000000000000000000000000000000');
  await api(200, 'PATCH', `/api/v1/environment_variables/${state}`, { value: '{"v":2}' });
  await api(400, 'PATCH', `/api/v1/environment_variables/${secret}`, { is_secret: false });
  await api(400, 'PATCH', '/api/v1/environment_variables/env_var_00000000000000000000000000000000', { value: 'x' });
  await api(200, 'DELETE', `/api/v1/environment_variables/${third}`);
  await api(400, 'DELETE', `/api/v1/environment_variables/${third}`);

  // Deletes
  await api(200, 'DELETE', '/api/v1/feature_flags/theme');
  await api(400, 'DELETE', '/api/v1/feature_flags/theme');
  await api(200, 'DELETE', `/api/v1/organization/${globex}`);
  await api(404, 'DELETE', `/api/v1/organization/${globex}`);
  await api(400, 'DELETE', `/api/v1/organization/${defaultOrg}`);

  // 403: a token without the scope each operation needs. Each request is otherwise valid, so Prism forwards it.
  const sample: Record<string, { path?: string; body?: unknown }> = {
    'GET /api/v1/organization': { path: `/api/v1/organization?code=${acme}` },
    'POST /api/v1/organization': { body: { name: 'Nope' } },
    'PATCH /api/v1/organization/{org_code}': { body: { name: 'Nope' } },
    'PATCH /api/v1/organizations/{org_code}/feature_flags/{feature_flag_key}': { path: `/api/v1/organizations/${acme}/feature_flags/new_checkout?value=true` },
    'PUT /api/v1/organizations/{org_code}/mfa': { body: { enabled_factors: ['mfa:email'] } },
    'PUT /api/v1/organizations/{org_code}/passkey': { body: { policy: 'off' } },
    'PATCH /api/v1/business': { body: { business_name: 'Nope' } },
    'PATCH /api/v1/environment/feature_flags/{feature_flag_key}': { body: { value: '1' } },
    'PUT /api/v1/mfa': { body: { policy: 'off', enabled_factors: [] } },
    'PUT /api/v1/passkey': { body: { policy: 'off' } },
    'POST /api/v1/feature_flags': { body: { name: 'N', key: 'k', type: 'str', default_value: 'v' } },
    'PUT /api/v1/feature_flags/{feature_flag_key}': { path: `/api/v1/feature_flags/seats?${flagQuery(seats)}` },
    'POST /api/v1/environment_variables': { body: { key: 'K', value: 'V' } },
    'PATCH /api/v1/environment_variables/{variable_id}': { body: { value: 'V' } },
  };
  const rolesOnly = expecting(caller(proxy.url, await token(proxy.url, 'read:roles')));
  for (const operation of settingsOperations) {
    const [method, template] = operation.split(' ') as [string, string];
    const path = template.replace('{org_code}', acme).replace('{feature_flag_key}', 'new_checkout').replace('{variable_id}', state);
    await rolesOnly(403, method, sample[operation]?.path ?? path, sample[operation]?.body);
  }

  expect(Object.keys(emulator.stats().byRoute).sort()).toEqual([...settingsOperations, 'POST /oauth2/token'].sort());

  // 429: use up the window (directly, which is quicker), then one call per shape of declared 429 (with and without a body).
  const direct = caller(emulator.url, await token(emulator.url));
  let limited = await direct('GET', '/api/v1/business');
  for (let i = 0; i < 400 && limited.status !== 429; i++) limited = await direct('GET', '/api/v1/business');
  expect(limited.status).toBe(429);
  await api(429, 'GET', '/api/v1/organizations');
  await api(429, 'GET', '/api/v1/environment/feature_flags');
  await api(429, 'GET', '/api/v1/environment_variables');

  expect(proxy.violations()).toEqual([]);
});
