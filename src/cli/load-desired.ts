/** Where plan and apply get the desired state: a constructs app (`--app`) or the YAML config (`--config`). */
import { loadApp } from '../config/app.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';

export interface SourceFlags {
  readonly config: string;
  readonly app?: string | undefined;
  readonly 'skip-invalid': boolean;
}

export function loadDesired(flags: SourceFlags): Promise<LoadedConfig> {
  if (flags.app !== undefined) return loadApp(flags.app);
  return loadConfig(flags.config, process.env, { skipInvalid: flags['skip-invalid'] });
}
