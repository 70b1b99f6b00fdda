/**
 * The Kinde provider: reads roles, permissions, feature flags, organizations, settings and users into the Live
 * model and writes changes through the Management API. The only code in idm that knows Kinde's HTTP API.
 */
import { IdmError } from '../../errors.js';
import type { Live } from '../../model/live.js';
import type { Target } from '../../model/target.js';
import type { Provider, RequestStats } from '../provider.js';
import { TokenSource } from './auth.js';
import { KindeClient } from './client.js';
import { kindeUnreachable } from './errors.js';
import { KindeTenantLock } from './lock.js';
import { Transport } from '../http/transport.js';
import { kindeOrigin } from './origin.js';
import { readLive } from './read.js';
import { listAllOrganizations } from './read-organizations.js';
import type { LiveRead } from './read.js';
import { realTiming, type Timing } from '../http/timing.js';
import { KindeWriter } from './writer.js';

export { kindeOrigin } from './origin.js';
export { isLoopbackHost } from '../../util/loopback.js';
export type { Timing } from '../http/timing.js';

export interface KindeProviderOptions {
  /** `acme.kinde.com`, `https://acme.kinde.com` or `http://127.0.0.1:8787`; no scheme means https. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Goes into Target.local: the built-in local emulator. */
  local?: boolean;
  /** Bound on requests in flight, for reads and writes. Default 4. */
  parallelism?: number;
  /** Client-side cap on requests per second (all requests, token included). Default: none. */
  maxRps?: number;
  /** Per request, until the whole answer is in. Default 30000. */
  timeoutMs?: number;
  /** Most retries of a request after 5xx, resets and timeouts. Default 5. */
  retries?: number;
  /** Items per list page. Default 500, the most Kinde documents. */
  pageSize?: number;
}

export const defaults = { parallelism: 4, timeoutMs: 30_000, retries: 5, pageSize: 500 } as const;

/** The most Kinde documents per page. */
export const maxPageSize = 500;

function check(name: string, value: number, ok: boolean, hint: string): void {
  if (!ok) throw new IdmError(`Invalid Kinde provider option ${name}: ${value}`, 'INVALID_OPTION', hint);
}

/**
 * `timing` replaces the clock, sleep, randomness and backoff constants (tests use it to run retries and token
 * expiry fast); production code leaves it out.
 */
export function createKindeProvider(options: KindeProviderOptions, timing: Partial<Timing> = {}): Provider {
  const origin = kindeOrigin(options.domain);
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
  if (!options.clientId || !options.clientSecret) {
    throw new IdmError('The Kinde client id and secret must not be empty', 'AUTH_MISSING', 'set KINDE_MANAGEMENT_CLIENT_ID and KINDE_MANAGEMENT_CLIENT_SECRET');
  }

  const clock: Timing = { ...realTiming, ...timing };
  const transport = new Transport({ origin, parallelism, timeoutMs, retries, timing: clock, unreachable: kindeUnreachable, ...(maxRps === undefined ? {} : { maxRps }) });
  const tokens = new TokenSource(transport, origin, { clientId: options.clientId, clientSecret: options.clientSecret }, clock);
  const client = new KindeClient(transport, tokens);
  const target: Target = { provider: 'kinde', url: origin, local: options.local ?? false };

  // The state record's variables and the org codes travel from a read to the writers of what it read, without
  // entering Live.
  const reads = new WeakMap<Live, LiveRead>();

  return {
    target,
    read: async (scope, progress) => {
      const read = await readLive(client, scope, { pageSize, parallelism }, progress);
      reads.set(read.live, read);
      return read.live;
    },
    readAll: async (scopeFor, progress) => {
      const probe = scopeFor([]);
      const orgs = probe.organizations || probe.users.list ? await listAllOrganizations(client, { pageSize, parallelism }, progress) : undefined;
      const read = await readLive(client, orgs ? scopeFor([...orgs.matched.keys()]) : probe, { pageSize, parallelism }, progress, orgs?.matched);
      reads.set(read.live, read);
      return { live: read.live, unmatched: orgs?.unmatched ?? [] };
    },
    writer: (live) => new KindeWriter(client, live, pageSize, reads.get(live)?.records, reads.get(live)?.organizationCodes),
    stats: (): RequestStats => ({ ...transport.counters }),
    lock: new KindeTenantLock(client, pageSize, clock.now),
    close: () => transport.close(),
  };
}
