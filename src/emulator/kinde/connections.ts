/**
 * Social and enterprise connections, which identities of those kinds must name. The emulator does not serve the
 * connections API; `admin.defineConnection` stands in for setting one up in Kinde's admin UI. An unknown
 * connection_id is refused, as a tenant refuses it.
 */
import { randomBytes } from 'node:crypto';
import { IdmError } from '../../errors.js';
import type { Tenant } from './tenant.js';

/** The spec's connection strategies (`POST /api/v1/connections`): `oauth2:` ones are social, the rest enterprise. */
export const connectionStrategies = [
  'oauth2:apple', 'oauth2:azure_ad', 'oauth2:bitbucket', 'oauth2:discord', 'oauth2:facebook', 'oauth2:github', 'oauth2:gitlab',
  'oauth2:google', 'oauth2:linkedin', 'oauth2:microsoft', 'oauth2:patreon', 'oauth2:slack', 'oauth2:stripe', 'oauth2:twitch',
  'oauth2:twitter', 'oauth2:xero', 'saml:custom', 'saml:cloudflare', 'saml:okta', 'saml:microsoft', 'saml:google', 'wsfed:azure_ad',
] as const;
export type ConnectionStrategy = (typeof connectionStrategies)[number];

/** The admin hook's input. */
export interface ConnectionDefinition {
  strategy: ConnectionStrategy;
  /** Default: the strategy. */
  name?: string;
}

const newConnectionId = (): string => `conn_${Date.now().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;

export function defineConnection(tenant: Tenant, definition: ConnectionDefinition): string {
  if (!connectionStrategies.includes(definition.strategy)) {
    throw new IdmError(`Unknown connection strategy ${JSON.stringify(definition.strategy)}`, 'EMULATOR_SEED_INVALID', `use one of ${connectionStrategies.join(', ')}`);
  }
  let id = newConnectionId();
  while (tenant.connections.has(id)) id = newConnectionId();
  tenant.connections.set(id, { id, seq: tenant.nextSeq++, name: definition.name ?? definition.strategy, strategy: definition.strategy });
  return id;
}
