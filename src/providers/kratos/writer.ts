/**
 * The Writer for a Kratos target: identities only. The planner gives a Kratos target no permissions, roles, flags,
 * organizations, settings or users, so reaching one of those writers is a bug, reported as one.
 */
import type { IdentityRecordSpec } from '../../model/desired.js';
import type { Live } from '../../model/live.js';
import type { IdentityChange } from '../../model/plan.js';
import type { Writer } from '../provider.js';
import type { KratosClient } from './client.js';
import { readIdentity, type KeptFields } from './identity.js';
import { IdentityDirectory } from './ids.js';
import { identitiesPath } from './read.js';
import { writeIdentity, type IdentityContext } from './write-identity.js';

const notKratos = (what: string) => (): Promise<void> => Promise.reject(new Error(`Kratos has no ${what}: this is a bug in idm (the planner gave a Kratos target a Kinde change)`));

export class KratosWriter implements Writer {
  private readonly context: IdentityContext;

  constructor(client: KratosClient, live: Live, kept: ReadonlyMap<string, KeptFields> | undefined, pageSize: number) {
    this.context = {
      client,
      ids: new IdentityDirectory(live.identities.values()),
      live: live.identities,
      pageSize,
      // A Live that did not come from this provider's read (or an identity created since) has no kept fields: read them now.
      kept: async (id) =>
        kept?.get(id) ??
        readIdentity(await client.object('GET', `${identitiesPath}/${encodeURIComponent(id)}`), { by: 'external_id' }, `${identitiesPath}/{id}`).kept,
    };
  }

  writeIdentity(change: IdentityChange, spec: IdentityRecordSpec | undefined): Promise<void> {
    return writeIdentity(this.context, change, spec);
  }

  readonly createPermission = notKratos('permissions');
  readonly updatePermission = notKratos('permissions');
  readonly deletePermission = notKratos('permissions');
  readonly createRole = notKratos('roles');
  readonly updateRole = notKratos('roles');
  readonly changeRolePermissions = notKratos('role permissions');
  readonly deleteRole = notKratos('roles');
  readonly writeFeatureFlag = notKratos('feature flags');
  readonly writeOrganization = notKratos('organizations');
  readonly writeSettings = notKratos('business or environment settings');
  readonly writeUser = notKratos('Kinde users');
}
