/**
 * Organizations, by external id. Kinde spreads an org over several calls: the create takes only some fields
 * (allowed domains, auto-join and enforced MFA exist on the update alone), MFA and passkeys have their own PUTs, and
 * each flag value its own PATCH whose value is a query parameter, and property values one PATCH for all of them. A
 * create makes every call its fields need; an update only those its diff paths need.
 */
import { colorNames } from '../../model/desired.js';
import { IdmError } from '../../errors.js';
import { writeOnlyKey, type LiveOrganization } from '../../model/live.js';
import type { FlatState, OrganizationChange, Value } from '../../model/plan.js';
import { isRecord, type KindeClient } from './client.js';
import type { IdDirectory } from './ids.js';
import type { StateRecords } from './state-record.js';
import { flagValueText } from './values.js';
import { fingerprintsOf } from './write-only.js';

const segment = encodeURIComponent;

/** Config path -> field of the org's create and update bodies. */
const bodyFields: Readonly<Record<string, string>> = {
  name: 'name',
  handle: 'handle',
  'policies.auto_membership': 'is_auto_membership_enabled',
  ...Object.fromEntries(colorNames.map((c) => [`colors.${c}`, c])),
  // Only the update takes these three.
  'policies.allowed_domains': 'allowed_domains',
  'policies.auto_join_domains': 'is_auto_join_domain_list',
  'policies.enforce_mfa': 'is_enforce_mfa',
};
const updateOnly = new Set(['policies.allowed_domains', 'policies.auto_join_domains', 'policies.enforce_mfa']);

const flagPrefix = 'feature_flags.';
const propertyPrefix = 'properties.';

type Call = 'org' | 'mfa' | 'passkey' | 'properties' | `flag:${string}`;

/** Which call writes a path; undefined for a path idm cannot write to an org. */
function callFor(path: string): Call | undefined {
  if (path in bodyFields) return 'org';
  if (path.startsWith('mfa.')) return 'mfa';
  if (path.startsWith('passkey.')) return 'passkey';
  if (path.startsWith(flagPrefix) && path.length > flagPrefix.length) return `flag:${path.slice(flagPrefix.length)}`;
  if (path.startsWith(propertyPrefix) && path.length > propertyPrefix.length) return 'properties';
  return undefined;
}

/** `{properties: {<key>: <value>}}` for the property paths in `paths`: Kinde's PATCH sets the keys it names, no others. */
export const propertiesBody = (after: FlatState, paths: readonly string[]): { properties: Record<string, string> } => ({
  properties: Object.fromEntries(paths.map((p) => [p.slice(propertyPrefix.length), flagValueText(after[p])])),
});

const bodyOf = (after: FlatState, paths: Iterable<string>): Record<string, Value> =>
  Object.fromEntries([...paths].filter((p) => after[p] !== undefined).map((p) => [bodyFields[p]!, after[p]!]));

function createdCode(body: unknown): string | undefined {
  const org = isRecord(body) ? body.organization : undefined;
  const code = isRecord(org) ? org.code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

export interface OrganizationContext {
  readonly client: KindeClient;
  readonly records: StateRecords;
  /** External id -> org code. */
  readonly orgs: IdDirectory;
  readonly live: ReadonlyMap<string, LiveOrganization>;
}

export async function writeOrganization(context: OrganizationContext, change: OrganizationChange): Promise<void> {
  const { client, records, orgs } = context;
  const externalId = change.key;
  const object = writeOnlyKey('organization', externalId);
  if (change.action === 'delete') {
    if (context.live.get(externalId)?.isDefault) {
      throw new IdmError(`The organization "${externalId}" is the default organization, which cannot be deleted`, 'DEFAULT_ORGANIZATION', 'keep it in the config, or stop pruning organizations');
    }
    const [code] = await orgs.resolve([externalId]);
    await client.call('DELETE', `/organization/${segment(code!)}`);
    orgs.forget(externalId);
    await records.remove(object);
    return;
  }

  const after = change.after;
  const unknown = Object.keys(after).filter((path) => callFor(path) === undefined);
  if (unknown.length > 0) {
    throw new IdmError(`idm cannot write ${unknown.join(', ')} of the organization "${externalId}"`, 'INVALID_CHANGE', 'this is a bug in idm: the plan holds a field no call writes');
  }
  // The paths to write, grouped by the call that writes them.
  const paths = change.action === 'create' ? Object.keys(after) : change.diff.map((d) => d.path);
  const calls = new Map<Call, string[]>();
  for (const path of paths) calls.set(callFor(path)!, [...(calls.get(callFor(path)!) ?? []), path]);

  let code: string;
  const written: string[] = [];
  if (change.action === 'create') {
    const createPaths = Object.keys(after).filter((p) => p in bodyFields && !updateOnly.has(p));
    const result = await client.call('POST', '/organization', {
      body: { ...bodyOf(after, createPaths), external_id: externalId },
      alreadyDone: () => orgs.existsNow(externalId),
    });
    if (!result.recovered) {
      const created = createdCode(result.body);
      if (created) orgs.set(externalId, created);
      else orgs.createdWithoutId(externalId);
    }
    [code] = (await orgs.resolve([externalId])) as [string];
    written.push(...createPaths);
    const rest = (calls.get('org') ?? []).filter((p) => updateOnly.has(p));
    if (rest.length > 0) calls.set('org', rest);
    else calls.delete('org');
  } else {
    [code] = (await orgs.resolve([externalId])) as [string];
  }

  const org = `/organization/${segment(code)}`;
  const sub = `/organizations/${segment(code)}`;
  for (const [call, group] of calls) {
    if (call === 'org') {
      await client.call('PATCH', org, { body: bodyOf(after, group) });
    } else if (call === 'mfa') {
      // A replace: the whole configuration goes, whichever part changed.
      const factors = after['mfa.factors'];
      if (!Array.isArray(factors)) throw new IdmError(`The MFA of the organization "${externalId}" has no factors to write`, 'INVALID_CHANGE', 'list mfa.factors in the config');
      const recovery = after['mfa.recovery_codes'];
      await client.call('PUT', `${sub}/mfa`, { body: { enabled_factors: factors, ...(typeof recovery === 'boolean' ? { is_recovery_codes_enabled: recovery } : {}) } });
      group.push(...['mfa.factors', 'mfa.recovery_codes'].filter((p) => p in after && !group.includes(p)));
    } else if (call === 'passkey') {
      const policy = after['passkey.policy'];
      const override = after['passkey.override_environment'];
      await client.call('PUT', `${sub}/passkey`, {
        body: { ...(policy !== undefined ? { policy } : {}), ...(override !== undefined ? { is_override_environment_passkey_settings: override } : {}) },
      });
    } else if (call === 'properties') {
      await client.call('PATCH', `${sub}/properties`, { body: propertiesBody(after, group) });
    } else {
      const key = call.slice('flag:'.length);
      // Unlike the environment's, an org's flag value travels in the query string.
      await client.call('PATCH', `${sub}/feature_flags/${segment(key)}`, { query: { value: flagValueText(after[`${flagPrefix}${key}`]) } });
    }
    written.push(...group);
  }
  await records.record(object, fingerprintsOf('organization', written, after, change.diff));
}
