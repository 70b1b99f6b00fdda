/**
 * Which paths Kinde accepts but never returns, per object type. The reads leave them out of live states; the
 * writers record a fingerprint of each one they write (see state-record.ts), so the next plan can tell whether the
 * config still says what idm last wrote.
 */
import type { FieldDiff, FlatState } from '../../model/plan.js';
import { isWriteOnlyDiff } from '../../model/plan.js';
import { writeOnlyFingerprint } from '../../plan/fingerprint.js';

export const writeOnlyPaths = {
  organization: ['policies.auto_join_domains', 'policies.enforce_mfa', 'mfa.factors', 'mfa.recovery_codes'],
  // No endpoint lists flag definitions: only a flag's type (and its value per environment or org) can be read.
  feature_flag: ['name', 'description', 'default_value', 'override_level'],
  environment: ['mfa.policy', 'mfa.factors', 'mfa.recovery_codes'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The fingerprints to record after writing the paths in `written` with the values in `after`: those of write-only
 * paths, and of any path the plan could not read (a WriteOnlyDiff), whatever its type.
 */
export function fingerprintsOf(
  type: keyof typeof writeOnlyPaths,
  written: Iterable<string>,
  after: FlatState,
  diff: readonly FieldDiff[],
): Map<string, string> {
  const unread = new Set(diff.filter(isWriteOnlyDiff).map((d) => d.path));
  const fields = new Map<string, string>();
  for (const path of written) {
    if (!(path in after)) continue;
    if ((writeOnlyPaths[type] as readonly string[]).includes(path) || unread.has(path)) fields.set(path, writeOnlyFingerprint(after[path]));
  }
  return fields;
}
