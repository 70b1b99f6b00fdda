/** Where plan and apply get the desired state and its tenant: a constructs app (`--app`) or the YAML config (`--config`, `--env`). */
import { existsSync } from 'node:fs';
import { loadApp } from '../config/app.js';
import { ALL_ENVIRONMENTS } from '../config/environments.js';
import { loadConfig, loadEnvironmentNames, loadTarget, type LoadedConfig, type TargetChoice } from '../config/load.js';
import { IdmError } from '../errors.js';
import type { TargetSpec } from '../model/target.js';

export interface SourceFlags {
  readonly config: string;
  readonly app?: string | undefined;
  readonly 'skip-invalid': boolean;
  /** --env (or IDM_ENV). */
  readonly env?: string | undefined;
}

/** `all` is a loop over environments, which only validate and plan run: everywhere else it is one environment. */
function oneEnvironment(flags: SourceFlags): string | undefined {
  if (flags.env !== ALL_ENVIRONMENTS) return flags.env;
  throw new IdmError(`--env ${ALL_ENVIRONMENTS} works with validate and plan only`, 'ENVIRONMENT_REQUIRED', 'name one environment with --env NAME');
}

/**
 * The desired state of the environment chosen with --env, and the tenant the config names for it. A constructs app
 * declares no environments: it is told the one chosen in IDM_ENV, and talks to the default target, with the local
 * state of that environment.
 */
export async function loadDesired(flags: SourceFlags): Promise<LoadedConfig & { environment?: string; target?: TargetSpec; environments: readonly string[] }> {
  const environment = oneEnvironment(flags);
  if (flags.app !== undefined) {
    const loaded = await loadApp(flags.app, environment === undefined ? process.env : { ...process.env, IDM_ENV: environment });
    return { ...loaded, environments: [], ...(environment === undefined ? {} : { environment }) };
  }
  return loadConfig(flags.config, process.env, { skipInvalid: flags['skip-invalid'], ...(environment === undefined ? {} : { environment }) });
}

/** Only the tenant of the environment chosen with --env: what applying a saved plan needs from the config. */
export async function loadTargetOf(flags: SourceFlags): Promise<TargetChoice> {
  const environment = oneEnvironment(flags);
  if (flags.app !== undefined) return { environments: [], ...(environment === undefined ? {} : { environment }) };
  return loadTarget(flags.config, process.env, environment);
}

/** `--env all`: the environments the config declares, in order; an error when it declares none. */
export async function allEnvironments(config: string): Promise<readonly string[]> {
  const names = await loadEnvironmentNames(config);
  if (names.length > 0) return names;
  throw new IdmError(`--env ${ALL_ENVIRONMENTS} was given, but ${config} declares no environments`, 'NO_ENVIRONMENTS', 'declare them under environments:, or run without --env');
}

/**
 * The tenant for commands that read or write no desired state (export, unlock, diff): the one the config names for
 * --env; with no config file and no --env, the default (KINDE_* / KRATOS_ADMIN_URL variables, else the local emulator).
 */
export async function loadTargetOnly(flags: { readonly config: string; readonly env?: string | undefined }): Promise<TargetChoice> {
  if (flags.env === undefined && !existsSync(flags.config)) return { environments: [] };
  return loadTargetOf({ config: flags.config, 'skip-invalid': false, env: flags.env });
}
