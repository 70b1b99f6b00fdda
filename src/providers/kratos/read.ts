/**
 * Reading Kratos into Live: only identities, and only when the config declares some (the Kinde collections stay
 * empty). One keyset-paged listing with the credentials idm manages, page by page in order (a page token only comes
 * with the page before it).
 */
import type { IdentityMatch } from '../../model/desired.js';
import type { Live, LiveIdentity } from '../../model/live.js';
import type { ReadScope } from '../../model/plan.js';
import type { Progress } from '../provider.js';
import type { KratosClient } from './client.js';
import { managedCredentialTypes, readIdentity, type KeptFields } from './identity.js';

export const identitiesPath = '/admin/identities';

/** A read, with what stays out of Live: the fields a PUT must send back, by identity id. */
export interface KratosRead {
  readonly live: Live;
  readonly kept: ReadonlyMap<string, KeptFields>;
}

export const emptyLive = (identities: ReadonlyMap<string, LiveIdentity> = new Map()): Live => ({
  permissions: new Map(),
  roles: new Map(),
  featureFlags: new Map(),
  organizations: new Map(),
  settings: {},
  users: new Map(),
  identities,
  writeOnly: new Map(),
  unfinishedUsers: new Set(),
});

export async function readKratos(client: KratosClient, scope: ReadScope, pageSize: number, progress?: Progress): Promise<KratosRead> {
  if (scope.identities === null) return { live: emptyLive(), kept: new Map() };
  const match: IdentityMatch = scope.identities.match;
  const items = await client.list(identitiesPath, { page_size: pageSize, include_credential: managedCredentialTypes }, (done) =>
    progress?.({ phase: 'identities', done }),
  );
  const identities = new Map<string, LiveIdentity>();
  const kept = new Map<string, KeptFields>();
  for (const item of items) {
    const read = readIdentity(item, match, identitiesPath);
    identities.set(read.live.id, read.live);
    kept.set(read.live.id, read.kept);
  }
  return { live: emptyLive(identities), kept };
}
