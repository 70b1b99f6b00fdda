/** idm's state record in Kinde's environment variables: format, merges, lost answers, and a round trip through the planner. */
import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import { plan } from '../../../src/plan/plan.js';
import { readScope } from '../../../src/plan/scope.js';
import { decodeRecord, encodeRecord, recordVariableKey } from '../../../src/providers/kinde/state-record.js';
import type { Writer } from '../../../src/providers/provider.js';
import type { WritableChange } from '../../../src/model/plan.js';
import { desired, target } from '../../helpers/model.js';
import { noScope, reply } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


const setup = () => fakeProvider();

const fields = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('format', () => {
  test('encode and decode are inverse; the value names the object and sorts its fields', () => {
    const key = recordVariableKey('organization:acme');
    const value = encodeRecord('organization:acme', fields({ 'policies.enforce_mfa': 'f2', 'mfa.factors': 'f1' }));
    expect(value).toBe('{"v":1,"object":"organization:acme","fields":{"mfa.factors":"f1","policies.enforce_mfa":"f2"}}');
    expect(decodeRecord(key, value)).toEqual({ object: 'organization:acme', fields: fields({ 'mfa.factors': 'f1', 'policies.enforce_mfa': 'f2' }) });
  });

  test('malformed values are absent, never a crash', () => {
    const key = recordVariableKey('organization:acme');
    for (const value of [null, '', 'nope', '[]', '{"v":1}', '{"v":1,"object":"organization:acme","fields":[]}', '{"v":1,"object":"organization:acme","fields":{"a":1}}']) {
      expect(decodeRecord(key, value)).toBeUndefined();
    }
  });

  test('a record over 2048 characters is refused with an error that says the object itself was written', () => {
    const many = fields(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`feature_flags.some_long_flag_key_${i}`, '0123456789abcdef'])));
    const error = (() => {
      try {
        encodeRecord('organization:acme', many);
      } catch (e) {
        return e as IdmError;
      }
    })();
    expect(error?.code).toBe('STATE_RECORD_TOO_LARGE');
  });
});

describe('writes', () => {
  const flag = { name: 'F', description: '', type: 'bool', default_value: true, override_level: 'env' };
  const createFlag = (w: Writer, key: string) => w.writeFeatureFlag({ action: 'create', type: 'feature_flag', key, before: null, after: flag, diff: [] });

  test('a record POST whose answer is lost is found by listing, not posted twice', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read({ ...noScope, write_only: true }));
    let first = true;
    fake.intercept = (req, res, tenant) => {
      if (req.method !== 'POST' || req.path !== '/api/v1/environment_variables' || !first) return false;
      first = false;
      const body = JSON.parse(req.body);
      tenant.variables.push({ id: 'v-lost', ...body });
      reply(res, 504, '');
      return true;
    };
    await createFlag(writer, 'a');
    expect(fake.count('/api/v1/environment_variables', 'POST')).toBe(1);
    expect(fake.tenant.variables.map((v) => v.id)).toEqual(['v-lost']);
  });

  test('a malformed record under the right name is overwritten in place, not duplicated', async () => {
    const { fake, provider } = await setup();
    fake.tenant.variables.push({ id: 'v-bad', key: recordVariableKey('feature_flag:a'), value: 'garbage', is_secret: false });
    const writer = provider.writer(await provider.read({ ...noScope, write_only: true }));
    await createFlag(writer, 'a');
    expect(fake.count('/api/v1/environment_variables', 'POST')).toBe(0);
    expect(fake.tenant.variables).toHaveLength(1);
    expect(decodeRecord(fake.tenant.variables[0]!.key, fake.tenant.variables[0]!.value)?.object).toBe('feature_flag:a');
  });

  test('a record written by someone else since the read is merged into, not duplicated', async () => {
    const { fake, provider } = await setup();
    const writer = provider.writer(await provider.read({ ...noScope, write_only: true }));
    const key = recordVariableKey('feature_flag:a');
    fake.tenant.variables.push({ id: 'v-other', key, value: encodeRecord('feature_flag:a', fields({ 'feature_flags.x': 'f0', name: 'old' })), is_secret: false });
    await createFlag(writer, 'a');
    expect(fake.tenant.variables.map((v) => v.id)).toEqual(['v-other']);
    const record = decodeRecord(key, fake.tenant.variables[0]!.value)!;
    expect(record.fields.get('feature_flags.x')).toBe('f0');
    expect(record.fields.get('name')).not.toBe('old');
    // Later writes in the run go to that variable directly.
    await writer.writeFeatureFlag({ action: 'delete', type: 'feature_flag', key: 'a', before: { type: 'bool' }, after: null, diff: [] });
    expect(fake.tenant.variables).toEqual([]);
  });

  test('records of other objects and variables not idm\'s are left alone', async () => {
    const { fake, provider } = await setup();
    fake.tenant.variables.push({ id: 'mine', key: 'MY_API_KEY', value: 'secret', is_secret: true });
    const writer = provider.writer(await provider.read({ ...noScope, write_only: true }));
    await createFlag(writer, 'a');
    await createFlag(writer, 'b');
    await writer.writeFeatureFlag({ action: 'delete', type: 'feature_flag', key: 'a', before: { type: 'bool' }, after: null, diff: [] });
    expect(fake.tenant.variables.map((v) => v.key)).toEqual(['MY_API_KEY', recordVariableKey('feature_flag:b')]);
  });
});

describe('round trip through the planner', () => {
  test('apply what a plan says, read again: the next plan has no changes, write-only fields included', async () => {
    const { provider } = await setup();
    const config = desired({
      featureFlags: [{ key: 'new_checkout', name: 'New checkout', description: 'The new flow', type: 'bool', defaultValue: false, overrideLevel: 'org' }],
      organizations: [{
        externalId: 'acme', name: 'Acme', handle: 'acme_corp', colors: { button_color: '#0056f1' },
        policies: { autoMembership: true, allowedDomains: new Set(['acme.com']), autoJoinDomains: true, enforceMfa: true },
        mfa: { factors: new Set(['mfa:email', 'mfa:authenticator_app'] as const), recoveryCodes: false },
        passkey: { policy: 'optional', overrideEnvironment: true },
        featureFlags: new Map([['new_checkout', true]]),
      }],
      business: { name: 'Acme Inc', policyAcceptance: true, termsUrl: 'https://acme.com/terms' },
      environment: {
        featureFlags: new Map([['new_checkout', true]]),
        mfa: { policy: 'optional', factors: new Set(['mfa:email'] as const), recoveryCodes: true },
        passkey: { policy: 'optional' },
      },
    });
    const scope = readScope(config);
    const first = plan(config, await provider.read(scope), target);
    expect(first.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual([
      'create feature_flag new_checkout', 'create organization acme', 'update business business', 'update environment environment',
    ]);
    const writer = provider.writer(await provider.read(scope));
    // In the apply engine's phase order: flags exist before orgs and the environment set values of them.
    for (const change of first.changes as WritableChange[]) {
      if (change.type === 'feature_flag') await writer.writeFeatureFlag(change);
      else if (change.type === 'organization') await writer.writeOrganization(change);
      else if (change.type === 'business' || change.type === 'environment') await writer.writeSettings(change);
    }
    const second = plan(config, await provider.read(scope), target);
    expect(second.changes).toEqual([]);
  });
});
