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
  // Nothing returns a password; the plan compares these three instead of the hash (see PasswordSpec).
  user: ['password.method', 'password.version', 'password.temporary'],
} as const satisfies Record<string, readonly string[]>;

export type WriteOnlyType = keyof typeof writeOnlyPaths;

/**
 * Whether Kinde never returns `path` of an object of `type`. Beyond the fixed paths: a user's flag overrides (Kinde
 * has no GET for them). Which social or enterprise identity is primary is only sometimes unreadable (see
 * read-users.ts): the writer records it where the read cannot see it, and the planner marks it unread otherwise.
 */
export function isWriteOnly(type: WriteOnlyType, path: string): boolean {
  if ((writeOnlyPaths[type] as readonly string[]).includes(path)) return true;
  return type === 'user' && path.startsWith('feature_flags.');
}

/**
 * The fingerprints to record after writing the paths in `written` with the values in `after`: those of write-only
 * paths, and of any path the plan could not read (a WriteOnlyDiff), whatever its type.
 */
export function fingerprintsOf(
  type: WriteOnlyType,
  written: Iterable<string>,
  after: FlatState,
  diff: readonly FieldDiff[],
  /** Paths written that the next read will not see, beyond those `type` never shows. */
  unreadable: Iterable<string> = [],
): Map<string, string> {
  const unread = new Set([...diff.filter(isWriteOnlyDiff).map((d) => d.path), ...unreadable]);
  const fields = new Map<string, string>();
  for (const path of written) {
    if (!(path in after)) continue;
    if (isWriteOnly(type, path) || unread.has(path)) fields.set(path, writeOnlyFingerprint(after[path]));
  }
  return fields;
}
