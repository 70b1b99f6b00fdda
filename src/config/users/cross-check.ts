/**
 * Checks across users: unique keys and unique sign-in identities; and, in a config, the users' references to what
 * the config declares: organizations, roles, permissions and feature flags (with override_level usr).
 */
import { formatLocation, type SourceLocation } from '../../errors.js';
import type { FlagType, FlagValue, OverrideLevel, UserSpec } from '../../model/desired.js';
import { ConfigCode } from '../codes.js';
import { error, quote } from '../diagnostic.js';
import { flagTypeHint, flagTypes } from '../flags.js';
import { closest } from '../suggest.js';
import type { CheckedUser } from './check-user.js';
import type { Path } from '../source.js';
import { quoted, type UserView } from './view.js';

/** `idm.yaml:12` from a user in idm.yaml; the full place from a users file. */
const declaredAt = (at: SourceLocation, from: string): string => (at.file === from ? `line ${at.line}` : formatLocation(at).replace(/:\d+$/, ''));

/**
 * What the duplicate checks keep of a user already seen: how to name it and how to point at it. Not the whole user:
 * a file of many thousands would otherwise be held whole until the last one is checked.
 */
interface Seen {
  readonly label: string;
  readonly locate: UserView['locate'];
}

/**
 * Checks users one at a time, in order: errors on the later of two users with one key, and on a second user
 * claiming an email or username.
 */
export function duplicateChecker(): (u: CheckedUser) => void {
  const keys = new Map<string, { seen: Seen; keyPath: Path }>();
  // Where the first holder of an identity declared it is looked up only for a duplicate: locating costs.
  const identities = new Map<string, { seen: Seen; at: Path }>();
  return (u) => {
    const spec = u.spec;
    if (!spec) return;
    const earlier = keys.get(spec.key);
    if (earlier && u.keyPath) {
      const what = spec.id !== undefined ? 'id' : 'primary email';
      u.errors.push(
        error(
          ConfigCode.DuplicateUser,
          `duplicate user ${quoted(u.view, u.keyPath, spec.key)}: a user with this ${what} is already declared at ${declaredAt(earlier.seen.locate(earlier.keyPath), u.view.file)}`,
          u.view.locate(u.keyPath),
          spec.id !== undefined ? 'an id identifies one user: remove one of the two, or give this one another id' : 'a user without an id is identified by its primary email: remove one of the two, or give each an id',
        ),
      );
      return;
    }
    const seen: Seen = { label: u.view.label, locate: u.view.locate };
    keys.set(spec.key, { seen, keyPath: u.keyPath ?? [] });
    spec.identities.forEach((identity, k) => {
      // Kinde keeps one user per email and per username; a phone number may be shared (Kinde's docs warn about it).
      if (identity.type !== 'email' && identity.type !== 'username') return;
      const id = `${identity.type}:${identity.value}`;
      const first = identities.get(id);
      if (!first) {
        identities.set(id, { seen, at: u.identityPaths[k]! });
        return;
      }
      if (first.seen === seen) return;
      const path = [...u.identityPaths[k]!, 'value'];
      u.errors.push(
        error(
          ConfigCode.DuplicateIdentity,
          `${identity.type} ${quoted(u.view, path, identity.value)} of ${u.view.label} is already an identity of ${first.seen.label} (${declaredAt(first.seen.locate([...first.at, 'value']), u.view.file)})`,
          u.view.locate(path),
          `Kinde gives each ${identity.type} to one user only: remove it from one of them${identity.type === 'username' ? ' (usernames are compared without regard to case)' : ''}`,
        ),
      );
    });
  };
}

/** duplicateChecker over a list. */
export function checkDuplicates(users: readonly CheckedUser[]): void {
  const check = duplicateChecker();
  for (const u of users) check(u);
}

export interface DeclaredFlag {
  readonly type: FlagType;
  readonly overrideLevel: OverrideLevel;
  /** Where the flag's key is written, for "declared at". */
  readonly at: SourceLocation;
}

/** What the config declares. A collection that is `undefined` could not be read completely: it is not judged. */
export interface Declared {
  readonly organizations?: ReadonlySet<string>;
  readonly roles?: ReadonlySet<string>;
  readonly permissions?: ReadonlySet<string>;
  readonly flags?: ReadonlyMap<string, DeclaredFlag>;
}

/** A value from a Kinde file, where every flag value is text, read as the flag's type (left as is when it is not one). */
export function flagValueFromText(type: FlagType, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (type === 'bool' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (type === 'int' && /^-?[0-9]+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

/** Checks users one at a time: errors on references to organizations, roles, permissions and flags the config does not declare. */
export function referenceChecker(declared: Declared): (u: CheckedUser) => void {
  const orgs = [...(declared.organizations ?? [])];
  const roles = [...(declared.roles ?? [])];
  const permissions = [...(declared.permissions ?? [])];
  const flags = [...(declared.flags?.keys() ?? [])];
  const suggest = (key: string, candidates: readonly string[], secret: boolean): string | undefined => (secret ? undefined : closest(key, candidates));

  return (u) => {
    const { view } = u;
    const coerced = new Map<string, FlagValue>();
    for (const ref of u.refs) {
      // Located only for an error: most references are fine, and locating costs.
      const at = (): SourceLocation => view.locate(ref.path);
      const secret = view.secretVars(ref.path) !== undefined;
      const shown = quoted(view, ref.path, ref.key);
      if (ref.kind === 'organization') {
        if (!declared.organizations || declared.organizations.has(ref.key)) continue;
        const s = suggest(ref.key, orgs, secret);
        u.errors.push(
          error(
            ConfigCode.UnknownOrganization,
            `${view.label} is a member of unknown organization ${shown}`,
            at(),
            s ? `did you mean ${quote(s)}? If not, declare it under organizations:` : `declare it under organizations:, e.g. - { external_id: ${secret ? '...' : ref.key}, name: ... }`,
          ),
        );
      } else if (ref.kind === 'role' || ref.kind === 'permission') {
        const known = ref.kind === 'role' ? declared.roles : declared.permissions;
        if (!known || known.has(ref.key)) continue;
        const s = suggest(ref.key, ref.kind === 'role' ? roles : permissions, secret);
        const section = ref.kind === 'role' ? 'roles:' : 'permissions:';
        u.errors.push(
          error(
            ref.kind === 'role' ? ConfigCode.UnknownRole : ConfigCode.UnknownPermission,
            `${view.label} is given unknown ${ref.kind} ${shown} in organization ${quote(ref.org)}`,
            at(),
            s ? `did you mean ${quote(s)}? If not, declare it under ${section}` : `declare it under ${section}, e.g. - { key: ${secret ? '...' : ref.key}, name: ... }`,
          ),
        );
      } else if (ref.kind === 'flag') {
        const keyAt = (): SourceLocation => view.locate(ref.path, { key: true });
        const flag = declared.flags?.get(ref.key);
        if (!declared.flags) continue;
        if (!flag) {
          const s = suggest(ref.key, flags, false);
          u.errors.push(
            error(
              ConfigCode.UnknownFeatureFlag,
              `${view.label} sets unknown feature flag ${quote(ref.key)}`,
              keyAt(),
              s ? `did you mean ${quote(s)}? If not, declare the flag under feature_flags:` : `declare it under feature_flags:, e.g. - { key: ${ref.key}, name: ..., type: bool, default: false, override_level: usr }`,
            ),
          );
          continue;
        }
        const flagAt = declaredAt(flag.at, view.file);
        // Kinde's import files write every flag value as text; read it as the flag's type.
        const value = view.from === 'kinde-ndjson' ? flagValueFromText(flag.type, ref.value) : ref.value;
        const hint = flagTypeHint(flag.type, value, secret || view.secretVars(ref.path) !== undefined);
        if (hint !== undefined) {
          const got = typeof value === 'string' ? (secret ? 'a string from ${env:...}' : `string ${quote(value)}`) : value === null || value === undefined ? 'null (an empty value)' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${String(value)}`;
          u.errors.push(
            error(
              ConfigCode.FeatureFlagValueType,
              `feature flag ${quote(ref.key)} has type ${flag.type} (declared at ${flagAt}), so its value for ${view.label} must be ${flagTypes[flag.type]}, got ${got}`,
              at(),
              hint,
            ),
          );
        } else if (value !== ref.value) coerced.set(ref.key, value as FlagValue);
        if (flag.overrideLevel !== 'usr') {
          u.errors.push(
            error(
              ConfigCode.FeatureFlagOverrideLevel,
              `${view.label} overrides feature flag ${quote(ref.key)}, which users may not override (override_level: ${flag.overrideLevel}; the flag is declared at ${flagAt})`,
              keyAt(),
              `to let users set it, write override_level: usr on the flag; or remove this value`,
            ),
          );
        }
      }
    }
    if (coerced.size > 0 && u.spec?.featureFlags) {
      const spec: UserSpec = { ...u.spec, featureFlags: new Map([...u.spec.featureFlags].map(([k, v]) => [k, coerced.get(k) ?? v])) };
      u.spec = spec;
    }
  };
}

/** referenceChecker over a list. */
export function checkReferences(users: readonly CheckedUser[], declared: Declared): void {
  const check = referenceChecker(declared);
  for (const u of users) check(u);
}
