/**
 * The pure core of config loading: text in, Desired model out, or a ConfigError holding every problem found.
 *
 *   YAML syntax -> duplicate keys, aliases -> environment (--env): ${env:...} of its declaration, its overlay merged in
 *   -> ${env:...} and ${var:...} -> JSON Schema -> cross-entry checks -> Desired
 *
 * The cross-entry checks are references (roles -> permissions), flags (declarations, values), settings
 * (organizations, environment), Kratos identities, and users (users.list and users_file: identities, passwords, memberships).
 *
 * A stage runs only on a document the stages before could read; within and after the schema stage, every problem
 * is collected before failing.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type Diagnostic } from '../errors.js';
import type { Desired, UserSpec } from '../model/desired.js';
import type { TargetSpec } from '../model/target.js';
import { checkAliases, MAX_EXPANDED_NODES } from './aliases.js';
import { ConfigCode } from './codes.js';
import { Describer, valueAt } from './describe.js';
import { byPosition, error } from './diagnostic.js';
import { parseYaml } from './parse.js';
import { checkFeatureFlags } from './flags.js';
import { checkIdentities } from './identities.js';
import { checkReferences } from './references.js';
import { type RawConfig, validateSchema } from './schema.js';
import { applyEnvironment, checkEnvironmentNames, chooseEnvironment, environmentNames } from './environments.js';
import { checkSettings } from './settings.js';
import { checkTargets, targetSpec } from './target-spec.js';
import { toDesired } from './to-desired.js';
import { checkUsersSection, type UsersOptions } from './users-section.js';
import type { ConfigSource } from './source.js';
import { type Env, Variables } from './variables.js';

export interface LoadedConfig {
  /** The path the config was read from, as given. */
  readonly file: string;
  readonly desired: Desired;
  /** Problems that do not stop idm (key conventions, repeats); the CLI prints them. */
  readonly warnings: readonly Diagnostic[];
}

/** A YAML config, loaded for one of its environments. */
export interface EnvironmentConfig extends LoadedConfig {
  /** The environment chosen with --env; undefined when the config declares none. */
  readonly environment?: string;
  /** The tenant the config names for it (`target:`); undefined: the one the KINDE_* variables name, else the local emulator. */
  readonly target?: TargetSpec;
  /** Every environment the config declares, in order. */
  readonly environments: readonly string[];
}

export interface ConfigOptions extends UsersOptions {
  /** The environment to load (--env). Required when the config declares environments; refused when it declares none. */
  readonly environment?: string;
}

/** Fails with every error found, warnings included after them; those in the config first, then those in the files it names. */
function fail(errors: readonly Diagnostic[], warnings: readonly Diagnostic[], file: string): never {
  throw new ConfigError([...byPosition(errors, file), ...byPosition(warnings, file)]);
}

/** What the first stages found: the document, and the environment chosen in it, with the variables of its declaration. */
interface Declarations {
  readonly source: ConfigSource;
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  readonly names: readonly string[] | undefined;
  readonly environment: string | undefined;
  readonly variables: Variables;
}

function readDeclarations(text: string, file: string, env: Env, requested: string | undefined): Declarations {
  const parsed = parseYaml(text, file);
  const errors: Diagnostic[] = [...parsed.errors];
  const warnings: Diagnostic[] = [...parsed.warnings];
  if (parsed.fatal) fail(errors, warnings, file);

  const aliases = checkAliases(parsed.source);
  errors.push(...aliases.errors);
  warnings.push(...aliases.warnings);
  if (aliases.errors.length > 0) fail(errors, warnings, file);
  const source = parsed.source.withAliases(aliases.targets);

  const names = environmentNames(source);
  const environment = chooseEnvironment(names, requested, file);
  const variables = new Variables(env, environment);
  variables.substituteDeclarations(source);
  return { source, errors, warnings, names, environment, variables };
}

/** The document as plain data; checkAliases has bounded the expansion, and yaml's own limit is a second guard. */
function toData(source: ConfigSource, errors: Diagnostic[], warnings: readonly Diagnostic[], file: string): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: MAX_EXPANDED_NODES });
  } catch (cause) {
    errors.push(error(ConfigCode.YamlAliasLimit, `the YAML document cannot be expanded: ${(cause as Error).message}`, source.location(0), 'write the config out without aliases'));
    return fail(errors, warnings, file);
  }
}

/** Where a config sends its changes: the environment chosen, its target, and every environment declared. */
export type TargetChoice = Pick<EnvironmentConfig, 'environment' | 'target' | 'environments'>;

/**
 * Only what decides the tenant (`target:`, `environments:`), checked as parseConfig checks it. For applying a saved
 * plan, which needs no desired state: a problem elsewhere in the config (a seed user's unset ${env:...}) is not one.
 */
export function parseTarget(text: string, file: string, env: Env, requested?: string): TargetChoice {
  const { source, errors, warnings, names, environment, variables } = readDeclarations(text, file, env, requested);
  errors.push(...variables.errors);
  const data = toData(source, errors, warnings, file);
  const declarations = { version: 1, target: valueAt(data, ['target']), environments: valueAt(data, ['environments']) };
  const describe = new Describer(source, declarations, variables.substitutions.secrets);
  errors.push(...validateSchema(declarations, source, describe, variables.substitutions));
  for (const found of [checkEnvironmentNames(source), checkTargets(declarations, source, describe, variables.substitutions, environment)]) errors.push(...found.errors);
  if (errors.length > 0) fail(errors, warnings, file);
  return choice(declarations as RawConfig, names, environment);
}

/** The environments a config declares, in order (for --env all); fails as parseTarget does when they cannot be read. */
export function parseEnvironmentNames(text: string, file: string, env: Env): readonly string[] {
  const parsed = parseYaml(text, file);
  if (parsed.fatal) fail(parsed.errors, parsed.warnings, file);
  const aliases = checkAliases(parsed.source);
  if (aliases.errors.length > 0) fail(aliases.errors, aliases.warnings, file);
  const names = environmentNames(parsed.source.withAliases(aliases.targets));
  if (names === undefined) parseTarget(text, file, env);
  return names ?? [];
}

function choice(config: RawConfig, names: readonly string[] | undefined, environment: string | undefined): TargetChoice {
  const target = targetSpec(config, environment);
  return { environments: names ?? [], ...(environment === undefined ? {} : { environment }), ...(target === undefined ? {} : { target }) };
}

/**
 * `options.readFile` reads the files the config names (an environment's overlay, users_file, hash_file), by their path
 * joined to the directory of the file naming them; by default from the file system. `options.skipInvalid` leaves
 * invalid users of users_file out, as warnings, instead of failing. Choosing no environment when the config declares
 * some, or one it does not declare, throws an IdmError.
 */
export function parseConfig(text: string, file: string, env: Env, options: ConfigOptions = {}): EnvironmentConfig {
  const declared = readDeclarations(text, file, env, options.environment);
  const { errors, warnings, names, environment, variables } = declared;
  let source = declared.source;
  if (environment !== undefined) {
    const stage = applyEnvironment(source, environment, options.readFile ?? readUtf8, variables.substitutions);
    errors.push(...stage.errors);
    warnings.push(...stage.warnings);
    if (stage.fatal) fail([...errors, ...variables.errors], warnings, file);
    source = stage.source;
  }
  variables.substituteConfig(source);
  errors.push(...variables.errors);
  const substitutions = variables.substitutions;
  const data = toData(source, errors, warnings, file);

  const describe = new Describer(source, data, substitutions.secrets);
  const schemaErrors = validateSchema(data, source, describe, substitutions);
  errors.push(...schemaErrors);
  // A file written for another format version would only produce noise here; the schema stage has said so already.
  const version = valueAt(data, ['version']);
  const otherVersion = typeof version === 'number' && version !== 1;
  let users: ReadonlyMap<string, UserSpec> = new Map();
  if (!otherVersion) {
    const checks = [checkReferences, checkFeatureFlags, checkSettings, checkIdentities, () => checkEnvironmentNames(source), () => checkTargets(data, source, describe, substitutions, environment)];
    for (const check of checks) {
      const found = check(data, source, describe, substitutions);
      errors.push(...found.errors);
      warnings.push(...found.warnings);
    }
    const found = checkUsersSection(data, source, describe, substitutions, options);
    errors.push(...found.errors);
    warnings.push(...found.warnings);
    users = found.users;
  }

  if (errors.length > 0) fail(errors, warnings, file);
  const config = data as RawConfig;
  return { file, desired: toDesired(config, users), warnings: byPosition(warnings, file), ...choice(config, names, environment) };
}

const readUtf8 = (path: string): string => readFileSync(path, 'utf8');
