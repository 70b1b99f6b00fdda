/**
 * A Kratos identity as idm compares it (LiveIdentity): its match key and its flat state. Secrets are reduced to
 * fingerprints here, the moment they are read, and never kept: `credentials.password` is the fingerprint of the
 * hashed password, `credentials.totp` that of the TOTP URL, `credentials.lookup_secret` that of the set of recovery
 * codes (writeOnlyFingerprint, as the planner computes them from the config), `credentials.oidc` / `credentials.saml`
 * the sorted `provider:subject` identifiers of the links.
 */
import type { IdentityMatch, Json } from '../../model/desired.js';
import type { LiveIdentity } from '../../model/live.js';
import type { Value } from '../../model/plan.js';
import { writeOnlyFingerprint } from '../../plan/fingerprint.js';
import { flattenJson } from '../../plan/flatten-json.js';
import { isRecord } from '../http/json.js';
import { unexpected } from './client.js';

/** What an identity holds that a PUT would clear unless sent back, and the flat state cannot give back exactly. */
export interface KeptFields {
  readonly metadataPublic: Json;
  readonly metadataAdmin: Json;
  readonly externalId: string | undefined;
}

/** Credential types whose links are `provider:subject` identifiers. */
export type LinkType = 'oidc' | 'saml';
export const linkTypes: readonly LinkType[] = ['oidc', 'saml'];

/** The credential types idm reads and writes; the list asks Kratos for their configs (and only theirs). */
export const managedCredentialTypes = ['password', 'oidc', 'saml', 'totp', 'lookup_secret'] as const;

/** The match value of an identity's traits or external id: a trait's string lower-cased, as Kratos stores identifiers. */
export function matchKey(match: IdentityMatch, traits: unknown, externalId: string | undefined): string | null {
  if (match.by === 'external_id') return externalId ?? null;
  let at: unknown = traits;
  for (const step of match.path) at = isRecord(at) ? at[step] : undefined;
  if (typeof at === 'string' && at !== '') return at.toLowerCase();
  if (typeof at === 'number' && Number.isFinite(at)) return String(at);
  return null;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The `provider:subject` identifiers of a link credential, sorted, without repeats (Kratos appends without de-dup). */
function linkIdentifiers(credential: Record<string, unknown>): string[] {
  const listed = Array.isArray(credential.identifiers) ? credential.identifiers.filter((i): i is string => typeof i === 'string' && i !== '') : [];
  const providers = isRecord(credential.config) && Array.isArray(credential.config.providers) ? credential.config.providers : [];
  const configured = providers.flatMap((p) => (isRecord(p) && text(p.provider) && text(p.subject) ? [`${p.provider as string}:${p.subject as string}`] : []));
  return [...new Set(listed.length > 0 ? listed : configured)].sort();
}

function credentialState(credentials: unknown): Record<string, Value> {
  const state: Record<string, Value> = {};
  if (!isRecord(credentials)) return state;
  const configOf = (type: string): Record<string, unknown> | undefined => {
    const c = credentials[type];
    return isRecord(c) && isRecord(c.config) ? c.config : undefined;
  };
  const hash = text(configOf('password')?.hashed_password);
  if (hash !== undefined) state['credentials.password'] = writeOnlyFingerprint(hash);
  const totp = text(configOf('totp')?.totp_url);
  if (totp !== undefined) state['credentials.totp'] = writeOnlyFingerprint(totp);
  // A set: an import sent twice (after a lost answer) appends the same codes again, which changes nothing that matters.
  const codes = configOf('lookup_secret')?.recovery_codes;
  const codeSet = [...new Set((Array.isArray(codes) ? codes : []).flatMap((c) => (isRecord(c) && text(c.code) !== undefined ? [c.code as string] : [])))];
  if (codeSet.length > 0) state['credentials.lookup_secret'] = writeOnlyFingerprint(codeSet);
  for (const type of linkTypes) {
    const credential = credentials[type];
    const links = isRecord(credential) ? linkIdentifiers(credential) : [];
    // No links and no link credential read the same: nothing to sign in with through a provider.
    if (links.length > 0) state[`credentials.${type}`] = links;
  }
  return state;
}

const asJson = (v: unknown): Json => (v === undefined ? null : (v as Json));

/** One identity of a listing: the flat state, and what the writer must send back on a PUT. */
export function readIdentity(item: unknown, match: IdentityMatch, path: string): { readonly live: LiveIdentity; readonly kept: KeptFields } {
  if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') throw unexpected('GET', path, 200, 'an identity in the list has no id');
  const externalId = text(item.external_id);
  const state: Record<string, Value> = {};
  if (typeof item.schema_id === 'string') state.schema_id = item.schema_id;
  if (typeof item.state === 'string') state.state = item.state;
  if (externalId !== undefined) state.external_id = externalId;
  Object.assign(
    state,
    flattenJson('traits', asJson(item.traits ?? {})),
    flattenJson('metadata_public', asJson(item.metadata_public)),
    flattenJson('metadata_admin', asJson(item.metadata_admin)),
    credentialState(item.credentials),
  );
  return {
    live: { id: item.id, key: matchKey(match, item.traits, externalId), state },
    kept: { metadataPublic: asJson(item.metadata_public), metadataAdmin: asJson(item.metadata_admin), externalId },
  };
}
