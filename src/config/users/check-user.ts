/**
 * The checks of one user, wherever it was declared: identities (form, one primary per type, enterprise alone),
 * its key, its password, its memberships. The user's references (organizations, roles, permissions, flags) are
 * collected for the config to check against what it declares; a users file converted on its own has nothing to check
 * them against.
 *
 * The checks judge only values of the right type: a wrong type is a schema error (config, idm NDJSON) or was reported
 * by the reader of the file, so that each mistake is reported once.
 */
import type { Diagnostic } from '../../errors.js';
import type { FlagValue, IdentitySpec, IdentityType, MembershipSpec, UserSpec } from '../../model/desired.js';
import { ConfigCode } from '../codes.js';
import { error } from '../diagnostic.js';
import { IDENTITY_TYPE } from '../formats.js';
import type { Path } from '../source.js';
import { checkEmail, checkPhone, checkUsername, type ValueProblem } from './identities.js';
import { checkPassword, type PasswordContext } from './password.js';
import { placeOf, quoted, type UserCandidate, type UserView } from './view.js';

export interface UserContext extends PasswordContext {
  /** The organization of users that list none (users_file `default_organization`); checked once, by the config. */
  readonly defaultOrganization?: string;
}

/** Something a user refers to by key, and where. */
export type UserReference =
  | { readonly kind: 'organization'; readonly key: string; readonly path: Path }
  | { readonly kind: 'role' | 'permission'; readonly key: string; readonly org: string; readonly path: Path }
  | { readonly kind: 'flag'; readonly key: string; readonly value: unknown; readonly path: Path };

export interface CheckedUser {
  readonly view: UserView;
  /** The user as far as it could be read; use it only when `errors` is empty. Absent when it has no key. */
  spec?: UserSpec;
  /** Where the key was taken from (the id, or the primary email identity's value). */
  readonly keyPath?: Path;
  /** The path of each identity of `spec`, in order. */
  readonly identityPaths: readonly Path[];
  readonly refs: readonly UserReference[];
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** The one empty set of every membership without roles or permissions: most of a large file's, and never changed. */
const noKeys: ReadonlySet<string> = new Set();
const shared = (keys: ReadonlySet<string>): ReadonlySet<string> => (keys.size > 0 ? keys : noKeys);

const articleFor = (type: string): string => (type === 'email' || type === 'enterprise' || type.startsWith('oauth2') ? 'an' : 'a');

export function checkUser(candidate: UserCandidate, context: UserContext = {}): CheckedUser {
  const { raw, view } = candidate;
  const errors = candidate.problems.filter((d) => d.severity === 'error');
  const warnings = candidate.problems.filter((d) => d.severity === 'warning');
  const refs: UserReference[] = [];
  const identityPaths: Path[] = [];
  const result = (spec?: UserSpec, keyPath?: Path): CheckedUser => ({ view, ...(spec ? { spec } : {}), ...(keyPath ? { keyPath } : {}), identityPaths, refs, errors, warnings });
  if (!isMapping(raw)) return result();
  const fail = (code: ConfigCode, message: string, path: Path, hint: string, options?: { key?: boolean }): void =>
    void errors.push(error(code, message, view.locate(path, options), hint));

  // Identities.
  const identities: IdentitySpec[] = [];
  const primaryWritten = new Map<string, number>();
  const seen = new Map<string, Path>();
  const rawIdentities = Array.isArray(raw.identities) ? (raw.identities as unknown[]) : [];
  // An identity that is wrong in itself (reported already) might be the email the key would come from.
  let unreadable = 0;
  rawIdentities.forEach((item, i) => {
    const path: Path = ['identities', i];
    const { type, value } = isMapping(item) ? item : {};
    if (typeof type !== 'string' || !IDENTITY_TYPE.test(type) || !nonEmpty(value) || view.unresolved([...path, 'value']) || view.unresolved([...path, 'type'])) {
      unreadable++; // schema errors, or not the real value
      return;
    }
    if (!isMapping(item)) return;
    const secret = view.secretVars([...path, 'value']) !== undefined;
    const shown = quoted(view, [...path, 'value'], value);
    let problem: ValueProblem | undefined;
    if (type === 'email') problem = checkEmail(value, secret);
    else if (type === 'phone') problem = checkPhone(value, secret);
    else if (type === 'username') problem = checkUsername(value, secret);
    if (problem) {
      unreadable++;
      fail(problem.code, `${type} ${shown} of ${view.label} ${problem.problem}`, [...path, 'value'], problem.hint);
      return;
    }
    // Kinde compares emails and usernames without case: one spelling in the model, so plans compare equal.
    const normalised = type === 'email' || type === 'username' ? value.toLowerCase() : value;
    const connection = item.connection_id;
    if (nonEmpty(connection) && !(type === 'enterprise' || type.startsWith('oauth2:'))) {
      fail(ConfigCode.InvalidIdentity, `${articleFor(type)} ${type} identity of ${view.label} has a connection_id, which only enterprise and oauth2 identities have`, [...path, 'connection_id'], 'remove connection_id');
    }
    const id = `${type}:${normalised}`;
    const earlier = seen.get(id);
    if (earlier) {
      fail(ConfigCode.DuplicateIdentity, `${view.label} lists ${type} ${shown} twice; the first is at ${placeOf(view.locate(earlier), view.file)}`, [...path, 'value'], 'remove the repeat' + (type === 'email' || type === 'username' ? ` (${type}s are compared without regard to case)` : ''));
      return;
    }
    seen.set(id, path);
    if (item.primary === true) {
      const first = primaryWritten.get(type);
      if (first !== undefined) {
        fail(
          ConfigCode.MultiplePrimary,
          `${view.label} has more than one primary ${type} identity; the first is at ${placeOf(view.locate(['identities', first, 'primary']), view.file)}`,
          [...path, 'primary'],
          `a user has at most one primary identity of each type: remove primary: true from all but one`,
          { key: true },
        );
      } else primaryWritten.set(type, i);
    }
    identities.push({
      type: type as IdentityType,
      value: normalised,
      verified: item.verified === true,
      primary: item.primary === true && primaryWritten.get(type) === i,
      ...(nonEmpty(connection) ? { connectionId: connection } : {}),
    });
    identityPaths.push(path);
  });
  // The first of each type is primary when none is marked, so that each type has exactly one (IdentitySpec.primary).
  const withPrimary = new Set(identities.filter((i) => i.primary).map((i) => i.type));
  for (let k = 0; k < identities.length; k++) {
    const identity = identities[k]!;
    if (withPrimary.has(identity.type)) continue;
    withPrimary.add(identity.type);
    identities[k] = { ...identity, primary: true };
  }
  const enterprise = rawIdentities.findIndex((x) => isMapping(x) && x.type === 'enterprise');
  if (enterprise >= 0 && rawIdentities.length > 1) {
    const others = rawIdentities.length - 1;
    fail(
      ConfigCode.EnterpriseNotAlone,
      `${view.label} has an enterprise identity and ${others} other ${others === 1 ? 'identity' : 'identities'}; Kinde does not allow an enterprise identity beside others`,
      ['identities', enterprise, 'type'],
      'keep only the enterprise identity (its email comes from the identity provider), or remove it',
    );
  }
  if (rawIdentities.length === 0 && !view.schemaChecked && !candidate.incomplete?.has('identities')) {
    fail(ConfigCode.UserNoIdentity, `${view.label} has no identity to sign in with`, [], 'give the user an email, a phone number or a username (Kinde needs at least one identity)');
  }

  // The key: the provided id, else the primary email.
  let key: string | undefined;
  let keyPath: Path | undefined;
  if (nonEmpty(raw.id)) {
    if (!view.unresolved(['id'])) {
      key = raw.id;
      keyPath = ['id'];
    }
  } else {
    const k = identities.findIndex((i) => i.type === 'email' && i.primary);
    if (k >= 0) {
      key = identities[k]!.value;
      keyPath = [...identityPaths[k]!, 'value'];
    } else if (unreadable === 0 && rawIdentities.length > 0) {
      fail(ConfigCode.UserNoKey, `${view.label} has neither an id nor an email identity, so idm cannot tell whether it already exists`, [], 'add an id (your stable identifier for the user, Kinde\'s provided_id) or an email identity: idm matches users on them');
    }
  }

  // The password.
  let password: UserSpec['password'];
  if (raw.password !== undefined) {
    const checked = checkPassword(raw.password, view, context);
    errors.push(...checked.errors);
    warnings.push(...checked.warnings);
    password = checked.spec;
  }

  // Memberships.
  const organizations = new Map<string, MembershipSpec>();
  const orgPaths = new Map<string, Path>();
  const rawOrgs = Array.isArray(raw.organizations) ? (raw.organizations as unknown[]) : [];
  rawOrgs.forEach((item, m) => {
    const path: Path = ['organizations', m];
    if (!isMapping(item) || !nonEmpty(item.external_id) || view.unresolved([...path, 'external_id'])) return;
    const org = item.external_id;
    const earlier = orgPaths.get(org);
    if (earlier) {
      fail(
        ConfigCode.DuplicateMembership,
        `${view.label} lists organization ${quoted(view, [...path, 'external_id'], org)} twice; the first is at ${placeOf(view.locate(earlier), view.file)}`,
        [...path, 'external_id'],
        'merge the two: list the roles and permissions of an organization once',
      );
      return;
    }
    orgPaths.set(org, path);
    refs.push({ kind: 'organization', key: org, path: [...path, 'external_id'] });
    const membership = { roles: new Set<string>(), permissions: new Set<string>() };
    for (const kind of ['roles', 'permissions'] as const) {
      const keys = item[kind];
      if (!Array.isArray(keys)) continue;
      keys.forEach((k: unknown, r) => {
        if (!nonEmpty(k) || view.unresolved([...path, kind, r])) return;
        membership[kind].add(k);
        refs.push({ kind: kind === 'roles' ? 'role' : 'permission', key: k, org, path: [...path, kind, r] });
      });
    }
    organizations.set(org, { roles: shared(membership.roles), permissions: shared(membership.permissions) });
  });
  if (rawOrgs.length === 0) {
    if (context.defaultOrganization !== undefined) organizations.set(context.defaultOrganization, { roles: noKeys, permissions: noKeys });
    else if (!view.schemaChecked && !candidate.incomplete?.has('organizations')) {
      const how: Partial<Record<UserView['from'], string>> = {
        'kinde-csv': 'fill in external_organization_id',
        'kinde-ndjson': 'add "organizations": [{"external_id": "..."}]',
        auth0: 'Auth0 exports name no organizations, so',
      };
      fail(
        ConfigCode.UserNoOrganization,
        `${view.label} belongs to no organization`,
        [],
        `${how[view.from] ?? 'list its organizations'}${view.from === 'auth0' ? '' : ', or'} set default_organization (users_file: { path, default_organization }): every Kinde user is in at least one organization`,
      );
    }
  }

  // Property and flag values.
  let properties: Map<string, string> | undefined;
  if (isMapping(raw.properties)) {
    properties = new Map();
    for (const [k, v] of Object.entries(raw.properties)) if (typeof v === 'string') properties.set(k, v);
  }
  let featureFlags: Map<string, FlagValue> | undefined;
  if (isMapping(raw.feature_flags)) {
    featureFlags = new Map();
    for (const [k, v] of Object.entries(raw.feature_flags)) {
      refs.push({ kind: 'flag', key: k, value: v, path: ['feature_flags', k] });
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') featureFlags.set(k, v);
    }
  }

  if (key === undefined) return result();
  const spec: UserSpec = {
    key,
    ...(nonEmpty(raw.id) ? { id: raw.id } : {}),
    ...(typeof raw.first_name === 'string' ? { firstName: raw.first_name } : {}),
    ...(typeof raw.last_name === 'string' ? { lastName: raw.last_name } : {}),
    ...(typeof raw.suspended === 'boolean' ? { suspended: raw.suspended } : {}),
    identities,
    ...(password ? { password } : {}),
    ...(properties ? { properties } : {}),
    ...(featureFlags ? { featureFlags } : {}),
    organizations,
    source: view.source,
  };
  return result(spec, keyPath);
}
