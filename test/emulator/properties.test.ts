import { describe, expect, test } from 'vitest';
import { startEmulator } from './client.js';

const start = () => startEmulator();

const errorCode = (body: { errors: { code: string }[] }): string => body.errors[0]!.code;

describe('property definitions and categories', () => {
  test('categories and properties are created, then listed by context with cursors', async () => {
    const { call } = await start();
    const usr = await call('POST', '/api/v1/property_categories', { name: 'Profile', context: 'usr' });
    expect(usr.status).toBe(201);
    expect(usr.body).toEqual({ code: 'OK', message: 'Success', category: { id: expect.stringMatching(/^cat_[0-9a-f]{32}$/) } });
    const org = (await call('POST', '/api/v1/property_categories', { name: 'Company', context: 'org' })).body.category.id;
    expect((await call('GET', '/api/v1/property_categories?context=org')).body).toEqual({ code: 'OK', message: 'Success', categories: [{ id: org, name: 'Company' }], has_more: false });
    expect(errorCode((await call('POST', '/api/v1/property_categories', { name: 'Nowhere', context: 'env' })).body)).toBe('INVALID_REQUEST');
    expect(errorCode((await call('GET', '/api/v1/property_categories?context=app')).body)).toBe('INVALID_REQUEST');

    const base = { type: 'single_line_text', context: 'usr', is_private: false, category_id: usr.body.category.id };
    const town = await call('POST', '/api/v1/properties', { ...base, name: 'Town', key: 'town', description: 'Where' });
    expect(town.status).toBe(201);
    expect(town.body).toEqual({ code: 'OK', message: 'Success', property: { id: expect.stringMatching(/^prop_[0-9a-f]{32}$/) } });
    await call('POST', '/api/v1/properties', { ...base, name: 'Bio', key: 'bio', type: 'multi_line_text', is_private: true });
    await call('POST', '/api/v1/properties', { ...base, name: 'Tier', key: 'tier', context: 'org', category_id: org });
    for (const [body, code] of [
      [{ ...base, name: 'Again', key: 'town' }, 'PROPERTY_ALREADY_EXISTS'],
      [{ ...base, name: 'Spaced', key: 'my key' }, 'INVALID_REQUEST'],
      [{ ...base, name: 'Wrong', key: 'wrong', context: 'org' }, 'INVALID_CATEGORY'],
      [{ ...base, name: 'Lost', key: 'lost', category_id: 'cat_gone' }, 'CATEGORY_NOT_FOUND'],
      [{ ...base, name: 'Nocat', key: 'nocat', category_id: undefined }, 'INVALID_REQUEST'],
      [{ ...base, name: 'Public?', key: 'public', is_private: undefined }, 'INVALID_REQUEST'],
      [{ ...base, name: 'Number', key: 'number', type: 'integer' }, 'INVALID_REQUEST'],
    ] as const) {
      const got = await call('POST', '/api/v1/properties', body);
      expect({ key: body.key, status: got.status, code: errorCode(got.body) }).toEqual({ key: body.key, status: 400, code });
    }

    const users = (await call('GET', '/api/v1/properties?context=usr')).body;
    expect(users).toEqual({
      code: 'OK',
      message: 'Success',
      has_more: false,
      properties: [
        { id: town.body.property.id, key: 'town', name: 'Town', is_private: false, description: 'Where', is_kinde_property: false },
        { id: expect.any(String), key: 'bio', name: 'Bio', is_private: true, is_kinde_property: false },
      ],
    });
    const first = (await call('GET', '/api/v1/properties?page_size=2')).body;
    expect([first.properties.map((p: { key: string }) => p.key), first.has_more]).toEqual([['town', 'bio'], true]);
    const rest = (await call('GET', `/api/v1/properties?page_size=2&starting_after=${first.properties[1].id}`)).body;
    expect([rest.properties.map((p: { key: string }) => p.key), rest.has_more]).toEqual([['tier'], false]);
  });

  test('admin.defineProperty defines one without a category, and refuses a taken key', async () => {
    const { call, emulator } = await start();
    const id = emulator.admin.defineProperty({ key: 'kp_town', context: 'usr' });
    emulator.admin.defineProperty({ key: 'tier', name: 'Tier', context: 'org', is_private: false, description: 'Plan' });
    expect((await call('GET', '/api/v1/properties')).body.properties).toEqual([
      { id, key: 'kp_town', name: 'kp_town', is_private: true, is_kinde_property: false },
      { id: expect.any(String), key: 'tier', name: 'Tier', is_private: false, description: 'Plan', is_kinde_property: false },
    ]);
    expect(() => emulator.admin.defineProperty({ key: 'tier', context: 'usr' })).toThrow(/already exists/);
    expect(() => emulator.admin.defineProperty({ key: 'x', context: 'app' as 'usr' })).toThrow(/context/);
  });
});

describe('property values', () => {
  test.each([
    ['users', 'usr', 'org'],
    ['organizations', 'org', 'usr'],
  ] as const)('%s: every property of the context is read, null when unset; only those can be set', async (_name, mine, theirs) => {
    const { call, emulator } = await start();
    const town = emulator.admin.defineProperty({ key: 'town', name: 'Town', context: mine, description: 'Where' });
    const bio = emulator.admin.defineProperty({ key: 'bio', name: 'Bio', context: mine });
    emulator.admin.defineProperty({ key: 'other', context: theirs });
    const base =
      mine === 'usr'
        ? `/api/v1/users/${emulator.admin.seedUsers([{ email: 'ada@example.com' }])[0]}`
        : `/api/v1/organizations/${(await call('POST', '/api/v1/organization', { name: 'Acme' })).body.organization.code}`;
    const read = async () => (await call('GET', `${base}/properties`)).body;

    expect(await read()).toEqual({
      code: 'OK',
      message: 'Success',
      properties: [
        { id: town, name: 'Town', description: 'Where', key: 'town', value: null },
        { id: bio, name: 'Bio', description: null, key: 'bio', value: null },
      ],
    });
    expect((await call('PATCH', `${base}/properties`, { properties: { town: 'London', bio: 42 } })).body).toEqual({ code: 'OK', message: 'Success' });
    expect((await read()).properties.map((p: { value: string }) => p.value)).toEqual(['London', '42']);
    expect((await call('PUT', `${base}/properties/town?value=${encodeURIComponent('Paris, France')}`)).status).toBe(200);
    expect((await read()).properties[0].value).toBe('Paris, France');

    // Unknown keys and keys of the other context are refused, and nothing of the request is applied.
    expect(errorCode((await call('PATCH', `${base}/properties`, { properties: { town: 'Rome', other: 'x' } })).body)).toBe('PROPERTY_NOT_FOUND');
    expect(errorCode((await call('PATCH', `${base}/properties`, { properties: { nope: 'x' } })).body)).toBe('PROPERTY_NOT_FOUND');
    expect(errorCode((await call('PUT', `${base}/properties/other?value=x`)).body)).toBe('PROPERTY_NOT_FOUND');
    expect(errorCode((await call('PATCH', `${base}/properties`, { properties: { town: { city: 'Rome' } } })).body)).toBe('INVALID_REQUEST');
    expect(errorCode((await call('PATCH', `${base}/properties`, {})).body)).toBe('INVALID_REQUEST');
    expect(errorCode((await call('PUT', `${base}/properties/town`)).body)).toBe('INVALID_REQUEST');
    expect((await read()).properties[0].value).toBe('Paris, France');

    // Empty or null clears.
    await call('PATCH', `${base}/properties`, { properties: { bio: null } });
    await call('PUT', `${base}/properties/town?value=`);
    expect((await read()).properties.map((p: { value: string }) => p.value)).toEqual([null, null]);
  });

  test('unknown holders are refused', async () => {
    const { call } = await start();
    expect(errorCode((await call('GET', '/api/v1/users/kp_gone/properties')).body)).toBe('USER_NOT_FOUND');
    expect(errorCode((await call('PATCH', '/api/v1/organizations/org_00000000000/properties', { properties: {} })).body)).toBe('ORGANIZATION_NOT_FOUND');
  });
});
