/**
 * Feature flag definitions. Kinde's quirks: the create takes a JSON body, the update (a PUT) takes every field as a
 * required query parameter and no body, and the update cannot grant user-level overrides. Nothing about a
 * definition but its type can be read back, so every write records what it wrote (see state-record.ts).
 */
import { IdmError } from '../../errors.js';
import { writeOnlyKey } from '../../model/live.js';
import type { FeatureFlagChange, FlatState } from '../../model/plan.js';
import type { KindeClient } from './client.js';
import { readEnvironmentFlags } from './read-feature-flags.js';
import type { StateRecords } from './state-record.js';
import { flagValueText } from './values.js';
import { fingerprintsOf, writeOnlyPaths } from './write-only.js';

const segment = encodeURIComponent;

function field(state: FlatState, path: string, key: string): string {
  const value = state[path];
  if (value === undefined || value === null) {
    throw new IdmError(`The feature flag "${key}" has no ${path} to write`, 'INVALID_CHANGE', 'this is a bug in idm: a flag change must carry every field');
  }
  return flagValueText(value);
}

/** Whether the flag exists now: the environment's flag listing is the only place flags can be seen. */
const flagExists = async (client: KindeClient, key: string): Promise<boolean> => (await readEnvironmentFlags(client)).has(key);

export async function writeFeatureFlag(client: KindeClient, records: StateRecords, change: FeatureFlagChange): Promise<void> {
  const { key } = change;
  const object = writeOnlyKey('feature_flag', key);
  if (change.action === 'delete') {
    await client.call('DELETE', `/feature_flags/${segment(key)}`);
    await records.remove(object);
    return;
  }
  const after = change.after;
  const fields = {
    name: field(after, 'name', key),
    description: flagValueText(after.description ?? ''),
    type: field(after, 'type', key),
    allow_override_level: field(after, 'override_level', key),
    default_value: field(after, 'default_value', key),
  };
  if (change.action === 'create') {
    await client.call('POST', '/feature_flags', { body: { key, ...fields }, alreadyDone: () => flagExists(client, key) });
  } else {
    if (fields.allow_override_level === 'usr') {
      throw new IdmError(
        `The feature flag "${key}" cannot be updated: its override level "usr" can only be set when a flag is created`,
        'FLAG_OVERRIDE_LEVEL_USR',
        "Kinde's flag update accepts only env or org; change the flag in the Kinde admin UI, or delete it and let idm create it again",
      );
    }
    await client.call('PUT', `/feature_flags/${segment(key)}`, { query: fields });
  }
  // Both calls write every field of the definition.
  await records.record(object, fingerprintsOf('feature_flag', [...writeOnlyPaths.feature_flag, ...Object.keys(after)], after, change.diff));
}
