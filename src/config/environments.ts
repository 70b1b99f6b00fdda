/**
 * Environments (`environments:`): choosing one (--env), and turning the base config into that environment's config
 * (its overlay merged in; in a production environment, the base's seed users left out).
 */
import { dirname, isAbsolute, join } from 'node:path';
import { isMap, isPair, isScalar, type Node, type Pair } from 'yaml';
import { IdmError, type Diagnostic } from '../errors.js';
import { checkAliases } from './aliases.js';
import { ConfigCode } from './codes.js';
import { error, quote, warning } from './diagnostic.js';
import { checkOverlay, mergeOverlay } from './overlay.js';
import { parseYaml } from './parse.js';
import type { ReferenceCheck } from './references.js';
import type { ConfigSource } from './source.js';
import { closest } from './suggest.js';
import type { Substitutions } from './variables.js';

/** `--env all`: every environment, in the order the config declares them. */
export const ALL_ENVIRONMENTS = 'all';

/** Environment names name directories of the local target's state (`.idm/<name>/`): no separators, no dot first. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The environments the config declares, in order: empty when it declares none, undefined when `environments:` is not a
 * mapping (a schema error, reported later).
 */
export function environmentNames(source: ConfigSource): string[] | undefined {
  const node = source.nodeAt(['environments']);
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) return undefined;
  return node.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []));
}

const list = (names: readonly string[]): string => names.join(', ');

/** The environment to load: `requested` if the config declares it; none when the config declares none. */
export function chooseEnvironment(names: readonly string[] | undefined, requested: string | undefined, file: string): string | undefined {
  if (names === undefined) return undefined;
  if (requested === undefined) {
    if (names.length === 0) return undefined;
    throw new IdmError(
      `${file} declares environments (${list(names)}): choose one with --env`,
      'ENVIRONMENT_REQUIRED',
      `e.g. --env ${names[0]}, or set IDM_ENV; validate and plan also take --env ${ALL_ENVIRONMENTS}`,
    );
  }
  if (names.length === 0) {
    throw new IdmError(
      `environment ${requested} was asked for (--env or IDM_ENV), but ${file} declares no environments`,
      'NO_ENVIRONMENTS',
      'declare them under environments: (see examples/promotion/idm.yaml), or run without --env and unset IDM_ENV',
    );
  }
  if (names.includes(requested)) return requested;
  const meant = closest(requested, names);
  throw new IdmError(
    `unknown environment ${quote(requested)}: ${file} declares ${list(names)}`,
    'UNKNOWN_ENVIRONMENT',
    meant ? `did you mean --env ${meant}?` : `pass one of: ${list(names)}`,
  );
}

/** Environment names that could not name a state directory, and the reserved `all`. */
export function checkEnvironmentNames(source: ConfigSource): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const node = source.nodeAt(['environments']);
  if (!isMap(node)) return { errors, warnings: [] };
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const name = String(pair.key.value);
    const at = source.locationOf(pair.key);
    if (name.toLowerCase() === ALL_ENVIRONMENTS) {
      errors.push(error(ConfigCode.EnvironmentName, `"${name}" cannot name an environment: --env ${ALL_ENVIRONMENTS} means every environment`, at, 'choose another name'));
    } else if (!ENVIRONMENT_NAME.test(name)) {
      errors.push(
        error(
          ConfigCode.EnvironmentName,
          `environment name ${quote(name)} may hold only letters, digits, "-" and "_", starting with a letter or digit`,
          at,
          'the name is also the directory of its local state (.idm/<name>/); e.g. dev, staging, prod, eu-prod',
        ),
      );
    }
  }
  return { errors, warnings: [] };
}

export interface EnvironmentStage {
  /** The config of the environment: the base with its overlay merged in. */
  readonly source: ConfigSource;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** The overlay could not be read: the config of the environment is not known. */
  readonly fatal: boolean;
}

const topLevelField = (pair: Pair): string | undefined => (isScalar(pair.key) ? String(pair.key.value) : undefined);
const userFields: ReadonlySet<string> = new Set(['users', 'users_file']);

/**
 * The config of `environment`: its overlay (`file:`) read, checked and merged over `base`. Runs after the variables
 * of the declarations are substituted (`substitutions`), before those of the rest.
 */
export function applyEnvironment(base: ConfigSource, environment: string, readFile: (path: string) => string, substitutions: Substitutions): EnvironmentStage {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const at = ['environments', environment];
  const fileNode = base.nodeAt([...at, 'file']);
  let overlay: ConfigSource | undefined;
  if (isScalar(fileNode) && typeof fileNode.value === 'string' && fileNode.value !== '' && !substitutions.unresolved.has(fileNode)) {
    const written = fileNode.value;
    const path = isAbsolute(written) ? written : join(dirname(base.file), written);
    let text: string;
    try {
      text = readFile(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (cause as Error).message;
      errors.push(
        error(
          ConfigCode.OverlayUnreadable,
          `cannot read the overlay of environment ${quote(environment)}, ${quote(written)}: ${reason}`,
          base.locate([...at, 'file']),
          `the path is relative to ${base.file}, so idm looked for ${path}`,
        ),
      );
      return { source: base, errors, warnings, fatal: true };
    }
    const parsed = parseYaml(text, path);
    // An empty overlay (comments only) is an environment that changes nothing.
    const empty = parsed.errors.length === 1 && parsed.errors[0]!.code === ConfigCode.Empty;
    if (!empty) {
      errors.push(...parsed.errors);
      warnings.push(...parsed.warnings);
      if (parsed.fatal) return { source: base, errors, warnings, fatal: true };
      const aliases = checkAliases(parsed.source);
      errors.push(...aliases.errors);
      warnings.push(...aliases.warnings);
      overlay = parsed.source.withAliases(aliases.targets);
      const misplaced = checkOverlay(overlay, environment, base.file);
      errors.push(...misplaced);
      if (aliases.errors.length > 0 || misplaced.length > 0) return { source: base, errors, warnings, fatal: true };
    }
  }

  const production = base.nodeAt([...at, 'production']);
  if (isScalar(production) && production.value === true) warnings.push(...leaveOutBaseUsers(base, overlay, environment));
  return { source: overlay ? mergeOverlay(base, overlay) : base, errors, warnings, fatal: false };
}

/**
 * A production environment gets no seed users from the base config (test accounts must not reach prod by
 * promotion), unless its overlay declares users itself. The whole `users:` goes, mode included: a managed mode with
 * prune and no list would delete every user of the tenant.
 */
function leaveOutBaseUsers(base: ConfigSource, overlay: ConfigSource | undefined, environment: string): Diagnostic[] {
  const root = base.doc.contents;
  if (!isMap(root)) return [];
  const overlayRoot = overlay?.doc.contents;
  const declaresUsers = isMap(overlayRoot) && overlayRoot.items.some((pair) => userFields.has(topLevelField(pair) ?? ''));
  const userPairs = root.items.filter((pair) => isPair(pair) && userFields.has(topLevelField(pair) ?? ''));
  if (declaresUsers || userPairs.length === 0) return [];
  const seeded = base.nodeAt(['users', 'list']) !== undefined || userPairs.some((pair) => topLevelField(pair) === 'users_file');
  root.items = root.items.filter((pair) => !userPairs.includes(pair));
  if (!seeded) return [];
  return [
    warning(
      ConfigCode.ProductionUsers,
      `the seed users of ${base.file} are left out of environment ${quote(environment)}, which is marked production: true`,
      base.locationOf(userPairs[0]!.key as Node),
      overlay
        ? `to seed users there anyway, declare users: or users_file: in ${overlay.file}`
        : `to seed users there anyway, give it an overlay (environments.${environment}.file) that declares users: or users_file:`,
    ),
  ];
}
