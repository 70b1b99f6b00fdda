/**
 * Fields Kinde accepts but never returns (an org's enforce_mfa, MFA factors, a flag's override level...) cannot be
 * read, but idm keeps a fingerprint of what it last wrote to each (the state record, see Live.writeOnly). Where a
 * field can hold only a few values, the one whose fingerprint matches the record is the value idm wrote: the plan
 * compares the config with that same fingerprint, so an export holding it plans as no change. A field idm never
 * wrote, or one with too many possible values (a name), stays out of the export.
 */
import type { MfaFactor } from '../model/desired.js';
import type { Value } from '../model/plan.js';
import { writeOnlyFingerprint } from '../plan/fingerprint.js';

export type Fingerprints = ReadonlyMap<string, string> | undefined;

/** The candidate whose fingerprint idm recorded at `path`, or undefined. */
export function recorded<T extends Value>(fields: Fingerprints, path: string, candidates: readonly T[]): T | undefined {
  const fingerprint = fields?.get(path);
  if (fingerprint === undefined) return undefined;
  return candidates.find((c) => writeOnlyFingerprint(c) === fingerprint);
}

export const booleans: readonly boolean[] = [true, false];

const factors: readonly MfaFactor[] = ['mfa:authenticator_app', 'mfa:email', 'mfa:sms'];

/** Every non-empty set of MFA factors, each sorted (the order the record fingerprints them in). */
export const factorSets: readonly (readonly MfaFactor[])[] = Array.from({ length: 2 ** factors.length - 1 }, (_, i) =>
  factors.filter((_, bit) => ((i + 1) >> bit) & 1).sort(),
);
