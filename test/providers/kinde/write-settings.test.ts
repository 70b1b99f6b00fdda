/** Business and environment settings: the write names, body vs query quirks, MFA replaced whole, and its record. */
import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import type { FieldDiff, FlatState, SettingsChange } from '../../../src/model/plan.js';
import { writeOnlyFingerprint } from '../../../src/plan/fingerprint.js';
import { noScope, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


async function setup() {
  const { fake, provider } = await fakeProvider();
  fake.tenant.flags.push({ key: 'theme', name: 'Theme', description: '', type: 'str', allow_override_level: 'env', default_value: 'blue' });
  return { fake, provider };
}

const since = (fake: FakeKinde) => {
  const start = fake.requests.length;
  return () => fake.requests.slice(start).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`);
};
const lastBody = (fake: FakeKinde, method: string, path: string) => JSON.parse(fake.requests.filter((r) => r.method === method && r.path === path).at(-1)!.body);

function change(type: 'business' | 'environment', before: FlatState, after: FlatState, diff: FieldDiff[]): SettingsChange {
  return { action: 'update', type, key: type, before, after, diff: diff as [FieldDiff, ...FieldDiff[]] };
}
const scalar = (path: string, before: FlatState, after: FlatState): FieldDiff => ({ path, before: before[path] as string, after: after[path] as string });
const writeOnly = (path: string, after: FlatState): FieldDiff => ({ path, before: null, after: after[path]!, write_only: 'unknown' });

const everything = { ...noScope, business: true, write_only: true, environment: { details: true, feature_flags: true, passkey: true } };

describe('writeSettings: business', () => {
  test('one PATCH with the write names of the changed paths only', async () => {
    const { fake, provider } = await setup();
    const live = await provider.read(everything);
    const before = live.settings.business!;
    const after = { name: 'Acme Inc', policy_acceptance: true, terms_url: 'https://acme.com/terms', privacy_url: null };
    const calls = since(fake);
    await provider.writer(live).writeSettings(change('business', before, after, [
      scalar('name', before, after),
      { path: 'policy_acceptance', before: false, after: true },
      scalar('terms_url', before, after),
    ]));
    expect(calls()).toEqual(['PATCH /api/v1/business']);
    expect(lastBody(fake, 'PATCH', '/api/v1/business')).toEqual({ business_name: 'Acme Inc', is_click_wrap: true, terms_url: 'https://acme.com/terms' });
    expect((await provider.read(everything)).settings.business).toEqual(after);
  });
});

describe('writeSettings: environment', () => {
  test('a flag value goes in a JSON body (unlike an org flag); one PATCH per changed flag', async () => {
    const { fake, provider } = await setup();
    const live = await provider.read(everything);
    const before = live.settings.environment!;
    const after = { 'feature_flags.theme': 'green' };
    const calls = since(fake);
    await provider.writer(live).writeSettings(change('environment', before, after, [scalar('feature_flags.theme', before, after)]));
    expect(calls()).toEqual(['PATCH /api/v1/environment/feature_flags/theme']);
    const patch = fake.requests.find((r) => r.method === 'PATCH')!;
    expect(JSON.parse(patch.body)).toEqual({ value: 'green' });
    expect([...patch.query.keys()]).toEqual([]);
    expect((await provider.read(everything)).settings.environment).toMatchObject(after);
  });

  test('MFA: one PUT with policy and the full factors from after; its fingerprints recorded and read back', async () => {
    const { fake, provider } = await setup();
    const live = await provider.read(everything);
    const after = { 'mfa.policy': 'required', 'mfa.factors': ['mfa:email', 'mfa:sms'], 'mfa.recovery_codes': true };
    const calls = since(fake);
    await provider.writer(live).writeSettings(change('environment', {}, after, [writeOnly('mfa.policy', after)]));
    expect(calls()).toEqual(['PUT /api/v1/mfa', 'POST /api/v1/environment_variables']);
    expect(lastBody(fake, 'PUT', '/api/v1/mfa')).toEqual({ policy: 'required', enabled_factors: ['mfa:email', 'mfa:sms'], is_recovery_codes_enabled: true });
    expect((await provider.read(everything)).writeOnly.get('environment:environment')).toEqual(new Map([
      ['mfa.policy', writeOnlyFingerprint('required')],
      ['mfa.factors', writeOnlyFingerprint(['mfa:email', 'mfa:sms'])],
      ['mfa.recovery_codes', writeOnlyFingerprint(true)],
    ]));
  });

  test('passkey: PUT /passkey with the policy', async () => {
    const { fake, provider } = await setup();
    const live = await provider.read(everything);
    const before = live.settings.environment!;
    const after = { 'passkey.policy': 'mandatory' };
    const calls = since(fake);
    await provider.writer(live).writeSettings(change('environment', before, after, [scalar('passkey.policy', before, after)]));
    expect(calls()).toEqual(['PUT /api/v1/passkey']);
    expect(lastBody(fake, 'PUT', '/api/v1/passkey')).toEqual({ policy: 'mandatory' });
  });

  test('tracking IDs cannot be written: an error, nothing sent', async () => {
    const { fake, provider } = await setup();
    const live = await provider.read(everything);
    const calls = since(fake);
    const after = { 'tracking.google_analytics': 'G-1' };
    const error = (await provider.writer(live).writeSettings(change('environment', {}, after, [{ path: 'tracking.google_analytics', before: null, after: 'G-1' }])).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.hint).toMatch(/manual/);
    expect(calls()).toEqual([]);
  });
});
