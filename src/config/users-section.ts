/**
 * The users of a config: `users.list`, and the users of `users_file` (read in its format, located in its own file).
 * Each user is checked on its own, then all together (unique keys and sign-in identities), then against what the
 * config declares (organizations, roles, permissions, flags that users may override).
 *
 * An invalid user of `users.list` is always an error. An invalid user of `users_file` is an error too, unless
 * `skipInvalid` is set: then it is left out, and its problems are reported as warnings with a summary of what was
 * skipped. A problem with the file as a whole (it cannot be read, its format cannot be told, an unclosed CSV quote)
 * is always an error: no user of it could be trusted.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { OverrideLevel, UserSpec } from '../model/desired.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, quote, warning } from './diagnostic.js';
import { uniqueEntries } from './entries.js';
import { isFlagType } from './flags.js';
import { detectUsersFormat, readUsers, usersFileFormats } from './import/convert.js';
import type { ReferenceCheck } from './references.js';
import type { ConfigSource, Path } from './source.js';
import { closest } from './suggest.js';
import { checkUser, type CheckedUser } from './users/check-user.js';
import { duplicateChecker, referenceChecker, type Declared, type DeclaredFlag } from './users/cross-check.js';
import { configUserView } from './users/view.js';
import type { Substitutions } from './variables.js';

export interface UsersOptions {
  /** Leave invalid users of users_file out (reported as warnings) instead of failing. */
  readonly skipInvalid?: boolean;
  /** Reads a file the config names (users_file, hash_file), by its path joined to the directory of the file naming it. */
  readonly readFile?: (path: string) => string;
}

export interface UsersCheck extends ReferenceCheck {
  /** The valid users, keyed by UserSpec.key, in order: users.list, then users_file. */
  readonly users: ReadonlyMap<string, UserSpec>;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const readUtf8 = (path: string): string => readFileSync(path, 'utf8');

/** Why a file could not be read, in words. */
function readFailure(cause: unknown): { code: ConfigCode; reason: string } {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { code: ConfigCode.UsersFileNotFound, reason: 'it does not exist' };
  const reason = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (cause as Error).message;
  return { code: ConfigCode.UsersFileUnreadable, reason };
}

/** What the config declares, for the users' references; a collection that cannot be read completely is not judged. */
function declared(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): Declared {
  const discard: Diagnostic[] = []; // duplicates are reported by the checks of those sections
  const keys = (collection: 'organizations' | 'roles' | 'permissions'): ReadonlySet<string> | undefined => {
    const entries = uniqueEntries(collection, data, source, describe, substitutions, discard);
    return entries.complete ? new Set(entries.first.keys()) : undefined;
  };
  const flagEntries = uniqueEntries('feature_flags', data, source, describe, substitutions, discard);
  let flags: Map<string, DeclaredFlag> | undefined = flagEntries.complete ? new Map() : undefined;
  for (const { index, key } of flagEntries.first.values()) {
    const type = valueAt(data, ['feature_flags', index, 'type']);
    const level = valueAt(data, ['feature_flags', index, 'override_level']) ?? 'env';
    if (!isFlagType(type) || (level !== 'env' && level !== 'org' && level !== 'usr')) {
      flags = undefined; // a schema error: values of this flag cannot be judged
      break;
    }
    flags?.set(key, { type, overrideLevel: level as OverrideLevel, at: source.locate(['feature_flags', index, 'key']) });
  }
  return { organizations: keys('organizations'), roles: keys('roles'), permissions: keys('permissions'), ...(flags ? { flags } : {}) };
}

export function checkUsersSection(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions, options: UsersOptions = {}): UsersCheck {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const readFile = options.readFile ?? readUtf8;
  // A path is relative to the file it is written in: the config, or the overlay of the environment.
  const resolve = (path: string, at: Path): string => (isAbsolute(path) ? path : join(dirname(source.locate(at).file), path));
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };

  // Each user is checked on its own and against the users before it, then kept as its spec (or its problems): the
  // users of a large file are never all held at once.
  const known = declared(data, source, describe, substitutions);
  const checkDuplicate = duplicateChecker();
  const checkReferenceKeys = referenceChecker(known);
  const users = new Map<string, UserSpec>();
  let count = 0;
  let skipped = 0;
  const skippedLines: number[] = [];
  const settle = (u: CheckedUser, inFile: boolean): void => {
    count++;
    checkDuplicate(u);
    checkReferenceKeys(u);
    warnings.push(...u.warnings);
    if (u.errors.length === 0 && u.spec) {
      users.set(u.spec.key, u.spec);
      return;
    }
    if (inFile && options.skipInvalid) {
      warnings.push(...u.errors.map((d): Diagnostic => ({ ...d, severity: 'warning' })));
      skipped++;
      skippedLines.push(...u.view.lines);
    } else errors.push(...u.errors);
  };

  // users.list
  const list = valueAt(data, ['users', 'list']);
  if (Array.isArray(list)) {
    list.forEach((raw: unknown, i) =>
      settle(checkUser({ raw, view: configUserView(source, describe, substitutions, i), problems: [] }, { readHashFile: (path) => readFile(resolve(path, ['users', 'list', i, 'password', 'hash_file'])) }), false),
    );
  }

  // users_file
  const spec = valueAt(data, ['users_file']);
  const pathAt: Path = isMapping(spec) ? ['users_file', 'path'] : ['users_file'];
  const written = typeof spec === 'string' ? spec : isMapping(spec) && typeof spec.path === 'string' ? spec.path : undefined;
  let fileName: string | undefined;
  if (written && !unresolved(pathAt)) {
    const file = resolve(written, pathAt);
    fileName = file;
    const shown = describe.quoted(pathAt, written);
    let text: string | undefined;
    try {
      text = readFile(file);
    } catch (cause) {
      const { code, reason } = readFailure(cause);
      errors.push(error(code, `cannot read users_file ${shown}: ${reason}`, source.locate(pathAt), `the path is relative to ${source.locate(pathAt).file === source.file ? 'the config file' : source.locate(pathAt).file}, so idm looked for ${file}`));
    }
    // A format that is not one of the choices is a schema error; then nothing is read.
    const named = isMapping(spec) ? spec.format : undefined;
    let format = usersFileFormats.find((f) => f === named);
    if (text !== undefined && named === undefined) {
      const detected = detectUsersFormat(text, file);
      format = detected.format;
      if (!format) {
        errors.push(
          error(
            ConfigCode.UsersFormatUnknown,
            `cannot tell the format of users_file ${shown}: ${detected.reason}`,
            source.locate(pathAt),
            `name it: users_file: { path: ${describe.secretVars(pathAt) ? '...' : written}, format: ... }, with format one of ${usersFileFormats.join(', ')}`,
          ),
        );
      }
    }
    if (text !== undefined && format) {
      const read = readUsers(text, format, file);
      errors.push(...read.fatal);
      warnings.push(...read.warnings);
      const defaultOrganization = isMapping(spec) && typeof spec.default_organization === 'string' ? spec.default_organization : undefined;
      if (read.fatal.length === 0) for (const c of read.candidates) settle(checkUser(c, defaultOrganization === undefined ? {} : { defaultOrganization }), true);
    }
  }

  const defaultAt: Path = ['users_file', 'default_organization'];
  const defaultOrg = valueAt(data, defaultAt);
  if (typeof defaultOrg === 'string' && defaultOrg !== '' && known.organizations && !known.organizations.has(defaultOrg) && !unresolved(defaultAt)) {
    const meant = describe.secretVars(defaultAt) ? undefined : closest(defaultOrg, known.organizations);
    errors.push(
      error(
        ConfigCode.UnknownOrganization,
        `default_organization ${describe.quoted(defaultAt, defaultOrg)} of users_file is not declared under organizations:`,
        source.locate(defaultAt),
        meant ? `did you mean ${quote(meant)}? If not, declare it under organizations:` : 'declare it under organizations:, or name one that is',
      ),
    );
  }

  // Modes.
  const mode = valueAt(data, ['users', 'mode']) ?? 'seed';
  if (valueAt(data, ['prune', 'users']) === true) {
    const at = source.locate(['prune', 'users']);
    if (mode === 'seed') {
      warnings.push(warning(ConfigCode.PruneUsers, 'prune.users does nothing in seed mode: seed mode never deletes users', at, 'write users: { mode: managed } to let idm update and delete users, or remove prune.users'));
    } else if (mode === 'managed' && count === 0 && written === undefined) {
      warnings.push(
        warning(ConfigCode.PruneUsers, 'prune.users in managed mode with no users listed: the plan deletes every user of the tenant', at, 'list the users to keep under users.list or in users_file, or set prune.users: false'),
      );
    }
  }

  if (skipped > 0) {
    skippedLines.sort((a, b) => a - b);
    // A long list would drown the summary: the problems themselves name every line.
    const lines = skippedLines.length > 20 ? `${skippedLines.slice(0, 20).join(', ')} and ${skippedLines.length - 20} more` : skippedLines.join(', ');
    warnings.push(
      warning(
        ConfigCode.UsersSkipped,
        `skipped ${skipped} invalid ${skipped === 1 ? 'user' : 'users'} of ${fileName} (${skippedLines.length === 1 ? 'line' : 'lines'} ${lines}); each problem is reported at its line`,
        source.locate(pathAt),
        'fix them and run again to import them too',
      ),
    );
  }
  return { errors, warnings, users };
}
