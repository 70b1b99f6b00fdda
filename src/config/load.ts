/** The I/O shell around parseConfig: reads the file, turning a missing or unreadable one into a located error. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error } from './diagnostic.js';
import { type LoadedConfig, parseConfig } from './parse-config.js';
import type { Env } from './variables.js';

export { parseConfig, type LoadedConfig } from './parse-config.js';

export interface LoadOptions {
  /**
   * Leave out the invalid users of users_file, reporting their problems as warnings, instead of failing
   * (`--skip-invalid`). Problems in the config itself, and with the users file as a whole, still fail.
   */
  readonly skipInvalid?: boolean;
}

export async function loadConfig(file: string, env: Env = process.env, options: LoadOptions = {}): Promise<LoadedConfig> {
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
  return parseConfig(text, file, env, { skipInvalid: options.skipInvalid ?? false });
}
