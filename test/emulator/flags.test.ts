import { describe, expect, test } from 'vitest';
import { type Call, startEmulator } from './client.js';

const start = async (): Promise<Call> => (await startEmulator()).call;

interface FlagBody {
  key: string;
  type: 'str' | 'int' | 'bool';
  default_value: string;
  allow_override_level?: 'env' | 'org' | 'usr';
  name?: string;
  description?: string;
}

async function createFlag(call: Call, flag: FlagBody): Promise<void> {
  const got = await call('POST', '/api/v1/feature_flags', { name: `Flag ${flag.key}`, ...flag });
  expect(got).toMatchObject({ status: 201, body: { code: 'OK', message: 'Success' } });
}

async function createOrg(call: Call, name: string, extra: object = {}): Promise<string> {
  const got = await call('POST', '/api/v1/organization', { name, ...extra });
  expect(got.status).toBe(200);
  return got.body.organization.code as string;
}

const envFlags = async (call: Call) => (await call('GET', '/api/v1/environment/feature_flags')).body.feature_flags;
const orgFlags = async (call: Call, org: string) => (await call('GET', `/api/v1/organizations/${org}/feature_flags`)).body.feature_flags;
const replace = (call: Call, key: string, fields: Record<string, string>) => call('PUT', `/api/v1/feature_flags/${key}?${new URLSearchParams(fields)}`);

describe('feature flag definitions', () => {
  test('create checks required fields, the type and that the default fits it; keys are unique', async () => {
    const call = await start();
    await createFlag(call, { key: 'seats', type: 'int', default_value: '007', allow_override_level: 'env' });
    await createFlag(call, { key: 'beta', type: 'bool', default_value: 'true' });
    await createFlag(call, { key: 'colour', type: 'str', default_value: '' });
    expect(await envFlags(call)).toEqual({ seats: { type: 'int', value: '7' }, beta: { type: 'bool', value: 'true' }, colour: { type: 'str', value: '' } });

    const refused = [
      { name: 'No key', type: 'str', default_value: 'x' },
      { key: 'k', type: 'str', default_value: 'x' },
      { name: 'N', key: 'k', default_value: 'x' },
      { name: 'N', key: 'k', type: 'json', default_value: '{}' },
      { name: 'N', key: 'k', type: 'str' },
      { name: 'N', key: 'k', type: 'int', default_value: '1.5' },
      { name: 'N', key: 'k', type: 'int', default_value: '2147483648' },
      { name: 'N', key: 'k', type: 'bool', default_value: 'yes' },
      { name: 'N', key: 'k', type: 'str', default_value: 'x', allow_override_level: 'app' },
      { name: 'N', key: 'k', type: 'int', default_value: 5 },
    ];
    for (const body of refused) expect({ body, status: (await call('POST', '/api/v1/feature_flags', body)).status }).toEqual({ body, status: 400 });
    const duplicate = await call('POST', '/api/v1/feature_flags', { name: 'Again', key: 'seats', type: 'int', default_value: '1' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0].code).toBe('FEATURE_FLAG_ALREADY_EXISTS');
  });

  test('there is no endpoint that lists or reads flag definitions', async () => {
    const call = await start();
    await createFlag(call, { key: 'beta', type: 'bool', default_value: 'false' });
    expect((await call('GET', '/api/v1/feature_flags')).status).toBe(404);
    expect((await call('GET', '/api/v1/feature_flags/beta')).status).toBe(404);
  });

  test('PUT takes every field as a required query parameter and keeps the type', async () => {
    const call = await start();
    await createFlag(call, { key: 'seats', type: 'int', default_value: '5', allow_override_level: 'org' });
    const fields = { name: 'Seats', description: 'Seat count', type: 'int', allow_override_level: 'org', default_value: '10' };
    expect(await replace(call, 'seats', fields)).toMatchObject({ status: 200, body: { code: 'OK' } });
    expect((await envFlags(call)).seats).toEqual({ type: 'int', value: '10' });
    // A JSON body is not how this operation takes its fields.
    expect((await call('PUT', '/api/v1/feature_flags/seats', fields)).status).toBe(400);
    for (const field of Object.keys(fields)) {
      const without = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== field));
      expect({ field, status: (await replace(call, 'seats', without)).status }).toEqual({ field, status: 400 });
    }
    expect((await replace(call, 'seats', { ...fields, description: '' })).status).toBe(200);
    const retyped = await replace(call, 'seats', { ...fields, type: 'str' });
    expect(retyped.status).toBe(400);
    expect(retyped.body.errors[0].code).toBe('FLAG_TYPE_IMMUTABLE');
    expect((await replace(call, 'seats', { ...fields, default_value: 'ten' })).status).toBe(400);
    // The spec's enum for PUT has no `usr`.
    expect((await replace(call, 'seats', { ...fields, allow_override_level: 'usr' })).status).toBe(400);
    expect((await replace(call, 'nope', fields)).body.errors[0].code).toBe('FEATURE_FLAG_NOT_FOUND');
  });

  test('narrowing allow_override_level drops the overrides it no longer allows; DELETE drops them all', async () => {
    const call = await start();
    await createFlag(call, { key: 'theme', type: 'str', default_value: 'blue', allow_override_level: 'org' });
    const org = await createOrg(call, 'Acme');
    await call('PATCH', '/api/v1/environment/feature_flags/theme', { value: 'green' });
    await call('PATCH', `/api/v1/organizations/${org}/feature_flags/theme?value=red`);
    expect((await orgFlags(call, org)).theme.value).toBe('red');
    await replace(call, 'theme', { name: 'Theme', description: '', type: 'str', allow_override_level: 'env', default_value: 'blue' });
    expect((await orgFlags(call, org)).theme.value).toBe('green');
    expect((await call('PATCH', `/api/v1/organizations/${org}/feature_flags/theme?value=red`)).status).toBe(400);

    expect(await call('DELETE', '/api/v1/feature_flags/theme')).toMatchObject({ status: 200, body: { code: 'OK' } });
    expect(await envFlags(call)).toEqual({});
    expect((await call('DELETE', '/api/v1/feature_flags/theme')).status).toBe(400);
    // A flag re-created under the same key starts without the old overrides.
    await createFlag(call, { key: 'theme', type: 'str', default_value: 'grey', allow_override_level: 'org' });
    expect((await orgFlags(call, org)).theme).toEqual({ type: 'str', value: 'grey' });
  });
});

describe('environment feature flags', () => {
  test('GET lists every flag with its environment value; PATCH (value in the body) and DELETE manage overrides', async () => {
    const call = await start();
    await createFlag(call, { key: 'beta', type: 'bool', default_value: 'false', allow_override_level: 'env' });
    await createFlag(call, { key: 'seats', type: 'int', default_value: '5', allow_override_level: 'usr' });
    const listed = await call('GET', '/api/v1/environment/feature_flags');
    expect(listed.body).toEqual({ code: 'OK', message: 'Success', feature_flags: { beta: { type: 'bool', value: 'false' }, seats: { type: 'int', value: '5' } } });

    expect(await call('PATCH', '/api/v1/environment/feature_flags/beta', { value: 'true' })).toMatchObject({ status: 200, body: { code: 'OK' } });
    await call('PATCH', '/api/v1/environment/feature_flags/seats', { value: '+20' });
    expect(await envFlags(call)).toEqual({ beta: { type: 'bool', value: 'true' }, seats: { type: 'int', value: '20' } });

    expect((await call('PATCH', '/api/v1/environment/feature_flags/beta', { value: 'TRUE' })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/environment/feature_flags/beta', { value: true })).status).toBe(400);
    // The organization endpoints take the value as a query parameter; this one does not.
    expect((await call('PATCH', '/api/v1/environment/feature_flags/beta?value=false')).status).toBe(400);
    expect((await call('PATCH', '/api/v1/environment/feature_flags/nope', { value: 'x' })).body.errors[0].code).toBe('FEATURE_FLAG_NOT_FOUND');

    expect((await call('DELETE', '/api/v1/environment/feature_flags/beta')).status).toBe(200);
    expect((await envFlags(call)).beta.value).toBe('false');
    expect((await call('DELETE', '/api/v1/environment/feature_flags/beta')).status).toBe(200);
    expect((await call('DELETE', '/api/v1/environment/feature_flags')).status).toBe(200);
    expect((await envFlags(call)).seats.value).toBe('5');
  });

  test('a flag created without allow_override_level cannot be overridden anywhere', async () => {
    const call = await start();
    await createFlag(call, { key: 'fixed', type: 'str', default_value: 'x' });
    const org = await createOrg(call, 'Acme');
    const env = await call('PATCH', '/api/v1/environment/feature_flags/fixed', { value: 'y' });
    expect(env.status).toBe(400);
    expect(env.body.errors[0].code).toBe('FLAG_OVERRIDE_NOT_ALLOWED');
    expect((await call('PATCH', `/api/v1/organizations/${org}/feature_flags/fixed?value=y`)).status).toBe(400);
  });
});

describe('organization feature flags', () => {
  test('GET lists every flag with its value in the org: its override, else the environment one, else the default', async () => {
    const call = await start();
    await createFlag(call, { key: 'beta', type: 'bool', default_value: 'false', allow_override_level: 'org' });
    await createFlag(call, { key: 'theme', type: 'str', default_value: 'blue', allow_override_level: 'usr' });
    await createFlag(call, { key: 'seats', type: 'int', default_value: '5', allow_override_level: 'env' });
    const acme = await createOrg(call, 'Acme');
    const globex = await createOrg(call, 'Globex');
    await call('PATCH', '/api/v1/environment/feature_flags/theme', { value: 'green' });
    await call('PATCH', '/api/v1/environment/feature_flags/seats', { value: '9' });

    const set = await call('PATCH', `/api/v1/organizations/${acme}/feature_flags/beta?value=true`);
    expect(set).toMatchObject({ status: 200, body: { code: 'OK' } });
    await call('PATCH', `/api/v1/organizations/${acme}/feature_flags/theme?value=red`);
    const got = await call('GET', `/api/v1/organizations/${acme}/feature_flags`);
    expect(got.body).toEqual({
      code: 'OK',
      message: 'Success',
      feature_flags: { beta: { type: 'bool', value: 'true' }, theme: { type: 'str', value: 'red' }, seats: { type: 'int', value: '9' } },
    });
    expect(await orgFlags(call, globex)).toEqual({ beta: { type: 'bool', value: 'false' }, theme: { type: 'str', value: 'green' }, seats: { type: 'int', value: '9' } });

    expect((await call('DELETE', `/api/v1/organizations/${acme}/feature_flags/theme`)).status).toBe(200);
    expect((await orgFlags(call, acme)).theme.value).toBe('green');
    expect((await call('DELETE', `/api/v1/organizations/${acme}/feature_flags`)).status).toBe(200);
    expect((await orgFlags(call, acme)).beta.value).toBe('false');
    expect((await call('DELETE', `/api/v1/organizations/${acme}/feature_flags/nope`)).status).toBe(400);
  });

  test('PATCH takes the value as a query parameter, checked against the type and the override level', async () => {
    const call = await start();
    await createFlag(call, { key: 'beta', type: 'bool', default_value: 'false', allow_override_level: 'org' });
    await createFlag(call, { key: 'seats', type: 'int', default_value: '5', allow_override_level: 'env' });
    const org = await createOrg(call, 'Acme');
    const path = `/api/v1/organizations/${org}/feature_flags`;
    expect((await call('PATCH', `${path}/beta`, { value: 'true' })).status).toBe(400);
    expect((await call('PATCH', `${path}/beta?value=maybe`)).body.errors[0].code).toBe('INVALID_FLAG_VALUE');
    expect((await call('PATCH', `${path}/seats?value=3`)).body.errors[0].code).toBe('FLAG_OVERRIDE_NOT_ALLOWED');
    expect((await call('PATCH', `${path}/nope?value=3`)).body.errors[0].code).toBe('FEATURE_FLAG_NOT_FOUND');
    expect((await orgFlags(call, org)).beta.value).toBe('false');
  });

  test('create takes feature_flags as flag key to override value', async () => {
    const call = await start();
    await createFlag(call, { key: 'tier', type: 'str', default_value: 'free', allow_override_level: 'org' });
    const org = await createOrg(call, 'Acme', { feature_flags: { tier: 'int' } });
    expect((await orgFlags(call, org)).tier).toEqual({ type: 'str', value: 'int' });
    expect((await call('POST', '/api/v1/organization', { name: 'Bad', feature_flags: { nope: 'str' } })).status).toBe(400);
    expect((await call('GET', '/api/v1/organizations')).body.organizations.map((o: { name: string }) => o.name)).toEqual(['Default Organization', 'Acme']);
  });
});
