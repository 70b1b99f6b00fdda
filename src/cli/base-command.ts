/**
 * What every idm command shares: the --config flag, connection flags, and one way of reporting errors
 * (what, where, what to do; no stack trace unless --debug) with the documented exit codes.
 */
import { Command, Flags, Errors } from '@oclif/core';
import { ConfigError, IdmError, formatDiagnostic, type Diagnostic } from '../errors.js';

export const configFlag = {
  config: Flags.string({ char: 'c', description: 'Path to the idm config file.', default: 'idm.yaml', helpValue: 'FILE' }),
  'skip-invalid': Flags.boolean({ description: 'Leave invalid users of users_file out (each still reported) instead of failing.' }),
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
    let code = 1;
    if (error instanceof ConfigError) {
      for (const d of error.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
      const errors = error.diagnostics.filter((d) => d.severity === 'error').length;
      process.stderr.write(`\n${errors} ${errors === 1 ? 'error' : 'errors'} in the configuration; nothing was read from or written to the tenant.\n`);
    } else if (error instanceof IdmError) {
      process.stderr.write(`Error: ${error.message}\n` + (error.hint ? `  hint: ${error.hint}\n` : ''));
      code = error.exitCode;
    } else {
      // oclif's own errors (bad flags) carry their message; anything else is a bug worth a stack trace on request.
      process.stderr.write(`Error: ${error.message}\n`);
      if (!debugging() && !('oclif' in error)) process.stderr.write('  (this looks like a bug in idm; run with --debug for the stack trace)\n');
    }
    if (debugging() && error.stack) process.stderr.write(error.stack + '\n');
    process.exitCode = code;
  }
}
