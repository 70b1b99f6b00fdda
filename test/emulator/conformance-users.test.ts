/**
 * The user, identity, password, membership, user flag override and property operations, in success and in each
 * error case the spec declares, sent through `prism proxy` with the Kinde spec (as conformance.test.ts does for
 * permissions and roles). Set-up the other flows cover (roles, permissions, flags, organizations) goes to the
 * emulator directly. Cases Prism refuses itself, and the errors of operations that declare no 400 (an unknown user
 * in GET …/users/{user_id}/roles, say), are covered against the emulator directly in users.test.ts and
 * organization-users.test.ts.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { emulatedOperations, startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { caller, credentials, isUserOperation, token, type Answer, type Call } from './client.js';

let emulator: KindeEmulator;
let proxy: ConformanceProxy;

beforeAll(async () => {
  // A limit the scripted flow stays under, so that the last step can provoke the 429 the spec declares.
  emulator = await startKindeEmulator({ ...credentials, rateLimit: { requests: 500, windowMs: 60_000 } });
  proxy = await startConformanceProxy(emulator.url);
});

afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

const userOperations = emulatedOperations.filter(isUserOperation);

function expecting(call: Call): (status: number, method: string, path: string, body?: unknown) => Promise<Answer> {
  return async (status, method, path, body) => {
    const got = await call(method, path, body);
    expect({ request: `${method} ${path}`, status: got.status, body: got.body }).toMatchObject({ status });
    return got;
  };
}

const nobody = 'kp_00000000000000000000000000000000';
const noIdentity = 'identity_00000000000000000000000000000000';
const noOrg = 'org_00000000000';

test('a scripted session over users, identities, memberships and properties through prism proxy breaks no rule of the Kinde spec', async () => {
  const api = expecting(caller(proxy.url, await token(proxy.url)));
  const direct = expecting(caller(emulator.url, await token(emulator.url)));

  // Set-up, straight to the emulator: roles, permissions, flags, an organization, connections.
  await direct(201, 'POST', '/api/v1/permissions', { key: 'read:reports', name: 'Read reports', description: 'See reports' });
  await direct(201, 'POST', '/api/v1/permissions', { key: 'write:reports', name: 'Write reports' });
  const permissions = (await direct(200, 'GET', '/api/v1/permissions')).body.permissions as { id: string; key: string }[];
  const permission = (key: string): string => permissions.find((p) => p.key === key)!.id;
  const manager = (await direct(201, 'POST', '/api/v1/roles', { key: 'manager', name: 'Manager', description: 'Runs things' })).body.role.id as string;
  const member = (await direct(201, 'POST', '/api/v1/roles', { key: 'member', name: 'Member' })).body.role.id as string;
  await direct(200, 'PATCH', `/api/v1/roles/${manager}/permissions`, { permissions: [{ id: permission('read:reports') }] });
  await direct(201, 'POST', '/api/v1/feature_flags', { name: 'Theme', key: 'theme', type: 'str', allow_override_level: 'usr', default_value: 'blue' });
  await direct(201, 'POST', '/api/v1/feature_flags', { name: 'Seats', key: 'seats', type: 'int', allow_override_level: 'usr', default_value: '5' });
  await direct(201, 'POST', '/api/v1/feature_flags', { name: 'Beta', key: 'beta', type: 'bool', allow_override_level: 'org', default_value: 'false' });
  const acme = (await direct(200, 'POST', '/api/v1/organization', { name: 'Acme', external_id: 'acme' })).body.organization.code as string;
  const google = emulator.admin.defineConnection({ strategy: 'oauth2:google' });
  const okta = emulator.admin.defineConnection({ strategy: 'saml:okta', name: 'Okta' });

  // Users
  const ada = (await api(200, 'POST', '/api/v1/user', {
    profile: { given_name: 'Ada', family_name: 'Lovelace', picture: 'https://example.com/ada.png' },
    organization_code: acme,
    provided_id: 'ext-ada',
    identities: [
      { type: 'email', is_verified: true, details: { email: 'ada@example.com' } },
      { type: 'phone', is_verified: false, details: { phone: '+61426148233', phone_country_id: 'au' } },
      { type: 'username', details: { username: 'ada' } },
    ],
  })).body.id as string;
  const bob = (await api(200, 'POST', '/api/v1/user', { identities: [{ type: 'email', details: { email: 'bob@example.com' } }] })).body.id as string;
  const bare = (await api(200, 'POST', '/api/v1/user')).body.id as string;
  await api(400, 'POST', '/api/v1/user', { identities: [{ type: 'email', details: { email: 'ADA@example.com' } }] });
  await api(400, 'POST', '/api/v1/user', { identities: [{ type: 'username', details: { username: 'ADA' } }] });
  await api(400, 'POST', '/api/v1/user', { identities: [{ type: 'email', details: { email: 'not-an-email' } }] });
  await api(400, 'POST', '/api/v1/user', { organization_code: noOrg, identities: [{ type: 'email', details: { email: 'cy@example.com' } }] });
  await api(400, 'POST', '/api/v1/user', { provided_id: 'ext-ada' });

  const firstPage = await api(200, 'GET', '/api/v1/users?page_size=1');
  await api(200, 'GET', `/api/v1/users?page_size=1&next_token=${firstPage.body.next_token}`);
  await api(200, 'GET', '/api/v1/users?expand=organizations,identities,billing&page_size=500');
  await api(200, 'GET', `/api/v1/users?user_id=${ada},${bob}&email=ada@example.com&expand=organizations`);
  await api(200, 'GET', '/api/v1/users?username=ada&phone=%2B61426148233');
  await api(200, 'GET', '/api/v1/users?has_organization=true&active_since=2026-01-01T00:00:00Z');
  await api(400, 'GET', '/api/v1/users?next_token=not-a-token');
  await api(400, 'GET', '/api/v1/users?expand=friends');
  await api(200, 'GET', `/api/v1/user?id=${ada}`);
  await api(200, 'GET', `/api/v1/user?id=${ada}&expand=organizations,identities`);
  await api(200, 'GET', `/api/v1/user?id=${bare}`);
  await api(400, 'GET', `/api/v1/user?id=${nobody}`);
  await api(200, 'PATCH', `/api/v1/user?id=${bob}`, { given_name: 'Bob', family_name: 'Builder', is_suspended: true, is_password_reset_requested: true, provided_id: 'ext-bob' });
  await api(200, 'PATCH', `/api/v1/user?id=${bare}`, { picture: 'https://example.com/bare.png' });
  await api(400, 'PATCH', `/api/v1/user?id=${bob}`, { provided_id: 'ext-ada' });
  await api(400, 'PATCH', `/api/v1/user?id=${nobody}`, { given_name: 'Nobody' });

  // Identities
  const adaIdentities = (await api(200, 'GET', `/api/v1/users/${ada}/identities`)).body.identities as { id: string; type: string }[];
  await api(200, 'GET', `/api/v1/users/${ada}/identities?starting_after=${adaIdentities[0]!.id}`);
  await api(200, 'GET', `/api/v1/users/${ada}/identities?ending_before=${adaIdentities[2]!.id}`);
  await api(400, 'GET', `/api/v1/users/${ada}/identities?starting_after=${adaIdentities[0]!.id}&ending_before=${adaIdentities[2]!.id}`);
  await api(400, 'GET', `/api/v1/users/${nobody}/identities`);
  const work = (await api(201, 'POST', `/api/v1/users/${ada}/identities`, { type: 'email', value: 'ada@work.example.com' })).body.identity.id as string;
  await api(201, 'POST', `/api/v1/users/${ada}/identities`, { type: 'username', value: 'countess' });
  await api(201, 'POST', `/api/v1/users/${ada}/identities`, { type: 'phone', value: '+442071838750', phone_country_id: 'gb' });
  await api(201, 'POST', `/api/v1/users/${ada}/identities`, { type: 'social', value: 'ada@gmail.com', connection_id: google });
  await api(400, 'POST', `/api/v1/users/${ada}/identities`, { type: 'email', value: 'BOB@example.com' });
  await api(400, 'POST', `/api/v1/users/${ada}/identities`, { type: 'phone', value: '+442071838751' });
  await api(400, 'POST', `/api/v1/users/${ada}/identities`, { type: 'enterprise', value: 'ada@acme.example', connection_id: okta });
  await api(400, 'POST', `/api/v1/users/${ada}/identities`, { type: 'social', value: 'ada@github', connection_id: 'conn_00000000000000000000000000000000' });
  await api(400, 'POST', `/api/v1/users/${nobody}/identities`, { type: 'email', value: 'nobody@example.com' });
  await api(201, 'POST', `/api/v1/users/${bare}/identities`, { type: 'enterprise', value: 'bare@acme.example', connection_id: okta });
  await api(400, 'POST', `/api/v1/users/${bare}/identities`, { type: 'email', value: 'bare@example.com' });
  await api(200, 'GET', `/api/v1/identities/${work}`);
  await api(400, 'GET', `/api/v1/identities/${noIdentity}`);
  await api(200, 'PATCH', `/api/v1/identities/${work}`, { is_primary: true });
  await api(400, 'PATCH', `/api/v1/identities/${work}`, { is_primary: false });
  await api(400, 'PATCH', `/api/v1/identities/${noIdentity}`, { is_primary: true });
  await api(200, 'DELETE', `/api/v1/identities/${adaIdentities[0]!.id}`);
  await api(400, 'DELETE', `/api/v1/identities/${adaIdentities[0]!.id}`);
  const bobEmail = (await api(200, 'GET', `/api/v1/users/${bob}/identities`)).body.identities[0].id as string;
  await api(400, 'DELETE', `/api/v1/identities/${bobEmail}`);

  // Passwords
  const bcrypt = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
  await api(200, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: bcrypt, is_temporary_password: true });
  await api(200, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: 'aGFzaA==', hashing_method: 'pbkdf2', salt: 'c2FsdA==', salt_position: 'suffix', iterations: 27500, variant: 'salted-pbkdf2-hmac-sha256' });
  await api(200, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: 'aGFzaA==', hashing_method: 'firebase-scrypt', salt: 'c2FsdA==', signer_key: 'a2V5', salt_separator: 'Bw==', rounds: 8, mem_cost: 14 });
  await api(200, 'PUT', `/api/v1/users/${bob}/password`, { hashed_password: 'AQAAAAEAACcQAAAAEA==', hashing_method: 'aspnet-identity-v2' });
  await api(200, 'PUT', `/api/v1/users/${bob}/password`, { hashed_password: '5f4dcc3b5aa765d61d8327deb882cf99', hashing_method: 'md5', salt: 'pepper', salt_position: 'prefix' });
  await api(400, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: 'aGFzaA==', hashing_method: 'pbkdf2', variant: 'salted-pbkdf2-hmac-sha256' });
  await api(400, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: 'aGFzaA==', hashing_method: 'firebase-scrypt', salt: 'c2FsdA==', signer_key: 'a2V5', salt_separator: 'Bw==', rounds: 17, mem_cost: 14 });
  await api(400, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: 'AQAAAAEAACcQAAAAEA==', hashing_method: 'aspnet-identity-v2', salt: 'c2FsdA==' });
  await api(400, 'PUT', `/api/v1/users/${ada}/password`, { hashed_password: bcrypt, signer_key: 'a2V5' });
  await api(400, 'PUT', `/api/v1/users/${nobody}/password`, { hashed_password: bcrypt });

  // User feature flag overrides
  await api(200, 'PATCH', `/api/v1/users/${ada}/feature_flags/theme?value=green`);
  await api(200, 'PATCH', `/api/v1/users/${ada}/feature_flags/seats?value=12`);
  await api(400, 'PATCH', `/api/v1/users/${ada}/feature_flags/seats?value=many`);
  await api(400, 'PATCH', `/api/v1/users/${ada}/feature_flags/beta?value=true`);
  await api(400, 'PATCH', `/api/v1/users/${ada}/feature_flags/nope?value=1`);
  await api(400, 'PATCH', `/api/v1/users/${nobody}/feature_flags/theme?value=red`);

  // Property definitions and categories
  const usrCategory = (await api(201, 'POST', '/api/v1/property_categories', { name: 'Profile', context: 'usr' })).body.category.id as string;
  const orgCategory = (await api(201, 'POST', '/api/v1/property_categories', { name: 'Company', context: 'org' })).body.category.id as string;
  await api(201, 'POST', '/api/v1/property_categories', { name: 'App settings', context: 'app' });
  await api(200, 'GET', '/api/v1/property_categories');
  await api(200, 'GET', `/api/v1/property_categories?context=usr&page_size=1`);
  await api(200, 'GET', `/api/v1/property_categories?starting_after=${usrCategory}`);
  await api(400, 'GET', `/api/v1/property_categories?starting_after=${usrCategory}&ending_before=${orgCategory}`);
  const town = (await api(201, 'POST', '/api/v1/properties', { name: 'Town', description: 'Where the user lives', key: 'town', type: 'single_line_text', context: 'usr', is_private: false, category_id: usrCategory })).body.property.id as string;
  await api(201, 'POST', '/api/v1/properties', { name: 'Bio', key: 'bio', type: 'multi_line_text', context: 'usr', is_private: true, category_id: usrCategory });
  await api(201, 'POST', '/api/v1/properties', { name: 'Tier', key: 'tier', type: 'single_line_text', context: 'org', is_private: true, category_id: orgCategory });
  await api(400, 'POST', '/api/v1/properties', { name: 'Town again', key: 'town', type: 'single_line_text', context: 'usr', is_private: false, category_id: usrCategory });
  await api(400, 'POST', '/api/v1/properties', { name: 'Size', key: 'size', type: 'single_line_text', context: 'org', is_private: false, category_id: usrCategory });
  await api(200, 'GET', '/api/v1/properties');
  await api(200, 'GET', '/api/v1/properties?context=usr&page_size=1');
  await api(200, 'GET', `/api/v1/properties?starting_after=${town}`);
  await api(400, 'GET', '/api/v1/properties?starting_after=prop_00000000000000000000000000000000');

  // Property values
  await api(200, 'PATCH', `/api/v1/users/${ada}/properties`, { properties: { town: 'London', bio: 'Wrote the first program' } });
  await api(200, 'PUT', `/api/v1/users/${ada}/properties/town?value=Marylebone`);
  await api(200, 'GET', `/api/v1/users/${ada}/properties`);
  await api(400, 'PATCH', `/api/v1/users/${ada}/properties`, { properties: { tier: 'gold' } });
  await api(400, 'PUT', `/api/v1/users/${ada}/properties/nope?value=x`);
  await api(400, 'GET', `/api/v1/users/${nobody}/properties`);
  await api(200, 'PATCH', `/api/v1/organizations/${acme}/properties`, { properties: { tier: 'gold' } });
  await api(200, 'PUT', `/api/v1/organizations/${acme}/properties/tier?value=platinum`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/properties`);
  await api(400, 'PATCH', `/api/v1/organizations/${acme}/properties`, { properties: { town: 'Paris' } });
  await api(400, 'PUT', `/api/v1/organizations/${acme}/properties/town?value=Paris`);
  await api(400, 'GET', `/api/v1/organizations/${noOrg}/properties`);

  // Organization members
  await api(200, 'POST', `/api/v1/organizations/${acme}/users`, { users: [{ id: bob, roles: ['manager'], permissions: ['write:reports'] }, { id: bare }] });
  await api(400, 'POST', `/api/v1/organizations/${acme}/users`, { users: [{ id: bob, roles: ['nope'] }] });
  await api(400, 'POST', `/api/v1/organizations/${acme}/users`, { users: [{ id: nobody }] });
  await api(400, 'POST', `/api/v1/organizations/${acme}/users`, { users: Array.from({ length: 101 }, () => ({ id: bob })) });
  await api(400, 'POST', `/api/v1/organizations/${noOrg}/users`, { users: [{ id: bob }] });
  await api(200, 'PATCH', `/api/v1/organizations/${acme}/users`, { users: [{ id: ada, roles: ['member'] }, { id: bare, operation: 'delete' }] });
  await api(400, 'PATCH', `/api/v1/organizations/${acme}/users`, { users: [{ id: ada, operation: 'archive' }] });
  await api(400, 'PATCH', `/api/v1/organizations/${acme}/users`, { users: [{ id: ada, permissions: ['nope'] }] });
  const members = await api(200, 'GET', `/api/v1/organizations/${acme}/users?page_size=1`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/users?page_size=1&next_token=${members.body.next_token}`);
  const byName = await api(200, 'GET', `/api/v1/organizations/${acme}/users?sort=name_desc&page_size=1`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/users?sort=name_desc&page_size=1&next_token=${byName.body.next_token}`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/users?sort=email_asc&roles=manager&permissions=read:reports`);
  await api(400, 'GET', `/api/v1/organizations/${acme}/users?next_token=not-a-token`);
  await api(400, 'GET', `/api/v1/organizations/${noOrg}/users`);

  // One member's roles and permissions
  await api(200, 'POST', `/api/v1/organizations/${acme}/users/${ada}/roles`, { role_id: manager });
  await api(200, 'GET', `/api/v1/organizations/${acme}/users/${ada}/roles`);
  await api(200, 'DELETE', `/api/v1/organizations/${acme}/users/${ada}/roles/${member}`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/users/${bare}/roles/${manager}`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/users/${ada}/roles/${nobody}`);
  await api(200, 'POST', `/api/v1/organizations/${acme}/users/${ada}/permissions`, { permission_id: permission('write:reports') });
  await api(200, 'GET', `/api/v1/organizations/${acme}/users/${ada}/permissions`);
  await api(200, 'GET', `/api/v1/organizations/${acme}/users/${ada}/permissions?expand=roles`);
  await api(200, 'DELETE', `/api/v1/organizations/${acme}/users/${ada}/permissions/${permission('write:reports')}`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/users/${ada}/permissions/${nobody}`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/users/${bare}/permissions/${permission('read:reports')}`);
  await api(200, 'DELETE', `/api/v1/organizations/${acme}/users/${bob}`);
  await api(400, 'DELETE', `/api/v1/organizations/${acme}/users/${bob}`);
  await api(400, 'DELETE', `/api/v1/organizations/${noOrg}/users/${bob}`);

  // Deleting users
  await api(200, 'DELETE', `/api/v1/user?id=${bare}&is_delete_profile=true`);
  await api(200, 'DELETE', `/api/v1/user?id=${bob}`);
  await api(400, 'DELETE', `/api/v1/user?id=${bob}`);

  // 403: a token without the scope each operation needs. Each request is otherwise valid, so Prism forwards it.
  const sample: Record<string, { path?: string; body?: unknown }> = {
    'GET /api/v1/user': { path: `/api/v1/user?id=${ada}` },
    'PATCH /api/v1/user': { path: `/api/v1/user?id=${ada}`, body: { given_name: 'Ada' } },
    'DELETE /api/v1/user': { path: `/api/v1/user?id=${ada}` },
    'POST /api/v1/user': { body: {} },
    'POST /api/v1/users/{user_id}/identities': { body: { type: 'email', value: 'x@example.com' } },
    'PATCH /api/v1/identities/{identity_id}': { body: { is_primary: true } },
    'PUT /api/v1/users/{user_id}/password': { body: { hashed_password: bcrypt } },
    'PATCH /api/v1/users/{user_id}/feature_flags/{feature_flag_key}': { path: `/api/v1/users/${ada}/feature_flags/theme?value=red` },
    'POST /api/v1/properties': { body: { name: 'N', key: 'k', type: 'single_line_text', context: 'usr', is_private: true, category_id: usrCategory } },
    'POST /api/v1/property_categories': { body: { name: 'N', context: 'usr' } },
    'PATCH /api/v1/users/{user_id}/properties': { body: { properties: {} } },
    'PUT /api/v1/users/{user_id}/properties/{property_key}': { path: `/api/v1/users/${ada}/properties/town?value=x` },
    'PATCH /api/v1/organizations/{org_code}/properties': { body: { properties: {} } },
    'PUT /api/v1/organizations/{org_code}/properties/{property_key}': { path: `/api/v1/organizations/${acme}/properties/tier?value=x` },
    'POST /api/v1/organizations/{org_code}/users': { body: { users: [] } },
    'PATCH /api/v1/organizations/{org_code}/users': { body: { users: [] } },
    'POST /api/v1/organizations/{org_code}/users/{user_id}/roles': { body: { role_id: manager } },
    'POST /api/v1/organizations/{org_code}/users/{user_id}/permissions': { body: { permission_id: permission('read:reports') } },
  };
  const rolesOnly = expecting(caller(proxy.url, await token(proxy.url, 'read:roles')));
  for (const operation of userOperations) {
    const [method, template] = operation.split(' ') as [string, string];
    const path = template
      .replace('{user_id}', ada)
      .replace('{identity_id}', work)
      .replace('{org_code}', acme)
      .replace('{feature_flag_key}', 'theme')
      .replace('{property_key}', 'town')
      .replace('{role_id}', manager)
      .replace('{permission_id}', permission('read:reports'));
    await rolesOnly(403, method, sample[operation]?.path ?? path, sample[operation]?.body);
  }

  const served = Object.keys(emulator.stats().byRoute);
  expect(userOperations.filter((o) => !served.includes(o))).toEqual([]);

  // 429: use up the window (directly, which is quicker), then one call per shape of declared 429 (with and without a body).
  const plain = caller(emulator.url, await token(emulator.url));
  let limited = await plain('GET', '/api/v1/users');
  for (let i = 0; i < 600 && limited.status !== 429; i++) limited = await plain('GET', '/api/v1/users');
  expect(limited.status).toBe(429);
  await api(429, 'GET', '/api/v1/users');
  await api(429, 'GET', `/api/v1/users/${ada}/identities`);
  await api(429, 'GET', `/api/v1/organizations/${acme}/users`);

  expect(proxy.violations()).toEqual([]);
});
