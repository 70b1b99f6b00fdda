/**
 * The pure core of config loading: text in, Desired model out, or a ConfigError holding every problem found.
 *
 *   YAML syntax -> duplicate keys, aliases -> ${env:...} -> JSON Schema -> cross-entry checks -> Desired
 *
 * The cross-entry checks are references (roles -> permissions), flags (declarations, values), settings
 * (organizations, environment), Kratos identities, and users (users.list and users_file: identities, passwords, memberships).
 *
 * A stage runs only on a document the stages before could read; within and after the schema stage, every problem
 * is collected before failing.
 */
import { ConfigError, type Diagnostic } from '../errors.js';
import type { Desired, UserSpec } from '../model/desired.js';
import { checkAliases, MAX_EXPANDED_NODES } from './aliases.js';
import { ConfigCode } from './codes.js';
import { Describer, valueAt } from './describe.js';
import { byPosition, error } from './diagnostic.js';
import { parseYaml } from './parse.js';
import { checkFeatureFlags } from './flags.js';
import { checkIdentities } from './identities.js';
import { checkReferences } from './references.js';
import { type RawConfig, validateSchema } from './schema.js';
import { checkSettings } from './settings.js';
import { toDesired } from './to-desired.js';
import { checkUsersSection, type UsersOptions } from './users-section.js';
import { type Env, substituteVariables } from './variables.js';

export interface LoadedConfig {
  /** The path the config was read from, as given. */
  readonly file: string;
  readonly desired: Desired;
  /** Problems that do not stop idm (key conventions, repeats); the CLI prints them. */
  readonly warnings: readonly Diagnostic[];
}

/** Fails with every error found, warnings included after them; those in the config first, then those in the files it names. */
function fail(errors: readonly Diagnostic[], warnings: readonly Diagnostic[], file: string): never {
  throw new ConfigError([...byPosition(errors, file), ...byPosition(warnings, file)]);
}

/**
 * `options.readFile` reads the files the config names (users_file, hash_file), by their path joined to the config's
 * directory; by default from the file system. `options.skipInvalid` leaves invalid users of users_file out, as
 * warnings, instead of failing.
 */
export function parseConfig(text: string, file: string, env: Env, options: UsersOptions = {}): LoadedConfig {
  const parsed = parseYaml(text, file);
  const errors: Diagnostic[] = [...parsed.errors];
  const warnings: Diagnostic[] = [...parsed.warnings];
  if (parsed.fatal) fail(errors, warnings, file);

  const aliases = checkAliases(parsed.source);
  errors.push(...aliases.errors);
  warnings.push(...aliases.warnings);
  if (aliases.errors.length > 0) fail(errors, warnings, file);
  const source = parsed.source.withAliases(aliases.targets);

  const { errors: variableErrors, substitutions } = substituteVariables(source, env);
  errors.push(...variableErrors);

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
    for (const check of [checkReferences, checkFeatureFlags, checkSettings, checkIdentities]) {
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
  return { file, desired: toDesired(data as RawConfig, users), warnings: byPosition(warnings, file) };
}
