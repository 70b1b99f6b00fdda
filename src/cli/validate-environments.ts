/** `idm validate`: the config, for the environment chosen with --env, or for each of them with --env all. */
import { ALL_ENVIRONMENTS } from '../config/environments.js';
import { loadConfig } from '../config/load.js';
import type { Desired } from '../model/desired.js';
import { formatDiagnostic } from '../errors.js';
import { errorReport } from './error-report.js';
import { allEnvironments } from './load-desired.js';

export interface ValidateFlags {
  readonly config: string;
  readonly 'skip-invalid': boolean;
  readonly env?: string | undefined;
  readonly debug?: boolean;
}

const kindeSizes = (d: Desired): number => d.permissions.size + d.roles.size + d.featureFlags.size + d.organizations.size + d.users.size;

/** What the config declares; a Kratos config (identities and nothing of Kinde's) is not listed as zero roles and the like. */
function counts(desired: Desired): string {
  const identities = `${desired.identities.size} Kratos ${desired.identities.size === 1 ? 'identity' : 'identities'}`;
  if (desired.identities.size > 0 && kindeSizes(desired) === 0 && !desired.business && !desired.environment) return identities;
  return [
    `${desired.permissions.size} permissions`,
    `${desired.roles.size} roles`,
    `${desired.featureFlags.size} feature flags`,
    `${desired.organizations.size} organizations`,
    `${desired.users.size} users (${desired.usersMode} mode)`,
    ...(desired.identities.size > 0 ? [identities] : []),
    ...(desired.business ? ['business settings'] : []),
    ...(desired.environment ? ['environment settings'] : []),
  ].join(', ');
}

/** Validates and reports on stdout (`log`) and stderr; the exit code. One environment's problems are thrown, as any command's. */
export async function validateEnvironments(flags: ValidateFlags, log: (line: string) => void): Promise<number> {
  const load = async (environment: string | undefined): Promise<void> => {
    const { desired, warnings } = await loadConfig(flags.config, process.env, { skipInvalid: flags['skip-invalid'], ...(environment === undefined ? {} : { environment }) });
    for (const w of warnings) process.stderr.write(formatDiagnostic(w) + '\n');
    log(`${flags.config}${environment === undefined ? '' : ` (environment ${environment})`} is valid: ${counts(desired)}.`);
  };
  if (flags.env !== ALL_ENVIRONMENTS) {
    await load(flags.env);
    return 0;
  }
  const names = await allEnvironments(flags.config);
  let invalid = 0;
  for (const environment of names) {
    try {
      await load(environment);
    } catch (error) {
      invalid += 1;
      process.stderr.write(`Environment ${environment}:\n` + errorReport(error as Error, flags.debug === true).text);
    }
  }
  if (invalid > 0) log(`${invalid} of ${names.length} environments of ${flags.config} are invalid.`);
  return invalid > 0 ? 1 : 0;
}
