/** What of the config a plan for one provider covers; the rest is named in a warning, never silently dropped. */
import type { Desired } from '../model/desired.js';
import { supportedPart, unsupportedSections } from '../model/support.js';
import type { ProviderName } from '../model/target.js';

export function forProvider(desired: Desired, provider: ProviderName, warn: (line: string) => void): Desired {
  const left = unsupportedSections(desired, provider);
  if (left.length > 0) {
    const them = left.length === 1 ? 'it' : 'them';
    warn(
      `warning: the ${provider} provider has no ${left.join(', ')}: this plan leaves ${them} out\n` +
        `  hint: move ${them} to the environments whose target can hold ${them} (README: "What each provider supports")`,
    );
  }
  return supportedPart(desired, provider);
}
