/**
 * Chooses the tenant idm talks to: the one the config names (`target:`, per environment), else the Kinde domain
 * named by the official SDK's environment variables, else the built-in local target (the emulator in-process, state
 * under `.idm/`) so that a fresh clone can plan and apply with no account.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { IdmError } from '../errors.js';
import { startKindeEmulator } from '../emulator/kinde/index.js';
import { startKratosEmulator } from '../emulator/kratos/index.js';
import type { TargetSpec } from '../model/target.js';
import { createKindeProvider } from './kinde/index.js';
import { createKratosProvider } from './kratos/index.js';
import { StateFileLock, stateVersion } from './local-lock.js';
import type { Provider } from './provider.js';

export interface ConnectionOptions {
  readonly parallelism?: number;
  readonly maxRps?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const kindeVariables = ['KINDE_DOMAIN', 'KINDE_MANAGEMENT_CLIENT_ID', 'KINDE_MANAGEMENT_CLIENT_SECRET'] as const;

/** Where the local target keeps its tenants, relative to the working directory. */
export const localStateDir = '.idm';

/**
 * The provider for `spec`; undefined keeps the default (the KINDE_* variables if all are set, else the local
 * emulator). `environment` (--env) goes into the target, and gives each environment a local tenant of its own
 * (`.idm/<environment>/kinde.json`).
 */
export async function openProvider(spec: TargetSpec | undefined, env: Env, cwd: string, options: ConnectionOptions = {}, environment?: string): Promise<Provider> {
  const resolved = spec ?? fromVariables(env) ?? { kind: 'local', provider: 'kinde', state: environment === undefined ? 'kinde' : `${environment}/kinde` };
  switch (resolved.kind) {
    case 'local': {
      const dataFile = join(cwd, localStateDir, `${resolved.state}.json`);
      await prepareLocal(cwd, dataFile);
      if (resolved.provider === 'kratos') return named(await openLocalKratos(dataFile, options), environment);
      return named(await openLocalKinde(dataFile, options), environment);
    }
    case 'kinde': {
      const [clientId, clientSecret] = credentials(env, [resolved.clientIdVariable, resolved.clientSecretVariable], resolved.domain, environment);
      return named(createKindeProvider({ domain: resolved.domain, clientId: clientId!, clientSecret: clientSecret!, ...options }), environment);
    }
    case 'kratos': {
      const [apiKey] = resolved.apiKeyVariable === undefined ? [] : credentials(env, [resolved.apiKeyVariable], resolved.adminUrl, environment);
      return named(createKratosProvider({ adminUrl: resolved.adminUrl, ...(apiKey === undefined ? {} : { apiKey }), ...options }), environment);
    }
  }
}

/**
 * The tenant the KINDE_* variables name, when all are set, else the Kratos admin API KRATOS_ADMIN_URL names (with
 * ORY_API_KEY for Ory Network); undefined when none is set.
 */
function fromVariables(env: Env): TargetSpec | undefined {
  const set = kindeVariables.filter((name) => env[name]);
  if (set.length === 0 && env.KRATOS_ADMIN_URL) {
    return { kind: 'kratos', adminUrl: env.KRATOS_ADMIN_URL, ...(env.ORY_API_KEY ? { apiKeyVariable: 'ORY_API_KEY' } : {}) };
  }
  if (set.length === kindeVariables.length) {
    return { kind: 'kinde', domain: env.KINDE_DOMAIN!, clientIdVariable: 'KINDE_MANAGEMENT_CLIENT_ID', clientSecretVariable: 'KINDE_MANAGEMENT_CLIENT_SECRET' };
  }
  if (set.length === 0) return undefined;
  const missing = kindeVariables.filter((name) => !env[name]);
  throw new IdmError(
    `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not`,
    'TARGET_INCOMPLETE',
    `set all of ${kindeVariables.join(', ')} to use a Kinde tenant, or unset them all to use the local emulator`,
  );
}

/** The values of the variables a named target reads its credentials from; an error naming those that are not set (never a value). */
function credentials(env: Env, names: readonly string[], url: string, environment: string | undefined): string[] {
  const missing = names.filter((name) => !env[name]);
  if (missing.length === 0) return names.map((name) => env[name]!);
  const who = environment === undefined ? `the config's target ${url}` : `environment "${environment}" (${url})`;
  throw new IdmError(
    `${who} reads its credentials from ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not set`,
    'TARGET_CREDENTIALS_MISSING',
    `set ${missing.join(' and ')} where idm runs (in CI, from its secrets store); the config names the variables, never their values`,
  );
}

/** The provider with the environment in its target (plans record it; a saved plan is applied only to the same one). */
function named(provider: Provider, environment: string | undefined): Provider {
  if (environment === undefined) return provider;
  return {
    target: { ...provider.target, environment },
    read: (scope, progress) => provider.read(scope, progress),
    writer: (live) => provider.writer(live),
    stats: () => provider.stats(),
    ...(provider.readAll ? { readAll: provider.readAll.bind(provider) } : {}),
    ...(provider.lock ? { lock: provider.lock } : {}),
    close: () => provider.close(),
  };
}

async function prepareLocal(cwd: string, dataFile: string): Promise<void> {
  await mkdir(dirname(dataFile), { recursive: true });
  // The local tenants are a scratch area: keep them out of the user's commits.
  await writeFile(join(cwd, localStateDir, '.gitignore'), '*\n');
}

/**
 * A provider talking to an in-process emulator over its state file: the lock is a lock file beside it, and closing
 * closes (and so saves) the emulator too.
 */
function overStateFile(provider: Provider, emulator: { reload(): Promise<void>; close(): Promise<void> }, dataFile: string, loadedVersion: string): Provider {
  return {
    target: provider.target,
    read: (scope, progress) => provider.read(scope, progress),
    readAll: (scopeFor, progress) => provider.readAll!(scopeFor, progress),
    writer: (live) => provider.writer(live),
    stats: () => provider.stats(),
    lock: new StateFileLock(dataFile, { loadedVersion, reload: () => emulator.reload(), save: () => emulator.close() }),
    close: async () => {
      await provider.close();
      await emulator.close();
    },
  };
}

async function openLocalKinde(dataFile: string, options: ConnectionOptions): Promise<Provider> {
  // Fresh credentials each run: the emulator only lives as long as this process.
  const clientId = `local-${randomBytes(8).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('hex');
  const loadedVersion = await stateVersion(dataFile);
  const emulator = await startKindeEmulator({ clientId, clientSecret, dataFile });
  return overStateFile(createKindeProvider({ domain: emulator.url, clientId, clientSecret, local: true, ...options }), emulator, dataFile, loadedVersion);
}

/** The local Kratos emulator, open to this process only (no key), with the same lock file as the local Kinde target. */
async function openLocalKratos(dataFile: string, options: ConnectionOptions): Promise<Provider> {
  const loadedVersion = await stateVersion(dataFile);
  const emulator = await startKratosEmulator({ dataFile });
  return overStateFile(createKratosProvider({ adminUrl: emulator.url, local: true, ...options }), emulator, dataFile, loadedVersion);
}
