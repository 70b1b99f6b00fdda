/** An error as the CLI prints it (what, where, what to do), and the exit code it calls for. */
import { ConfigError, IdmError, formatDiagnostic } from '../errors.js';

export interface ErrorReport {
  readonly text: string;
  readonly exitCode: number;
  /** One line for a summary: the message, or how many problems the config has. */
  readonly brief: string;
}

export function errorReport(error: Error, debugging: boolean): ErrorReport {
  if (error instanceof ConfigError) {
    const errors = error.diagnostics.filter((d) => d.severity === 'error').length;
    const count = `${errors} ${errors === 1 ? 'error' : 'errors'}`;
    const text = error.diagnostics.map((d) => formatDiagnostic(d) + '\n').join('') + `\n${count} in the configuration; nothing was read from or written to the tenant.\n`;
    return { text, exitCode: 1, brief: `${count} in the configuration` };
  }
  if (error instanceof IdmError) {
    return { text: `Error: ${error.message}\n` + (error.hint ? `  hint: ${error.hint}\n` : ''), exitCode: error.exitCode, brief: error.message.split('\n')[0]! };
  }
  // oclif's own errors (bad flags) carry their message; anything else is a bug worth a stack trace on request.
  const bug = !debugging && !('oclif' in error) ? '  (this looks like a bug in idm; run with --debug for the stack trace)\n' : '';
  return { text: `Error: ${error.message}\n${bug}`, exitCode: 1, brief: error.message.split('\n')[0]! };
}
