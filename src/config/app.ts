/**
 * `--app COMMAND`: runs a constructs app (as `cdktf synth` runs one) and reads the Desired model it prints, in place
 * of a YAML config. The app is told to print the model, not synthesise Terraform, by IDM_SYNTH=json.
 */
import { execFile } from 'node:child_process';
import { IdmError } from '../errors.js';
import { decodeDesired } from './desired-json.js';
import type { LoadedConfig } from './parse-config.js';
import type { Env } from './variables.js';

export const SYNTH_ENV = 'IDM_SYNTH';

export function loadApp(command: string, env: Env = process.env, cwd: string = process.cwd()): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    const shell = process.platform === 'win32' ? 'cmd.exe' : '/bin/sh';
    const args = process.platform === 'win32' ? ['/d', '/s', '/c', command] : ['-c', command];
    execFile(shell, args, { cwd, env: { ...env, [SYNTH_ENV]: 'json' }, maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const tail = stderr.trim().split('\n').slice(-20).join('\n    ');
        reject(
          new IdmError(
            `the app \`${command}\` failed${typeof error.code === 'number' ? ` (exit ${error.code})` : ''}${tail ? `:\n    ${tail}` : ''}`,
            'APP_FAILED',
            'run the command yourself with IDM_SYNTH=json to see the whole error; --app takes a shell command, e.g. --app "node dist/main.js"',
          ),
        );
        return;
      }
      try {
        resolve({ file: command, desired: decodeDesired(stdout, `the app \`${command}\``), warnings: [] });
      } catch (e) {
        reject(e);
      }
    });
  });
}
