/**
 * Chooses the tenant idm talks to: the Kinde domain named by the official SDK's environment variables, or, when
 * none is set, the built-in local target (the emulator in-process, state under `.idm/`) so that a fresh clone
 * can plan and apply with no account.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdmError } from '../errors.js';
import { startKindeEmulator } from '../emulator/kinde/index.js';
import { createKindeProvider } from './kinde/index.js';
import { StateFileLock, stateVersion } from './local-lock.js';
import type { Provider } from './provider.js';

export interface ConnectionOptions {
  readonly parallelism?: number;
  readonly maxRps?: number;
}

const kindeVariables = ['KINDE_DOMAIN', 'KINDE_MANAGEMENT_CLIENT_ID', 'KINDE_MANAGEMENT_CLIENT_SECRET'] as const;

/** Where the local target keeps its tenant, relative to the working directory. */
export const localStateDir = '.idm';

export async function openProvider(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  options: ConnectionOptions = {},
): Promise<Provider> {
  const set = kindeVariables.filter((name) => env[name]);
  if (set.length === kindeVariables.length) {
    return createKindeProvider({ domain: env.KINDE_DOMAIN!, clientId: env.KINDE_MANAGEMENT_CLIENT_ID!, clientSecret: env.KINDE_MANAGEMENT_CLIENT_SECRET!, ...options });
  }
  if (set.length > 0) {
    const missing = kindeVariables.filter((name) => !env[name]);
    throw new IdmError(
      `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not`,
      'TARGET_INCOMPLETE',
      `set all of ${kindeVariables.join(', ')} to use a Kinde tenant, or unset them all to use the local emulator`,
    );
  }
  return openLocal(cwd, options);
}

async function openLocal(cwd: string, options: ConnectionOptions): Promise<Provider> {
  const dir = join(cwd, localStateDir);
  await mkdir(dir, { recursive: true });
  // The local tenant is a scratch area: keep it out of the user's commits.
  await writeFile(join(dir, '.gitignore'), '*\n');
  // Fresh credentials each run: the emulator only lives as long as this process.
  const clientId = `local-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('hex');
  const stateFile = join(dir, 'kinde.json');
  const loadedVersion = await stateVersion(stateFile);
  const emulator = await startKindeEmulator({ clientId, clientSecret, dataFile: stateFile });
  const provider = createKindeProvider({ domain: emulator.url, clientId, clientSecret, local: true, ...options });
  return {
    target: provider.target,
    read: (scope, progress) => provider.read(scope, progress),
    readAll: (scopeFor, progress) => provider.readAll!(scopeFor, progress),
    writer: (live) => provider.writer(live),
    stats: () => provider.stats(),
    lock: new StateFileLock(stateFile, { loadedVersion, reload: () => emulator.reload(), save: () => emulator.close() }),
    close: async () => {
      await provider.close();
      await emulator.close();
    },
  };
}
