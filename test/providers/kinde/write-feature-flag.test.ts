/** Feature flag definitions: a JSON body to create, query parameters to update, and a record of what was written. */
import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import type { FeatureFlagChange, FieldDiff, FlatState } from '../../../src/model/plan.js';
import { writeOnlyFingerprint } from '../../../src/plan/fingerprint.js';
import { type KindeProviderOptions } from '../../../src/providers/kinde/index.js';
import { recordVariableKey } from '../../../src/providers/kinde/state-record.js';
import { noScope, reply, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


const setup = (options: Partial<KindeProviderOptions> = {}) => fakeProvider(options);

const since = (fake: FakeKinde) => {
  const start = fake.requests.length;
  return () => fake.requests.slice(start).map((r) => `${r.method} ${r.path}`);
};

const flag: FlatState = { name: 'New checkout', description: 'The new flow', type: 'bool', default_value: false, override_level: 'org' };
const create = (key: string, after: FlatState): FeatureFlagChange => ({ action: 'create', type: 'feature_flag', key, before: null, after, diff: [] });
const update = (key: string, after: FlatState, paths: string[]): FeatureFlagChange => ({
  action: 'update', type: 'feature_flag', key, before: { type: after.type! }, after,
  diff: paths.map((path): FieldDiff => ({ path, before: null, after: after[path]!, write_only: 'changed' })) as [FieldDiff, ...FieldDiff[]],
});
const scope = { ...noScope, feature_flags: true, write_only: true };

describe('writeFeatureFlag', () => {
  test('create: POST with a JSON body, default_value as a string; then the record of every definition field', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    const calls = since(fake);
    await writer.writeFeatureFlag(create('new_checkout', flag));
    await writer.writeFeatureFlag(create('seats', { name: 'Seats', description: '', type: 'int', default_value: 5, override_level: 'usr' }));
    expect(calls()).toEqual(['POST /api/v1/feature_flags', 'POST /api/v1/environment_variables', 'POST /api/v1/feature_flags', 'POST /api/v1/environment_variables']);
    const posts = fake.requests.filter((r) => r.path === '/api/v1/feature_flags').map((r) => JSON.parse(r.body));
    expect(posts).toEqual([
      { key: 'new_checkout', name: 'New checkout', description: 'The new flow', type: 'bool', allow_override_level: 'org', default_value: 'false' },
      { key: 'seats', name: 'Seats', description: '', type: 'int', allow_override_level: 'usr', default_value: '5' },
    ]);
    const live = await provider.read(scope);
    expect(live.featureFlags.get('new_checkout')!.state).toEqual({ type: 'bool' });
    expect(live.writeOnly.get('feature_flag:new_checkout')).toEqual(new Map([
      ['name', writeOnlyFingerprint('New checkout')],
      ['description', writeOnlyFingerprint('The new flow')],
      ['default_value', writeOnlyFingerprint(false)],
      ['override_level', writeOnlyFingerprint('org')],
    ]));
    const variable = fake.tenant.variables.find((v) => v.key === recordVariableKey('feature_flag:new_checkout'))!;
    expect(variable.is_secret).toBe(false);
    expect(JSON.parse(variable.value)).toMatchObject({ v: 1, object: 'feature_flag:new_checkout' });
  });

  test('update: PUT with every field as a query parameter and no body; the record is patched, not re-created', async () => {
    const { fake, provider } = await setup();
    const first = provider.writer(await provider.read(scope));
    await first.writeFeatureFlag(create('new_checkout', flag));
    const writer = provider.writer(await provider.read(scope));
    const calls = since(fake);
    const after = { ...flag, name: 'Checkout v2', default_value: true };
    await writer.writeFeatureFlag(update('new_checkout', after, ['name', 'default_value']));
    expect(calls()).toEqual(['PUT /api/v1/feature_flags/new_checkout', `PATCH /api/v1/environment_variables/${fake.tenant.variables[0]!.id}`]);
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.body).toBe('');
    expect(Object.fromEntries(put.query)).toEqual({ name: 'Checkout v2', description: 'The new flow', type: 'bool', allow_override_level: 'org', default_value: 'true' });
    const live = await provider.read(scope);
    expect(live.writeOnly.get('feature_flag:new_checkout')!.get('name')).toBe(writeOnlyFingerprint('Checkout v2'));
    expect(live.writeOnly.get('feature_flag:new_checkout')!.get('default_value')).toBe(writeOnlyFingerprint(true));
    expect(fake.tenant.variables).toHaveLength(1);
  });

  test("update of a flag whose override level is 'usr': an error saying it can only be set at creation, nothing sent", async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    const calls = since(fake);
    const error = (await writer.writeFeatureFlag(update('seats', { ...flag, override_level: 'usr' }, ['override_level'])).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.message).toMatch(/only be set when a flag is created/);
    expect(calls()).toEqual([]);
  });

  test('delete: DELETE the flag, then its record', async () => {
    const { fake, provider } = await setup();
    await provider.writer(await provider.read(scope)).writeFeatureFlag(create('new_checkout', flag));
    const live = await provider.read(scope);
    const calls = since(fake);
    await provider.writer(live).writeFeatureFlag({ action: 'delete', type: 'feature_flag', key: 'new_checkout', before: live.featureFlags.get('new_checkout')!.state, after: null, diff: [] });
    expect(calls()).toEqual(['DELETE /api/v1/feature_flags/new_checkout', expect.stringMatching(/^DELETE \/api\/v1\/environment_variables\//)]);
    expect(fake.tenant.flags).toEqual([]);
    expect(fake.tenant.variables).toEqual([]);
  });

  test('delete with a live read without the record: the record is found by one listing', async () => {
    const { fake, provider } = await setup();
    await provider.writer(await provider.read(scope)).writeFeatureFlag(create('a', flag));
    await provider.writer(await provider.read(scope)).writeFeatureFlag(create('b', flag));
    const writer = provider.writer(await provider.read({ ...scope, write_only: false }));
    const calls = since(fake);
    await writer.writeFeatureFlag({ action: 'delete', type: 'feature_flag', key: 'a', before: { type: 'bool' }, after: null, diff: [] });
    await writer.writeFeatureFlag({ action: 'delete', type: 'feature_flag', key: 'b', before: { type: 'bool' }, after: null, diff: [] });
    expect(calls().filter((c) => c === 'GET /api/v1/environment_variables')).toHaveLength(1);
    expect(fake.tenant.variables).toEqual([]);
  });

  test('a create whose answer is lost is checked by the flag listing, not sent twice', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read(scope));
    let first = true;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/feature_flags' || !first) return false;
      first = false;
      const body = JSON.parse(req.body);
      tenant.flags.push({ ...body });
      reply(res, 502, '');
      return true;
    };
    await writer.writeFeatureFlag(create('new_checkout', flag));
    expect(fake.count('/api/v1/feature_flags', 'POST')).toBe(1);
    expect(fake.count('/api/v1/environment/feature_flags', 'GET')).toBe(2); // the read and the check
    expect(fake.tenant.variables).toHaveLength(1);
  });

  test('a record write that fails leaves the flag written: the error says so, and re-applying is harmless', async () => {
    const { fake, provider } = await setup({ retries: 0 });
    const writer = provider.writer(await provider.read(scope));
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/environment_variables' || req.method !== 'POST') return false;
      reply(res, 403, { errors: [{ code: 'FORBIDDEN', message: 'missing scope' }] });
      return true;
    };
    const error = (await writer.writeFeatureFlag(create('new_checkout', flag)).catch((e: unknown) => e)) as IdmError;
    expect(error.hint).toContain('create:environment_variables');
    expect(fake.tenant.flags.map((f) => f.key)).toEqual(['new_checkout']);
  });
});
