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
import { transportSettings, type TransportOptions } from '../http/settings.js';
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

export interface KindeProviderOptions extends TransportOptions {
  /** `acme.kinde.com`, `https://acme.kinde.com` or `http://127.0.0.1:8787`; no scheme means https. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Goes into Target.local: the built-in local emulator. */
  local?: boolean;
}

/** The most items a page of this API holds (and the default page size). */
const maxPageSize = 500;

/**
 * `timing` replaces the clock, sleep, randomness and backoff constants (tests use it to run retries and token
 * expiry fast); production code leaves it out.
 */
export function createKindeProvider(options: KindeProviderOptions, timing: Partial<Timing> = {}): Provider {
  const origin = kindeOrigin(options.domain);
  const { parallelism, maxRps, timeoutMs, retries, pageSize } = transportSettings('Kinde', options, maxPageSize);
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
