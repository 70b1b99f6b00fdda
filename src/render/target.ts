import type { Target } from '../model/target.js';

/** Where the local target keeps an environment's tenant, as the user would look for it. */
const localState = (target: Target): string => `.idm/${target.environment === undefined ? '' : `${target.environment}/`}`;

/** The first line of every plan: which tenant idm is talking to, and for which environment of the config. */
export const describeTarget = (target: Target): string =>
  target.local
    ? `Target: ${target.provider} (local emulator, state in ${localState(target)}${target.environment === undefined ? '' : `; environment ${target.environment}`})`
    : `Target: ${target.provider} ${target.url}${target.environment === undefined ? '' : ` (environment ${target.environment})`}`;

/** A target in a few words, for a table: `kinde https://acme.kinde.com`, `kinde local emulator (.idm/dev/)`. */
export const targetLabel = (target: Target): string => (target.local ? `${target.provider} local emulator (${localState(target)})` : `${target.provider} ${target.url}`);
