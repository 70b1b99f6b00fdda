/**
 * The Ory Kratos provider: reads identities (with their credentials) into the Live model and writes them through the
 * admin API, self-hosted (the admin port, no key) or on Ory Network (`Authorization: Bearer ory_pat_…`). The only
 * code in idm that knows Kratos's HTTP API.
 */
import { IdmError } from '../../errors.js';
import type { Live } from '../../model/live.js';
import type { Target } from '../../model/target.js';
import { realTiming, type Timing } from '../http/timing.js';
import { Transport } from '../http/transport.js';
import type { Provider, RequestStats } from '../provider.js';
import { KratosClient } from './client.js';
import { kratosUnreachable } from './errors.js';
import type { KeptFields } from './identity.js';
import { kratosAdminBase } from './origin.js';
import { readKratos } from './read.js';
import { KratosWriter } from './writer.js';

export { kratosAdminBase } from './origin.js';

export interface KratosProviderOptions {
  /** The admin API: `http://127.0.0.1:4434`, `https://<project>.projects.oryapis.com`; no scheme means https. */
  adminUrl: string;
  /** Ory Network's project API key (`ory_pat_…`); none for a self-hosted admin port. */
  apiKey?: string;
  /** Goes into Target.local: the built-in local emulator. */
  local?: boolean;
  /** Bound on requests in flight. Default 4. */
  parallelism?: number;
  /** Client-side cap on requests per second. Default: none. */
  maxRps?: number;
  /** Identities per list page. Default 500, the most Kratos serves. */
  pageSize?: number;
  /** Per request, until the whole answer is in. Default 30000. */
  timeoutMs?: number;
  /** Most retries of a request after 5xx, resets and timeouts. Default 5. */
  retries?: number;
}

export const defaults = { parallelism: 4, timeoutMs: 30_000, retries: 5, pageSize: 500 } as const;

/** Kratos clamps larger page sizes to this. */
export const maxPageSize = 500;

function check(name: string, value: number, ok: boolean, hint: string): void {
  if (!ok) throw new IdmError(`Invalid Kratos provider option ${name}: ${value}`, 'INVALID_OPTION', hint);
}

/** `timing` replaces the clock, sleep, randomness and backoff constants (tests run retries fast with it). */
export function createKratosProvider(options: KratosProviderOptions, timing: Partial<Timing> = {}): Provider {
  const base = kratosAdminBase(options.adminUrl);
  const parallelism = options.parallelism ?? defaults.parallelism;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const retries = options.retries ?? defaults.retries;
  const pageSize = options.pageSize ?? defaults.pageSize;
  const maxRps = options.maxRps ?? undefined;
  check('parallelism', parallelism, Number.isInteger(parallelism) && parallelism >= 1, 'give a whole number, 1 or more');
  check('timeoutMs', timeoutMs, timeoutMs > 0, 'give milliseconds, more than 0');
  check('retries', retries, Number.isInteger(retries) && retries >= 0, 'give a whole number, 0 or more');
  check('pageSize', pageSize, Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= maxPageSize, `give a whole number from 1 to ${maxPageSize}`);
  if (maxRps !== undefined) check('maxRps', maxRps, maxRps > 0 && Number.isFinite(maxRps), 'give requests per second, more than 0');
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
    writer: (live) => new KratosWriter(client, live, kept.get(live), pageSize),
    stats: (): RequestStats => ({ ...transport.counters }),
    close: () => transport.close(),
  };
}
