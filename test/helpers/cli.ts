/** Runs the built CLI (bin/run.js) as a user would, in a subprocess, and captures what it printed. */
import { spawn, type ChildProcess } from 'node:child_process';
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

/** The test runner's environment without what would leak a developer's shell or CI job into a test. */
function cleanEnv(): Record<string, string> {
  const leaks = (k: string) => k.startsWith('KINDE_') || k.startsWith('KRATOS_') || k === 'ORY_API_KEY' || k === 'IDM_ENV' || k === 'FORCE_COLOR' || k === 'GITHUB_STEP_SUMMARY';
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !leaks(k)) env[k] = v;
  return env;
}

export function idm(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return startIdm(args, options).result;
}

/** A CLI run still going: for tests that signal it (Ctrl-C, kill -9) or run two at once. */
export interface RunningCli {
  readonly process: ChildProcess;
  /** How it ended: `signal` is set when a signal ended it. */
  readonly result: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and returns at once. A run still going after two minutes is killed: a hang fails its test. */
export function startIdm(args: readonly string[], options: CliOptions): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...cleanEnv(), ...options.env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const result = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal, stdout, stderr });
    });
  });
  return { process: child, result };
}
