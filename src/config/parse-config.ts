/**
 * The pure core of config loading: text in, Desired model out, or a ConfigError holding every problem found.
 *
 *   YAML syntax -> duplicate keys, aliases -> environment (--env): ${env:...} of its declaration, its overlay merged in
 *   -> ${env:...} and ${var:...} -> JSON Schema -> cross-entry checks -> Desired
 *
 * The cross-entry checks are references (roles -> permissions), flags (declarations, values), settings
 * (organizations, environment) and users (users.list and users_file: identities, passwords, memberships).
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
import { checkReferences } from './references.js';
import { type RawConfig, validateSchema } from './schema.js';
import { applyEnvironment, checkEnvironmentNames, chooseEnvironment, environmentNames } from './environments.js';
import { checkSettings } from './settings.js';
import { checkTargets, targetSpec } from './target-spec.js';
import { toDesired } from './to-desired.js';
import { checkUsersSection, type UsersOptions } from './users-section.js';
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

/**
 * `options.readFile` reads the files the config names (an environment's overlay, users_file, hash_file), by their path
 * joined to the directory of the file naming them; by default from the file system. `options.skipInvalid` leaves
 * invalid users of users_file out, as warnings, instead of failing. Choosing no environment when the config declares
 * some, or one it does not declare, throws an IdmError.
 */
export function parseConfig(text: string, file: string, env: Env, options: ConfigOptions = {}): EnvironmentConfig {
  const parsed = parseYaml(text, file);
  const errors: Diagnostic[] = [...parsed.errors];
  const warnings: Diagnostic[] = [...parsed.warnings];
  if (parsed.fatal) fail(errors, warnings, file);

  const aliases = checkAliases(parsed.source);
  errors.push(...aliases.errors);
  warnings.push(...aliases.warnings);
  if (aliases.errors.length > 0) fail(errors, warnings, file);
  let source = parsed.source.withAliases(aliases.targets);

  const names = environmentNames(source);
  const environment = chooseEnvironment(names, options.environment, file);
  const variables = new Variables(env, environment);
  variables.substituteDeclarations(source);
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

  let data: unknown;
  try {
    // checkAliases has bounded the expansion; this limit is a second guard, in yaml's own terms.
    data = source.doc.toJS({ maxAliasCount: MAX_EXPANDED_NODES });
  } catch (cause) {
    errors.push(error(ConfigCode.YamlAliasLimit, `the YAML document cannot be expanded: ${(cause as Error).message}`, source.location(0), 'write the config out without aliases'));
    fail(errors, warnings, file);
  }

  const describe = new Describer(source, data, substitutions.secrets);
  const schemaErrors = validateSchema(data, source, describe, substitutions);
  errors.push(...schemaErrors);
  // A file written for another format version would only produce noise here; the schema stage has said so already.
  const version = valueAt(data, ['version']);
  const otherVersion = typeof version === 'number' && version !== 1;
  let users: ReadonlyMap<string, UserSpec> = new Map();
  if (!otherVersion) {
    const checks = [checkReferences, checkFeatureFlags, checkSettings, () => checkEnvironmentNames(source), () => checkTargets(data, source, describe, substitutions, environment)];
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
  const target = targetSpec(config, environment);
  return {
    file,
    desired: toDesired(config, users),
    warnings: byPosition(warnings, file),
    environments: names ?? [],
    ...(environment === undefined ? {} : { environment }),
    ...(target === undefined ? {} : { target }),
  };
}

const readUtf8 = (path: string): string => readFileSync(path, 'utf8');
