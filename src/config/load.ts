/** The I/O shell around parseConfig: reads the file, turning a missing or unreadable one into a located error. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error } from './diagnostic.js';
import { type EnvironmentConfig, parseConfig, parseEnvironmentNames, parseTarget, type TargetChoice } from './parse-config.js';
import type { Env } from './variables.js';

export { parseConfig, parseTarget, type EnvironmentConfig, type LoadedConfig, type TargetChoice } from './parse-config.js';

export interface LoadOptions {
  /**
   * Leave out the invalid users of users_file, reporting their problems as warnings, instead of failing
   * (`--skip-invalid`). Problems in the config itself, and with the users file as a whole, still fail.
   */
  readonly skipInvalid?: boolean;
  /** The environment to load (--env); see parseConfig. */
  readonly environment?: string;
}

export async function loadConfig(file: string, env: Env = process.env, options: LoadOptions = {}): Promise<EnvironmentConfig> {
  const text = await readConfigFile(file);
  return parseConfig(text, file, env, {
    skipInvalid: options.skipInvalid ?? false,
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
}

/**
 * The tenant a config sends `environment`'s changes to (parseTarget). With no config file and no environment asked
 * for, the default target: a saved plan can be applied without its config.
 */
export async function loadTarget(file: string, env: Env = process.env, environment?: string): Promise<TargetChoice> {
  if (environment === undefined && !existsSync(file)) return { environments: [] };
  return parseTarget(await readConfigFile(file), file, env, environment);
}

/** The environments the config declares, in order. */
export async function loadEnvironmentNames(file: string, env: Env = process.env): Promise<readonly string[]> {
  return parseEnvironmentNames(await readConfigFile(file), file, env);
}

async function readConfigFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const where = { file, line: 1, col: 1 };
    if (code === 'ENOENT') {
      throw new ConfigError([
        error(ConfigCode.NotFound, `config file ${file} does not exist`, where, 'create it (see examples/quickstart/idm.yaml) or pass --config FILE'),
      ]);
    }
    const reason = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (cause as Error).message;
    throw new ConfigError([error(ConfigCode.Unreadable, `cannot read config file ${file}: ${reason}`, where, 'pass the path of a readable YAML file with --config FILE')]);
  }
  return text;
}
