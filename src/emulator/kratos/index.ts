/**
 * An emulator of Ory Kratos' identity admin API (the parts idm uses, quirks included), served over HTTP on
 * 127.0.0.1: identities (list, get, create, update, patch, batch create, delete, delete a credential) and identity
 * schemas. Tests, benchmarks and `idm emulator --provider kratos` run it through this module.
 */
import { createServer } from 'node:http';
import { IdmError } from '../../errors.js';
import { faultInjector } from '../faults.js';
import { createPersister, loadState } from '../persistence.js';
import { fixedWindow, type RateLimit } from '../rate-limit.js';
import { listen, shutDown } from '../server.js';
import { copyStats, emptyStats, type EmulatorStats } from '../stats.js';
import { batchRoutes } from './batch-identities.js';
import { credentialRoutes } from './delete-credential.js';
import { requestHandler } from './handler.js';
import { patchRoutes } from './patch-identity.js';
import { readRoutes } from './read-identities.js';
import type { KratosRoute } from './routes.js';
import { schemaRoutes } from './schema-routes.js';
import { defaultIdentitySchema, SchemaRegistry } from './schemas.js';
import { parseState, serializeState } from './state-file.js';
import { IdentityStore } from './store.js';
import { writeRoutes } from './write-identities.js';

export type { EmulatorStats } from '../stats.js';
export { defaultIdentitySchema } from './schemas.js';

export interface KratosEmulatorOptions {
  /** Default 0: any free port. The host is always 127.0.0.1. */
  port?: number;
  /** When set, every admin request needs `Authorization: Bearer <apiKey>` (Ory Network style); 401 otherwise. */
  apiKey?: string;
  /** State file: loaded if it exists, written atomically shortly after changes and on close(). */
  dataFile?: string;
  /** Identity schemas by id. Default: `default`, an email (password identifier, verified and recovered by email) and a name. */
  schemas?: Record<string, object>;
  /** Default `default`. */
  defaultSchemaId?: string;
  /** Added to every response. */
  latencyMs?: number;
  /** Fixed window over all requests; beyond it, 429 with `RateLimit-Reset`. */
  rateLimit?: RateLimit;
  /** 0..1: the share of requests that fail (half 500, half dropped connection), before or after their effect. */
  faultRate?: number;
  /** Seeds the fault injector, so that a test sees the same faults on every run. */
  seed?: number;
}

export interface KratosEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4434`: the admin and the public URL at once. */
  readonly url: string;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Reads the data file again (another process wrote it since this one started): for the local target's lock. */
  reload(): Promise<void>;
  /** Stops the server and writes any pending state. */
  close(): Promise<void>;
}

const routes: readonly KratosRoute[] = [...readRoutes, ...writeRoutes, ...patchRoutes, ...batchRoutes, ...credentialRoutes, ...schemaRoutes];

/** The operations the emulator implements, named as in `EmulatorStats.byRoute`, e.g. `GET /admin/identities/{id}`. */
export const emulatedOperations: readonly string[] = routes.map((r) => `${r.method} ${r.path}`);

function checkOptions(options: KratosEmulatorOptions): void {
  const invalid = (what: string, hint: string): never => {
    throw new IdmError(`Invalid emulator option: ${what}`, 'EMULATOR_OPTIONS_INVALID', hint);
  };
  const { port = 0, latencyMs = 0, faultRate = 0, rateLimit, apiKey } = options;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) invalid(`port ${port}`, 'give a port from 0 (any free port) to 65535');
  if (!(latencyMs >= 0)) invalid(`latency ${latencyMs}`, 'give milliseconds, 0 or more');
  if (!(faultRate >= 0 && faultRate <= 1)) invalid(`fault rate ${faultRate}`, 'give a number from 0 to 1, e.g. 0.05 for 5%');
  if (rateLimit && !(rateLimit.requests >= 1 && rateLimit.windowMs >= 1)) invalid('rate limit', 'give at least 1 request per window of at least 1 ms');
  if (apiKey !== undefined && apiKey.trim() === '') invalid('the API key is empty', 'give a key, or leave it out for an unauthenticated admin API as self-hosted Kratos has');
}

export async function startKratosEmulator(options: KratosEmulatorOptions = {}): Promise<KratosEmulator> {
  checkOptions(options);
  const schemas = new SchemaRegistry(options.schemas ?? { default: defaultIdentitySchema }, options.defaultSchemaId ?? 'default');
  const store = new IdentityStore(options.dataFile ? await loadState(options.dataFile, 'Kratos', parseState) : undefined);
  const persister = options.dataFile ? createPersister(options.dataFile, () => serializeState(store.ordered())) : undefined;
  const host = '127.0.0.1';
  const server = createServer();
  const port = await listen(server, host, options.port ?? 0);
  const url = `http://${host}:${port}`;
  const stats = emptyStats();

  server.on(
    'request',
    requestHandler({
      routes,
      context: { store, schemas, url, changed: () => persister?.changed() },
      apiKey: options.apiKey,
      latencyMs: options.latencyMs ?? 0,
      limit: options.rateLimit ? fixedWindow(options.rateLimit) : undefined,
      nextFault: faultInjector(options.faultRate ?? 0, options.seed),
      stats,
    }),
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    stats: () => copyStats(stats),
    resetStats: () => void Object.assign(stats, emptyStats()),
    reload: async () => {
      if (options.dataFile) store.replaceAll((await loadState(options.dataFile, 'Kratos', parseState)) ?? []);
    },
    close: () => (closing ??= shutDown(server).then(() => persister?.close())),
  };
}
