/**
 * What every idm command shares: the --config flag, connection flags, and one way of reporting errors
 * (what, where, what to do; no stack trace unless --debug) with the documented exit codes.
 */
import { Command, Flags, Errors } from '@oclif/core';
import { formatDiagnostic, type Diagnostic } from '../errors.js';
import { errorReport } from './error-report.js';

export const configFlag = {
  config: Flags.string({ char: 'c', description: 'Path to the idm config file.', default: 'idm.yaml', helpValue: 'FILE' }),
  'skip-invalid': Flags.boolean({ description: 'Leave invalid users of users_file out (each still reported) instead of failing.' }),
};

/** The environment of the config (`environments:`) to work on. */
export const envFlag = {
  env: Flags.string({
    char: 'e',
    env: 'IDM_ENV',
    description: 'The environment to use, one of those the config declares under environments:. validate and plan also take "all": every environment in turn.',
    helpValue: 'NAME',
  }),
};

/** plan and apply only: the commands that can take the model from a constructs app (src/cdktf). */
export const appFlag = {
  app: Flags.string({
    description: 'Read the configuration from a constructs app (src/cdktf) instead of --config: a shell command that prints the model, e.g. "node dist/main.js".',
    helpValue: 'COMMAND',
  }),
};

export const connectionFlags = {
  parallelism: Flags.integer({ description: 'Requests in flight at once.', default: 4, min: 1, max: 64 }),
  'max-rps': Flags.integer({ description: 'Cap on requests per second to the provider (default: no cap beyond its 429s).', min: 1 }),
};

const debugging = (): boolean => process.argv.includes('--debug') || process.env.IDM_DEBUG === '1';

export abstract class IdmCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: 'Show stack traces of errors.', helpGroup: 'GLOBAL' }),
  };

  protected printWarnings(warnings: readonly Diagnostic[]): void {
    for (const w of warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    const report = errorReport(error, debugging());
    process.stderr.write(report.text);
    if (debugging() && error.stack) process.stderr.write(error.stack + '\n');
    process.exitCode = report.exitCode;
  }
}
