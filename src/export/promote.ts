/**
 * A live tenant as the state to promote to another (`idm diff --from A --to B`): its export as a Desired model, plus
 * what an export must leave out but a comparison can use. Kinde cannot return a flag's definition, so an export has
 * no flags, and with them no flag values; the values themselves are readable, and comparing them is what shows that a
 * flag is on in dev only.
 */
import type { Desired, FlagValue } from '../model/desired.js';
import type { Live } from '../model/live.js';
import type { FlatState } from '../model/plan.js';
import { desiredFromLive, type DesiredFromLiveOptions } from './desired.js';

const flagPrefix = 'feature_flags.';

function flagValues(state: FlatState | undefined): Map<string, FlagValue> {
  const values = new Map<string, FlagValue>();
  for (const [path, value] of Object.entries(state ?? {})) {
    if (path.startsWith(flagPrefix) && value !== null && !Array.isArray(value)) values.set(path.slice(flagPrefix.length), value as FlagValue);
  }
  return values;
}

export function promotionDesired(live: Live, options: DesiredFromLiveOptions = {}): Desired {
  const exported = desiredFromLive(live, options);
  const envFlags = flagValues(live.settings.environment);
  const organizations = new Map(
    [...exported.organizations].map(([key, org]) => {
      // An org's flags read as effective values: one equal to the environment's is inherited, not an override.
      const flags = new Map([...flagValues(live.organizations.get(key)?.state)].filter(([flag, value]) => envFlags.get(flag) !== value));
      return [key, flags.size > 0 ? { ...org, featureFlags: flags } : org];
    }),
  );
  const environment = envFlags.size > 0 ? { tracking: {}, ...exported.environment, featureFlags: envFlags } : exported.environment;
  return { ...exported, organizations, ...(environment ? { environment } : {}) };
}
