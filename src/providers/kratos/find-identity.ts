/**
 * Looking identities up after something went wrong: whether a create whose answer was lost took effect (so that a
 * retry creates nothing twice), and which identity holds the values a 409 says are taken.
 */
import { ApiError } from '../../errors.js';
import type { IdentityRecordSpec, Json } from '../../model/desired.js';
import { canonicalJson, stringLeaves } from '../../plan/flatten-json.js';
import { isRecord } from '../http/json.js';
import type { KratosClient } from './client.js';
import { identitiesPath } from './read.js';

const segment = encodeURIComponent;

/** `provider:subject` of each oidc and saml link the spec declares. */
export const linkIdentifiersOf = (spec: IdentityRecordSpec): string[] =>
  [...(spec.credentials.oidc ?? []), ...(spec.credentials.saml ?? [])].map((l) => `${l.provider}:${l.subject}`);

/** Whether an identity read back is the one the spec declares, as a create would have made it. */
function isSpecified(item: unknown, spec: IdentityRecordSpec): item is Record<string, unknown> & { id: string } {
  if (!isRecord(item) || typeof item.id !== 'string') return false;
  const externalId = typeof item.external_id === 'string' && item.external_id !== '' ? item.external_id : undefined;
  return (
    item.schema_id === spec.schemaId &&
    externalId === spec.externalId &&
    isRecord(item.traits) &&
    canonicalJson(item.traits as Json) === canonicalJson(spec.traits)
  );
}

/** The identity with this external id, or undefined (404). */
async function byExternalId(client: KratosClient, externalId: string): Promise<unknown> {
  try {
    return (await client.call('GET', `${identitiesPath}/by/external/${segment(externalId)}`)).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

async function byIdentifier(client: KratosClient, identifier: string): Promise<unknown[]> {
  const { body } = await client.call('GET', identitiesPath, { query: { credentials_identifier: identifier } });
  return Array.isArray(body) ? body : [];
}

/**
 * The id of the identity a lost create made, or undefined when it made none. External ids and link identifiers are
 * unique and always stored, so a search by them settles it; the match key finds an identity only when the schema
 * makes that trait a login identifier, so without the others the whole list is searched as a last resort.
 */
export async function findCreated(client: KratosClient, spec: IdentityRecordSpec, pageSize: number): Promise<string | undefined> {
  if (spec.externalId !== undefined) {
    const found = await byExternalId(client, spec.externalId);
    return isSpecified(found, spec) ? found.id : undefined;
  }
  const links = linkIdentifiersOf(spec);
  if (links.length > 0) return (await byIdentifier(client, links[0]!)).find((i) => isSpecified(i, spec))?.id as string | undefined;
  const byKey = (await byIdentifier(client, spec.key)).find((i) => isSpecified(i, spec));
  if (byKey) return byKey.id;
  const all = await client.list(identitiesPath, { page_size: pageSize });
  return all.find((i) => isSpecified(i, spec))?.id as string | undefined;
}

/** At most this many trait values are looked up to explain a 409: one call each, only on the error path. */
const maxTraitLookups = 20;

/**
 * The spec's unique-looking values that another identity holds, as `what "value" (identity <id>)`; empty when the
 * lookups find none (or fail: the 409 itself is what gets reported).
 */
export async function conflictsOf(client: KratosClient, spec: IdentityRecordSpec, selfId: string | undefined): Promise<string[]> {
  const found: string[] = [];
  const other = (items: unknown[]): string | undefined =>
    items.map((i) => (isRecord(i) && typeof i.id === 'string' ? i.id : undefined)).find((id) => id !== undefined && id !== selfId);
  try {
    if (spec.externalId !== undefined) {
      const holder = other([await byExternalId(client, spec.externalId)]);
      if (holder) found.push(`external_id ${JSON.stringify(spec.externalId)} (identity ${holder})`);
    }
    const traits = stringLeaves('traits', spec.traits).filter(([, v]) => v !== '').slice(0, maxTraitLookups);
    for (const [path, value] of traits) {
      const holder = other(await byIdentifier(client, value));
      if (holder) found.push(`${path} ${JSON.stringify(value)} (identity ${holder})`);
    }
    for (const link of linkIdentifiersOf(spec)) {
      const holder = other(await byIdentifier(client, link));
      if (holder) found.push(`the link ${JSON.stringify(link)} (identity ${holder})`);
    }
  } catch {
    return found;
  }
  return found;
}

/** What a 409 could be about, when no lookup found the holder. */
export function uniqueCandidates(spec: IdentityRecordSpec): string[] {
  return [
    ...(spec.externalId === undefined ? [] : [`external_id ${JSON.stringify(spec.externalId)}`]),
    `the match value ${JSON.stringify(spec.key)}`,
    ...linkIdentifiersOf(spec).map((l) => `the link ${JSON.stringify(l)}`),
  ];
}
