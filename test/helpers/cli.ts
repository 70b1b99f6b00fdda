/** Runs the built CLI (bin/run.js) as a user would, in a subprocess, and captures what it printed. */
import { execFile, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  /**
   * Added to a clean environment: no KINDE_*, KRATOS_*, ORY_API_KEY or IDM_ENV from the developer's shell leaks into a test, and no GITHUB_STEP_SUMMARY
   * from the CI job running the tests (idm would append every plan to that job's summary).
   */
  readonly env?: Readonly<Record<string, string>>;
}

export function idm(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return startIdm(args, options).result;
}

/** A CLI run still going: for tests that signal it (Ctrl-C, kill -9) or run two at once. */
export interface RunningCli {
  readonly process: ChildProcess;
  readonly result: Promise<CliResult>;
}

export function startIdm(args: readonly string[], options: CliOptions): RunningCli {
  const env: Record<string, string> = {};
  const leaks = (k: string) => k.startsWith('KINDE_') || k.startsWith('KRATOS_') || k === 'ORY_API_KEY' || k === 'IDM_ENV' || k === 'FORCE_COLOR' || k === 'GITHUB_STEP_SUMMARY';
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !leaks(k)) env[k] = v;
  let child: ChildProcess;
  const result = new Promise<CliResult>((resolve) => {
    child = execFile(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...env, ...options.env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
  return { process: child!, result };
}
