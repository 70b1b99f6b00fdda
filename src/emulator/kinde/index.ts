/**
 * An emulator of the parts of Kinde's Management API that idm uses, quirks included, served over HTTP on
 * loopback. Tests, benchmarks, `idm emulator` and the built-in local target all run it through this module.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { IdmError } from '../../errors.js';
import { businessRoutes } from './business.js';
import { defineConnection, type ConnectionDefinition } from './connections.js';
import { environmentFeatureFlagRoutes } from './environment-feature-flags.js';
import { environmentVariableRoutes } from './environment-variables.js';
import { environmentRoutes } from './environment.js';
import { featureFlagRoutes } from './feature-flags.js';
import { identityRoutes } from './identities.js';
import { faultInjector } from '../faults.js';
import { requestHandler } from './handler.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { urlHost } from '../url-host.js';
import { organizationFeatureFlagRoutes } from './organization-feature-flags.js';
import { organizationSecurityRoutes } from './organization-security.js';
import { organizationUserGrantRoutes } from './organization-user-grants.js';
import { organizationUserRoutes } from './organization-users.js';
import { organizationRoutes } from './organizations.js';
import { permissionRoutes } from './permissions.js';
import { createPersister, loadState } from '../persistence.js';
import { defineProperty, propertyRoutes, type PropertyDefinition } from './properties.js';
import { propertyValueRoutes } from './property-values.js';
import { fixedWindow, type RateLimit } from '../rate-limit.js';
import { rolePermissionRoutes } from './role-permissions.js';
import { roleRoutes } from './roles.js';
import type { Route } from './routes.js';
import { securityRoutes } from './security.js';
import { listen, shutDown } from '../server.js';
import { copyStats, emptyStats, type EmulatorStats } from '../stats.js';
import { emptyTenant, type EnvironmentTracking, type Tenant } from './tenant.js';
import { parseTenant, serializeTenant } from './tenant-file.js';
import { userFeatureFlagRoutes } from './user-feature-flags.js';
import { userPasswordRoutes } from './user-password.js';
import { seedUsers, userRoutes, type SeedUser } from './users.js';

export { parseRateLimit, type RateLimit } from '../rate-limit.js';
export type { ConnectionDefinition, ConnectionStrategy } from './connections.js';
export type { PropertyDefinition } from './properties.js';
export type { SeedUser } from './users.js';
export type { EmulatorStats } from '../stats.js';

export interface KindeEmulatorOptions {
  /** Default `127.0.0.1`. Must be a loopback address (127.0.0.0/8, ::1, localhost). */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  clientId: string;
  clientSecret: string;
  /** State file: loaded if it exists, written atomically shortly after changes and on close(). */
  dataFile?: string;
  /** Added to every response. */
  latencyMs?: number;
  /** Fixed window over `/api/v1` requests; beyond it, 429 with `RateLimit-Reset`. */
  rateLimit?: RateLimit;
  /** 0..1: the share of `/api/v1` requests that fail (half 500, half dropped connection), before or after their effect. */
  faultRate?: number;
  /** Seeds the fault injector, so that a test sees the same faults on every run. */
  seed?: number;
  /** Default 500, the most Kinde documents per page; a larger `page_size` is clamped. */
  pageSizeCap?: number;
  /** Default 86400. */
  tokenTtlSeconds?: number;
  /** Scopes granted to the M2M app. Default: every scope the emulated endpoints need. */
  scopes?: readonly string[];
  /** Tracking IDs to set at start (over those in `dataFile`), as `admin.setEnvironment` would. */
  environment?: EnvironmentSettings;
}

/** The environment's third-party analytics IDs; null clears one. */
export type EnvironmentSettings = Partial<EnvironmentTracking>;

/**
 * In-process changes no API call can make, standing in for a person in Kinde's admin UI. Not served over HTTP:
 * a test holding the emulator object uses them to set up drift that idm can read but not fix.
 */
export interface KindeEmulatorAdmin {
  /** Sets the tracking IDs `GET /api/v1/environment` reports; fields left out keep their value. */
  setEnvironment(values: EnvironmentSettings): void;
  /**
   * Creates users in bulk, as an import in the admin UI would, for tests and benchmarks that need many (10,000 take
   * about half a second; through the API each would be a request). Each gets a verified email identity and joins
   * `org_codes`, or the default organization when that is left out (`[]`: none). All or none are created: a
   * taken email or provided id, or an unknown org code, throws naming the entry. Returns the new user ids in order.
   */
  seedUsers(users: readonly SeedUser[]): string[];
  /** Defines a user (`usr`) or organization (`org`) property, with no category; returns its id. */
  defineProperty(property: PropertyDefinition): string;
  /**
   * Sets up a social (`oauth2:…`) or enterprise (`saml:…`, `wsfed:…`) connection, which social and enterprise
   * identities must name by id; a social identity's type is then its connection's strategy. Returns the id.
   */
  defineConnection(connection: ConnectionDefinition): string;
}

export interface KindeEmulator {
  /** Base URL, e.g. `http://127.0.0.1:8787`: use it as the Kinde domain. */
  readonly url: string;
  readonly admin: KindeEmulatorAdmin;
  stats(): EmulatorStats;
  resetStats(): void;
  /**
   * Reads the tenant from `dataFile` again, in place of the one in memory (no-op without `dataFile`): the local
   * target, once it holds the apply lock, catches up with the run it waited for.
   */
  reload(): Promise<void>;
  /** Stops the server and writes any pending state. */
  close(): Promise<void>;
}

const routes: readonly Route[] = [
  ...permissionRoutes,
  ...roleRoutes,
  ...rolePermissionRoutes,
  ...environmentRoutes,
  ...organizationRoutes,
  ...organizationFeatureFlagRoutes,
  ...organizationSecurityRoutes,
  ...businessRoutes,
  ...environmentFeatureFlagRoutes,
  ...securityRoutes,
  ...featureFlagRoutes,
  ...environmentVariableRoutes,
  ...userRoutes,
  ...identityRoutes,
  ...userPasswordRoutes,
  ...userFeatureFlagRoutes,
  ...organizationUserRoutes,
  ...organizationUserGrantRoutes,
  ...propertyRoutes,
  ...propertyValueRoutes,
];

/** The operations the emulator implements, named as in `EmulatorStats.byRoute`, e.g. `GET /api/v1/roles/{role_id}`. */
export const emulatedOperations: readonly string[] = routes.map((r) => `${r.method} ${r.path}`);

/** Every scope the emulated endpoints check, in the order the routes are declared. */
export const emulatedScopes: readonly string[] = [...new Set(routes.map((r) => r.scope))];

const defaults = { host: '127.0.0.1', port: 0, latencyMs: 0, faultRate: 0, pageSizeCap: 500, tokenTtlSeconds: 86_400 };

type Settings = KindeEmulatorOptions & Required<Pick<KindeEmulatorOptions, keyof typeof defaults>>;

function checkOptions(options: Settings): void {
  const invalid = (what: string, hint: string): never => {
    throw new IdmError(`Invalid emulator option: ${what}`, 'EMULATOR_OPTIONS_INVALID', hint);
  };
  const { host, port, latencyMs, faultRate, pageSizeCap, tokenTtlSeconds, rateLimit } = options;
  if (!isLoopbackHost(host)) {
    invalid(`host ${host} is not a loopback address`, 'the emulator has no TLS and accepts its printed credentials; use 127.0.0.1, ::1 or localhost');
  }
  if (!options.clientId || !options.clientSecret) invalid('client id and secret must not be empty', 'pass both, or let `idm emulator` generate them');
  if (!(Number.isInteger(port) && port >= 0 && port <= 65_535)) invalid(`port ${port}`, 'give a port from 0 (any free port) to 65535');
  if (!(latencyMs >= 0)) invalid(`latency ${latencyMs}`, 'give milliseconds, 0 or more');
  if (!(faultRate >= 0 && faultRate <= 1)) invalid(`fault rate ${faultRate}`, 'give a number from 0 to 1, e.g. 0.05 for 5%');
  if (!(Number.isInteger(pageSizeCap) && pageSizeCap >= 1)) invalid(`page size cap ${pageSizeCap}`, 'give a positive integer');
  if (!(tokenTtlSeconds >= 1)) invalid(`token lifetime ${tokenTtlSeconds}`, 'give seconds, 1 or more');
  if (rateLimit && !(rateLimit.requests >= 1 && rateLimit.windowMs >= 1)) invalid('rate limit', 'give at least 1 request per window of at least 1 ms');
  if (options.environment) checkEnvironment(options.environment);
}

const trackingFields: readonly (keyof EnvironmentTracking)[] = ['google_analytics_tag', 'hotjar_site_id', 'contentsquare_tag_id'];

function checkEnvironment(values: EnvironmentSettings): void {
  for (const [field, value] of Object.entries(values)) {
    if (!trackingFields.includes(field as keyof EnvironmentTracking)) {
      throw new IdmError(`Unknown environment setting ${field}`, 'EMULATOR_OPTIONS_INVALID', `the settable ones are ${trackingFields.join(', ')}`);
    }
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new IdmError(`Environment setting ${field} must be a string or null`, 'EMULATOR_OPTIONS_INVALID', 'pass the ID as a string, or null to clear it');
    }
  }
}

function setEnvironment(tenant: Tenant, values: EnvironmentSettings): void {
  checkEnvironment(values);
  for (const field of trackingFields) {
    const value = values[field];
    // An empty ID is no ID: Kinde reports an unset one as null.
    if (value !== undefined) tenant.tracking[field] = value === '' ? null : value;
  }
}

export async function startKindeEmulator(given: KindeEmulatorOptions): Promise<KindeEmulator> {
  // Spread undefined-valued options away first, so that `{ port: undefined }` still gets the default.
  const options = { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as typeof defaults & KindeEmulatorOptions;
  checkOptions(options);
  const tenant = (options.dataFile ? await loadState(options.dataFile, 'Kinde', parseTenant) : undefined) ?? emptyTenant();
  const persister = options.dataFile ? createPersister(options.dataFile, () => serializeTenant(tenant)) : undefined;
  if (options.environment) {
    setEnvironment(tenant, options.environment);
    persister?.changed();
  }
  const server = createServer();
  const port = await listen(server, options.host, options.port);
  const url = `http://${urlHost(options.host)}:${port}`;
  const stats = emptyStats();

  server.on(
    'request',
    requestHandler({
      routes,
      context: { tenant, url, pageSizeCap: options.pageSizeCap, changed: () => persister?.changed() },
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        scopes: options.scopes ?? emulatedScopes,
        ttlSeconds: options.tokenTtlSeconds,
        issuer: url,
        key: randomBytes(32),
      },
      latencyMs: options.latencyMs,
      limit: options.rateLimit ? fixedWindow(options.rateLimit) : undefined,
      nextFault: faultInjector(options.faultRate, options.seed),
      stats,
    }),
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    admin: {
      setEnvironment(values) {
        setEnvironment(tenant, values);
        persister?.changed();
      },
      seedUsers(users) {
        const ids = seedUsers(tenant, users);
        if (ids.length > 0) persister?.changed();
        return ids;
      },
      defineProperty(property) {
        const id = defineProperty(tenant, property);
        persister?.changed();
        return id;
      },
      defineConnection(connection) {
        const id = defineConnection(tenant, connection);
        persister?.changed();
        return id;
      },
    },
    stats: () => copyStats(stats),
    resetStats: () => void Object.assign(stats, emptyStats()),
    reload: async () => {
      if (options.dataFile) Object.assign(tenant, (await loadState(options.dataFile, 'Kinde', parseTenant)) ?? emptyTenant());
    },
    close: () => (closing ??= shutDown(server).then(() => persister?.close())),
  };
}
