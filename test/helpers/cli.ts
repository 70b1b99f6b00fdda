/** Runs the built CLI (bin/run.js) as a user would, in a subprocess, and captures what it printed. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd: string;
  /** Added to a clean environment: no KINDE_* from the developer's shell leaks into a test. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The test runner's environment without KINDE_* (nor FORCE_COLOR): nothing of the developer's shell leaks in. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KINDE_') && k !== 'FORCE_COLOR') env[k] = v;
  return env;
}

export function idm(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...cleanEnv(), ...options.env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** How it ended: `signal` is set when a signal ended it. */
  readonly done: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and returns at once, for a test that signals it mid-run (Ctrl-C, kill -9). */
export function startIdm(args: readonly string[], options: CliOptions): RunningCli {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...cleanEnv(), ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, stdout, stderr }));
  });
  return { child, done };
}
