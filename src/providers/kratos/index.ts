/**
 * The Ory Kratos provider: reads identities (with their credentials) into the Live model and writes them through the
 * admin API, self-hosted (the admin port, no key) or on Ory Network (`Authorization: Bearer ory_pat_…`). The only
 * code in idm that knows Kratos's HTTP API.
 */
import { IdmError } from '../../errors.js';
import type { Live } from '../../model/live.js';
import type { Target } from '../../model/target.js';
import { realTiming, type Timing } from '../http/timing.js';
import { transportSettings, type TransportOptions } from '../http/settings.js';
import { Transport } from '../http/transport.js';
import type { Provider, RequestStats } from '../provider.js';
import { KratosClient } from './client.js';
import { kratosUnreachable } from './errors.js';
import type { KeptFields } from './identity.js';
import { kratosAdminBase } from './origin.js';
import { readKratos } from './read.js';
import { KratosWriter } from './writer.js';

export { kratosAdminBase } from './origin.js';

export interface KratosProviderOptions extends TransportOptions {
  /** The admin API: `http://127.0.0.1:4434`, `https://<project>.projects.oryapis.com`; no scheme means https. */
  adminUrl: string;
  /** Ory Network's project API key (`ory_pat_…`); none for a self-hosted admin port. */
  apiKey?: string;
  /** Goes into Target.local: the built-in local emulator. */
  local?: boolean;
}

/** The most items a page of this API holds (and the default page size). */
const maxPageSize = 500;

/** `timing` replaces the clock, sleep, randomness and backoff constants (tests run retries fast with it). */
export function createKratosProvider(options: KratosProviderOptions, timing: Partial<Timing> = {}): Provider {
  const base = kratosAdminBase(options.adminUrl);
  const { parallelism, maxRps, timeoutMs, retries, pageSize } = transportSettings('Kratos', options, maxPageSize);
  if (options.apiKey !== undefined && options.apiKey.trim() === '') {
    throw new IdmError('The Kratos API key is empty', 'AUTH_MISSING', "set the target's API key variable to a project API key (ory_pat_…), or name none for a self-hosted admin port");
  }

  const clock: Timing = { ...realTiming, ...timing };
  const transport = new Transport({ origin: base.origin, parallelism, timeoutMs, retries, timing: clock, unreachable: kratosUnreachable, ...(maxRps === undefined ? {} : { maxRps }) });
  const client = new KratosClient(transport, base.basePath, options.apiKey);
  const target: Target = { provider: 'kratos', url: base.url, local: options.local ?? false };
  // What a PUT must send back travels from a read to the writer of what it read, without entering Live.
  const kept = new WeakMap<Live, ReadonlyMap<string, KeptFields>>();

  return {
    target,
    read: async (scope, progress) => {
      const read = await readKratos(client, scope, pageSize, progress);
      kept.set(read.live, read.kept);
      return read.live;
    },
    // Identities are matched on traits, never on anything listed beforehand: the export reads them in one go.
    readAll: async (scopeFor, progress) => {
      const read = await readKratos(client, scopeFor([]), pageSize, progress);
      kept.set(read.live, read.kept);
      return { live: read.live, unmatched: [] };
    },
    writer: (live) => new KratosWriter(client, live, kept.get(live), pageSize),
    stats: (): RequestStats => ({ ...transport.counters }),
    close: () => transport.close(),
  };
}
