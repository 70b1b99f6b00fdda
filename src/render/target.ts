import type { Target } from '../model/target.js';

/** The first line of every plan: which tenant idm is talking to. */
export const describeTarget = (target: Target): string =>
  target.local ? `Target: ${target.provider} (local emulator, state in .idm/)` : `Target: ${target.provider} ${target.url}`;
