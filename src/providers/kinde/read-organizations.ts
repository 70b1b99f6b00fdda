/**
 * Organizations: the list (every org, largest pages) gives name, handle and auto-membership; only the orgs whose
 * managed fields need more are read further, and only as far as they need (see ReadScope.organization_details):
 * colours and allowed domains from the org itself, flag values, passkey settings and property values from their
 * own endpoints. Orgs without an external id are not idm's to match, and are left out. The list alone also serves
 * the users read, which needs org codes turned into external ids.
 */
import { colorNames } from '../../model/desired.js';
import { IdmError } from '../../errors.js';
import type { LiveOrganization } from '../../model/live.js';
import type { ReadScope, Value } from '../../model/plan.js';
import { mapLimitAll } from '../../util/map-limit.js';
import type { Progress, UnmatchedOrganization } from '../provider.js';
import { isRecord, unexpected, type KindeClient } from './client.js';
import { flagPaths, flagsOf } from './read-feature-flags.js';
import { colorOf, domainSet, optionalText } from './values.js';

export interface OrgReadOptions {
  readonly pageSize: number;
  readonly parallelism: number;
}

type Details = ReadScope['organization_details'][string];

const segment = encodeURIComponent;

/** An org of the list as idm matches it, or undefined when it has no external id. */
export function listedOrganization(item: unknown, path = '/organizations'): LiveOrganization | undefined {
  if (!isRecord(item) || typeof item.code !== 'string' || item.code === '') throw unexpected('GET', path, 200, 'an organization in the list has no code');
  const externalId = typeof item.external_id === 'string' ? item.external_id : '';
  if (externalId === '') return undefined;
  return {
    id: item.code,
    externalId,
    isDefault: item.is_default === true,
    state: {
      name: typeof item.name === 'string' ? item.name : '',
      handle: optionalText(item.handle),
      'policies.auto_membership': item.is_auto_membership_enabled === true,
    },
  };
}

/** Keyed by external id, in its order; two orgs sharing one cannot be told apart. */
function byExternalId(orgs: readonly LiveOrganization[]): Map<string, LiveOrganization> {
  const map = new Map<string, LiveOrganization>();
  for (const org of [...orgs].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0))) {
    const held = map.get(org.externalId);
    if (held && held.id !== org.id) {
      throw new IdmError(
        `Kinde has two organizations with the external id "${org.externalId}" (codes ${held.id} and ${org.id})`,
        'DUPLICATE_KEY',
        'idm matches organizations on their external id; change or clear one of them in Kinde, then re-run',
      );
    }
    map.set(org.externalId, org);
  }
  return map;
}

async function detailOf(client: KindeClient, code: string): Promise<Record<string, Value>> {
  const path = '/organization';
  const body = await client.object('GET', path, { query: { code } });
  // The spec answers with the org's fields at the top level; a wrapped answer is read the same.
  const org = isRecord(body.organization) ? body.organization : body;
  const state: Record<string, Value> = {};
  for (const name of colorNames) state[`colors.${name}`] = colorOf(org[name]);
  state['policies.allowed_domains'] = domainSet(org.allowed_domains);
  return state;
}

async function flagsOfOrg(client: KindeClient, code: string): Promise<Record<string, Value>> {
  const path = `/organizations/${segment(code)}/feature_flags`;
  return flagPaths(flagsOf(await client.object('GET', path), path));
}

async function passkeyOf(client: KindeClient, code: string): Promise<Record<string, Value>> {
  const body = await client.object('GET', `/organizations/${segment(code)}/passkey`);
  return {
    'passkey.policy': typeof body.policy === 'string' ? body.policy : null,
    'passkey.override_environment': body.is_override_environment_passkey_settings === true,
  };
}

/** `properties.<key>` of a list of property values (`{key, value}`), as users and orgs both have them. */
export function propertyPaths(items: readonly unknown[], path: string): Record<string, Value> {
  const state: Record<string, Value> = {};
  for (const item of items) {
    if (!isRecord(item) || typeof item.key !== 'string' || item.key === '') throw unexpected('GET', path, 200, 'a property value has no key');
    state[`properties.${item.key}`] = optionalText(item.value);
  }
  return state;
}

async function propertiesOf(client: KindeClient, code: string): Promise<Record<string, Value>> {
  const path = `/organizations/${segment(code)}/properties`;
  return propertyPaths(await client.listUnpaged(path, 'properties'), path);
}

const reads = { detail: detailOf, feature_flags: flagsOfOrg, passkey: passkeyOf, properties: propertiesOf } as const;

export interface OrganizationList {
  /** Every org that has an external id, from the list alone, keyed by external id. */
  readonly matched: Map<string, LiveOrganization>;
  /** The others, by code. */
  readonly unmatched: UnmatchedOrganization[];
}

export async function listAllOrganizations(client: KindeClient, options: OrgReadOptions, progress?: Progress): Promise<OrganizationList> {
  const items = await client.list('/organizations', 'organizations', options.pageSize, (done) => progress?.({ phase: 'organizations', done }));
  progress?.({ phase: 'organizations', done: items.length, total: items.length });
  const matched: LiveOrganization[] = [];
  const unmatched = new Map<string, UnmatchedOrganization>();
  for (const item of items) {
    const org = listedOrganization(item);
    if (org) matched.push(org);
    else if (isRecord(item)) unmatched.set(String(item.code), { id: String(item.code), name: typeof item.name === 'string' ? item.name : '', isDefault: item.is_default === true });
  }
  return { matched: byExternalId(matched), unmatched: [...unmatched.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/** Every org that has an external id, from the list alone, keyed by external id. */
export async function listOrganizations(client: KindeClient, options: OrgReadOptions, progress?: Progress): Promise<Map<string, LiveOrganization>> {
  return (await listAllOrganizations(client, options, progress)).matched;
}

/** The orgs of the list, with the further reads `scope` names for each. */
export async function readOrganizationDetails(
  client: KindeClient,
  listed: ReadonlyMap<string, LiveOrganization>,
  scope: ReadScope['organization_details'],
  options: OrgReadOptions,
  progress?: Progress,
): Promise<Map<string, LiveOrganization>> {
  const orgs = new Map(listed);

  const tasks = Object.entries(scope)
    .filter(([externalId]) => orgs.has(externalId))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([externalId, details]: [string, Details]) =>
      (Object.keys(reads) as (keyof typeof reads)[]).filter((what) => details[what]).map((what) => ({ externalId, what })),
    );
  if (tasks.length === 0) return orgs;

  const phase = 'organization details';
  let done = 0;
  progress?.({ phase, done, total: tasks.length });
  const parts = await mapLimitAll(tasks, options.parallelism, async ({ externalId, what }) => {
    const part = await reads[what](client, orgs.get(externalId)!.id);
    progress?.({ phase, done: ++done, total: tasks.length });
    return { externalId, part };
  });
  const states = new Map<string, Record<string, Value>>();
  for (const { externalId, part } of parts) states.set(externalId, { ...states.get(externalId), ...part });
  for (const [externalId, extra] of states) {
    const org = orgs.get(externalId)!;
    orgs.set(externalId, { ...org, state: { ...org.state, ...extra } });
  }
  return orgs;
}
