/**
 * Errors people can act on: each carries a code, where it happened and what to do.
 * The CLI prints them in one format without a stack trace (`--debug` shows it).
 */

export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
}

export type Severity = 'error' | 'warning';

/** One problem found in a config file, located to the character. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly location: SourceLocation;
  readonly hint?: string;
}

export const formatLocation = (l: SourceLocation): string => `${l.file}:${l.line}:${l.col}`;

export const formatDiagnostic = (d: Diagnostic): string =>
  `${formatLocation(d.location)}: ${d.severity}: ${d.message}` + (d.hint ? `\n  hint: ${d.hint}` : '');

/** Exit codes of the CLI (design §2): 1 for errors, 3 when the provider is unreachable or rejects the credentials. */
export type ExitCode = 1 | 3;

export class IdmError extends Error {
  override readonly name: string = 'IdmError';
  constructor(
    message: string,
    readonly code: string,
    readonly hint?: string,
    readonly exitCode: ExitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The config is invalid. Holds every problem found, not just the first. */
export class ConfigError extends IdmError {
  override readonly name = 'ConfigError';
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'), diagnostics[0]?.code ?? 'CONFIG_INVALID');
  }
}

/** The API answered a request with an error. The message names the call and quotes the API's own words. */
export class ApiError extends IdmError {
  override readonly name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly apiCode: string | undefined,
    readonly apiMessage: string,
    hint?: string,
  ) {
    super(
      `${method} ${path} failed with ${status}${apiCode ? ` ${apiCode}` : ''}: ${apiMessage}`,
      apiCode ?? `HTTP_${status}`,
      hint,
      status === 401 || status === 403 ? 3 : 1,
    );
  }
}

/** The provider could not be reached or refused the credentials (exit 3). */
export class UnreachableError extends IdmError {
  override readonly name = 'UnreachableError';
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, 'UNREACHABLE', hint, 3, options);
  }
}

export class AuthError extends IdmError {
  override readonly name = 'AuthError';
  constructor(message: string, hint?: string) {
    super(message, 'AUTH_FAILED', hint, 3);
  }
}
