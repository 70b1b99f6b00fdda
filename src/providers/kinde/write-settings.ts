/**
 * Business and environment settings: only the calls the changed paths need. Kinde's quirks: the business is read
 * with one set of names and written with another (`has_clickwrap` / `is_click_wrap`), an environment flag value
 * travels in a JSON body (an org's in the query string), and MFA is replaced whole, whichever part changed.
 */
import { IdmError } from '../../errors.js';
import { writeOnlyKey } from '../../model/live.js';
import type { FlatState, SettingsChange, Value } from '../../model/plan.js';
import type { KindeClient } from './client.js';
import type { StateRecords } from './state-record.js';
import { flagValueText } from './values.js';
import { fingerprintsOf } from './write-only.js';

const segment = encodeURIComponent;
const flagPrefix = 'feature_flags.';
const mfaPaths = ['mfa.policy', 'mfa.factors', 'mfa.recovery_codes'];

/** Config path -> the PATCH /business field (the GET calls them name, has_clickwrap, terms_url, privacy_url). */
const businessFields: Readonly<Record<string, string>> = {
  name: 'business_name',
  policy_acceptance: 'is_click_wrap',
  terms_url: 'terms_url',
  privacy_url: 'privacy_url',
};

const cannotWrite = (paths: readonly string[], what: string): IdmError =>
  new IdmError(
    `idm cannot write ${paths.join(', ')} of the ${what}`,
    'INVALID_CHANGE',
    paths.some((p) => p.startsWith('tracking.')) ? 'Kinde has no API for tracking IDs: they are manual steps' : 'this is a bug in idm: the plan holds a field no call writes',
  );

async function writeBusiness(client: KindeClient, change: SettingsChange): Promise<void> {
  const paths = change.diff.map((d) => d.path);
  const unknown = paths.filter((p) => !(p in businessFields));
  if (unknown.length > 0) throw cannotWrite(unknown, 'business');
  const body: Record<string, Value> = Object.fromEntries(paths.map((p) => [businessFields[p]!, change.after[p] ?? null]));
  await client.call('PATCH', '/business', { body });
}

function mfaBody(after: FlatState): Record<string, Value> {
  const policy = after['mfa.policy'];
  const factors = after['mfa.factors'];
  if (typeof policy !== 'string' || !Array.isArray(factors)) {
    throw new IdmError("The environment's MFA needs both a policy and factors to be written", 'INVALID_CHANGE', 'set mfa.policy and mfa.factors in the config');
  }
  const recovery = after['mfa.recovery_codes'];
  return { policy, enabled_factors: factors, ...(typeof recovery === 'boolean' ? { is_recovery_codes_enabled: recovery } : {}) };
}

async function writeEnvironment(client: KindeClient, records: StateRecords, change: SettingsChange): Promise<void> {
  const { after } = change;
  const paths = change.diff.map((d) => d.path);
  const flags = paths.filter((p) => p.startsWith(flagPrefix) && p.length > flagPrefix.length);
  const mfa = paths.some((p) => mfaPaths.includes(p));
  const passkey = paths.includes('passkey.policy');
  const unknown = paths.filter((p) => !flags.includes(p) && !mfaPaths.includes(p) && p !== 'passkey.policy');
  if (unknown.length > 0) throw cannotWrite(unknown, 'environment');

  const written: string[] = [];
  for (const path of flags) {
    await client.call('PATCH', `/environment/feature_flags/${segment(path.slice(flagPrefix.length))}`, { body: { value: flagValueText(after[path]) } });
    written.push(path);
  }
  if (mfa) {
    await client.call('PUT', '/mfa', { body: mfaBody(after) });
    written.push(...mfaPaths);
  }
  if (passkey) {
    await client.call('PUT', '/passkey', { body: { policy: after['passkey.policy'] } });
    written.push('passkey.policy');
  }
  await records.record(writeOnlyKey('environment', 'environment'), fingerprintsOf('environment', written, after, change.diff));
}

export async function writeSettings(client: KindeClient, records: StateRecords, change: SettingsChange): Promise<void> {
  if (change.type === 'business') return writeBusiness(client, change);
  return writeEnvironment(client, records, change);
}
