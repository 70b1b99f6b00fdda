/**
 * Writing one identity under Kratos's merge rules (see /work/shared/reference/kratos-api.md §4-5):
 *
 * - create: `POST /admin/identities` with everything, credentials imported, declared addresses marked verified.
 *   After a lost answer, the identity is looked up before anything is sent again (find-identity.ts).
 * - update without credentials to add: a JSON Patch of only the fields that changed, their values from the config.
 *   A PATCH never touches credentials, so links and passwords stay as they are.
 * - update adding credentials: a PUT, because that is the only way to import one into an existing identity. A PUT
 *   replaces traits, metadata and external id whole (left out means cleared), so it carries the config's values and,
 *   for what the config does not manage, the values read. Its `credentials` hold only what must change: the new
 *   password, the new TOTP URL, the links to add (Kratos appends links without de-duplicating; sent again, a link is
 *   added twice or refused by the identifier's unique index, so a PUT that adds one is not repeated blindly either).
 * - links removed: `DELETE /admin/identities/{id}/credentials/{type}?identifier=provider:subject`, after any adding,
 *   so a link replaced by another never leaves the identity without a way to sign in.
 * - recovery codes changed: Kratos appends imported codes, so the old set is deleted
 *   (`DELETE …/credentials/lookup_secret`) before the PUT imports the new one. Cut off in between, the identity has
 *   no codes, and the next plan imports them.
 *
 * The diff says which fields changed; the values always come from the config (`spec`), which alone holds the
 * secrets. Hashes, TOTP URLs and recovery codes travel in request bodies and nowhere else.
 */
import { ApiError, IdmError } from '../../errors.js';
import type { ExternalLink, IdentityRecordSpec, Json } from '../../model/desired.js';
import type { LiveIdentity } from '../../model/live.js';
import type { IdentityChange } from '../../model/plan.js';
import { isRecord } from '../http/json.js';
import { unexpected, type KratosClient } from './client.js';
import { conflictsOf, findCreated, uniqueCandidates } from './find-identity.js';
import type { KeptFields, LinkType } from './identity.js';
import type { IdentityDirectory } from './ids.js';
import { identitiesPath } from './read.js';

const segment = encodeURIComponent;

export interface IdentityContext {
  readonly client: KratosClient;
  readonly ids: IdentityDirectory;
  /** The identities the plan was made from, by id. */
  readonly live: ReadonlyMap<string, LiveIdentity>;
  /** What a PUT must send back for fields the config does not manage. */
  readonly kept: (id: string) => Promise<KeptFields>;
  readonly pageSize: number;
}

type Field = 'schema_id' | 'state' | 'external_id' | 'traits' | 'metadata_public' | 'metadata_admin';
type Credential = 'password' | 'totp' | 'lookup_secret' | LinkType;

const fields: readonly Field[] = ['schema_id', 'state', 'external_id', 'traits', 'metadata_public', 'metadata_admin'];
const credentialTypes: readonly Credential[] = ['password', 'totp', 'lookup_secret', 'oidc', 'saml'];
/** Fields whose paths go below them (flattenJson). */
const nested: ReadonlySet<Field> = new Set(['traits', 'metadata_public', 'metadata_admin']);

/** Which fields and credentials a change's paths touch (`traits.name.first` touches traits). */
function touched(change: IdentityChange): { readonly fields: Set<Field>; readonly credentials: Set<Credential> } {
  const out = { fields: new Set<Field>(), credentials: new Set<Credential>() };
  for (const { path } of change.diff) {
    const field = fields.find((f) => path === f || (nested.has(f) && path.startsWith(`${f}.`)));
    const credential = credentialTypes.find((c) => path === `credentials.${c}`);
    if (field) out.fields.add(field);
    else if (credential) out.credentials.add(credential);
    else throw new IdmError(`idm cannot write ${path} of the identity "${change.key}"`, 'INVALID_CHANGE', 'this is a bug in idm: please report it with the plan');
  }
  return out;
}

const secretsOf = (spec: IdentityRecordSpec): string[] =>
  [spec.credentials.password?.hash, spec.credentials.totp?.url, ...(spec.credentials.lookupSecret?.codes ?? [])].filter((s): s is string => s !== undefined);

const lookupSecret = (codes: readonly string[]) => ({ config: { codes: [...new Set(codes)].map((code) => ({ code })) } });

const identifier = (l: ExternalLink): string => `${l.provider}:${l.subject}`;

const providers = (links: readonly ExternalLink[]) => ({ config: { providers: links.map((l) => ({ provider: l.provider, subject: l.subject })) } });

/** The `credentials` of a create: everything the config declares. */
function allCredentials(spec: IdentityRecordSpec): Record<string, unknown> {
  const c = spec.credentials;
  return {
    ...(c.password ? { password: { config: { hashed_password: c.password.hash } } } : {}),
    ...(c.oidc && c.oidc.length > 0 ? { oidc: providers(c.oidc) } : {}),
    ...(c.saml && c.saml.length > 0 ? { saml: providers(c.saml) } : {}),
    ...(c.totp ? { totp: { config: { totp_url: c.totp.url } } } : {}),
    ...(c.lookupSecret ? { lookup_secret: lookupSecret(c.lookupSecret.codes) } : {}),
  };
}

/** An address is an email when it has an @; otherwise the schema derived it from a phone number trait. */
const verifiedAddress = (value: string) => ({ value, via: value.includes('@') ? 'email' : 'sms', verified: true, status: 'completed' });

function createBody(spec: IdentityRecordSpec): Record<string, unknown> {
  const credentials = allCredentials(spec);
  return {
    schema_id: spec.schemaId,
    traits: spec.traits,
    state: spec.state,
    ...(spec.externalId === undefined ? {} : { external_id: spec.externalId }),
    ...(spec.metadataPublic === undefined ? {} : { metadata_public: spec.metadataPublic }),
    ...(spec.metadataAdmin === undefined ? {} : { metadata_admin: spec.metadataAdmin }),
    ...(spec.verifiedAddresses.size === 0 ? {} : { verifiable_addresses: [...spec.verifiedAddresses].sort().map(verifiedAddress) }),
    ...(Object.keys(credentials).length === 0 ? {} : { credentials }),
  };
}

/** A 409 as an error naming the identity, where the config declares it, and which of its values another one holds. */
async function conflict(ctx: IdentityContext, error: ApiError, spec: IdentityRecordSpec, action: 'create' | 'update', selfId?: string): Promise<IdmError> {
  const holders = await conflictsOf(ctx.client, spec, selfId);
  const where = spec.source ? ` (declared at ${spec.source})` : '';
  const what = holders.length > 0 ? `already used by another identity: ${holders.join('; ')}` : `one of its unique values is already used by another identity: ${uniqueCandidates(spec).join(', ')}`;
  return new IdmError(
    `Cannot ${action} the identity "${spec.key}"${where}: ${error.message}. ${what[0]!.toUpperCase()}${what.slice(1)}`,
    'IDENTITY_CONFLICT',
    'that identity is not this entry of the config (it does not have its match value; maybe it was made outside idm): change the value in the config, or change or delete the other identity in Kratos, then re-run',
  );
}

async function orConflict<T>(ctx: IdentityContext, spec: IdentityRecordSpec, action: 'create' | 'update', selfId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) throw await conflict(ctx, error, spec, action, selfId);
    throw error;
  }
}

async function create(ctx: IdentityContext, spec: IdentityRecordSpec): Promise<void> {
  let found: string | undefined;
  const result = await orConflict(ctx, spec, 'create', undefined, () =>
    ctx.client.call('POST', identitiesPath, {
      body: createBody(spec),
      secrets: secretsOf(spec),
      alreadyDone: async () => (found = await findCreated(ctx.client, spec, ctx.pageSize)) !== undefined,
    }),
  );
  const id = result.recovered ? found : isRecord(result.body) && typeof result.body.id === 'string' ? result.body.id : undefined;
  if (id === undefined) throw unexpected('POST', identitiesPath, result.status, 'the created identity has no id');
  ctx.ids.set(spec.key, id);
}

/** The links to add and to remove for one type, from the config's list and the links read. */
function linkChanges(spec: IdentityRecordSpec, live: LiveIdentity | undefined, type: LinkType): { add: ExternalLink[]; remove: string[] } {
  const wanted = spec.credentials[type];
  if (wanted === undefined) {
    throw new IdmError(`The plan changes the ${type} links of the identity "${spec.key}", which the config does not manage`, 'INVALID_CHANGE', 'run idm plan again with this config');
  }
  const value = live?.state[`credentials.${type}`];
  const have = new Set(Array.isArray(value) ? value : []);
  const want = new Set(wanted.map(identifier));
  return { add: wanted.filter((l) => !have.has(identifier(l))), remove: [...have].filter((i) => !want.has(i)).sort() };
}

function secretOf<T>(value: T | undefined, spec: IdentityRecordSpec, what: string): T {
  if (value !== undefined) return value;
  throw new IdmError(
    `The plan sets the ${what} of the identity "${spec.key}", but the config given to this apply declares none`,
    'SECRET_MISSING',
    'apply with the config the plan was made from (secrets never travel in a plan file)',
  );
}

/** The identifiers of `type` that Kratos holds for the identity now. */
async function identifiersNow(ctx: IdentityContext, id: string, types: readonly LinkType[]): Promise<Set<string>> {
  const body = await ctx.client.object('GET', `${identitiesPath}/${segment(id)}`, { query: { include_credential: types } });
  const credentials = isRecord(body.credentials) ? body.credentials : {};
  const out = new Set<string>();
  for (const type of types) {
    const c = credentials[type];
    if (isRecord(c) && Array.isArray(c.identifiers)) for (const i of c.identifiers) if (typeof i === 'string') out.add(i);
  }
  return out;
}

async function put(ctx: IdentityContext, id: string, spec: IdentityRecordSpec, change: ReturnType<typeof touched>, add: Record<LinkType, ExternalLink[]>): Promise<void> {
  const needsKept = spec.metadataPublic === undefined || spec.metadataAdmin === undefined || (spec.externalId === undefined && !change.fields.has('external_id'));
  const kept = needsKept ? await ctx.kept(id) : undefined;
  // Managed: the config's value. Not managed: the value read, since a PUT clears what it leaves out.
  const metadata = (declared: Json | undefined, read: Json | undefined): Json => (declared !== undefined ? declared : (read ?? null));
  const externalId = spec.externalId ?? (change.fields.has('external_id') ? undefined : kept?.externalId);
  const credentials: Record<string, unknown> = {};
  if (change.credentials.has('password')) credentials.password = { config: { hashed_password: secretOf(spec.credentials.password, spec, 'password').hash } };
  if (change.credentials.has('totp')) credentials.totp = { config: { totp_url: secretOf(spec.credentials.totp, spec, 'TOTP secret').url } };
  if (change.credentials.has('lookup_secret')) credentials.lookup_secret = lookupSecret(secretOf(spec.credentials.lookupSecret, spec, 'recovery codes').codes);
  for (const type of ['oidc', 'saml'] as const) if (add[type].length > 0) credentials[type] = providers(add[type]);
  const added = [...add.oidc, ...add.saml].map(identifier);
  const path = `${identitiesPath}/${segment(id)}`;
  await orConflict(ctx, spec, 'update', id, () =>
    ctx.client.call('PUT', path, {
      body: {
        schema_id: spec.schemaId,
        traits: spec.traits,
        state: spec.state,
        metadata_public: metadata(spec.metadataPublic, kept?.metadataPublic),
        metadata_admin: metadata(spec.metadataAdmin, kept?.metadataAdmin),
        ...(externalId === undefined ? {} : { external_id: externalId }),
        credentials,
      },
      secrets: secretsOf(spec),
      // Sent twice, a PUT that adds links would add them again (or answer 409): after a lost answer, look first.
      ...(added.length > 0
        ? {
            idempotent: false,
            alreadyDone: async () => {
              const now = await identifiersNow(ctx, id, (['oidc', 'saml'] as const).filter((t) => add[t].length > 0));
              return added.every((i) => now.has(i));
            },
          }
        : {}),
    }),
  );
}

/**
 * Deletes the identity's credential of `type` (for a link type, the one link `identifier` names). A DELETE sent again
 * after a lost answer and answered 404 is done (KratosClient).
 */
async function deleteCredential(ctx: IdentityContext, id: string, type: 'lookup_secret' | LinkType, identifier?: string): Promise<void> {
  await ctx.client.call('DELETE', `${identitiesPath}/${segment(id)}/credentials/${type}`, identifier === undefined ? {} : { query: { identifier } });
}

/** JSON Patch `add` replaces a member that exists and creates one that does not, so it is right either way. */
function patchOps(spec: IdentityRecordSpec, changed: ReadonlySet<Field>): { op: 'add'; path: string; value: Json }[] {
  const value: Record<Field, Json | undefined> = {
    schema_id: spec.schemaId,
    state: spec.state,
    // Kratos clears the external id when it is set to "".
    external_id: spec.externalId ?? '',
    traits: spec.traits,
    metadata_public: spec.metadataPublic,
    metadata_admin: spec.metadataAdmin,
  };
  return fields.filter((f) => changed.has(f) && value[f] !== undefined).map((f) => ({ op: 'add' as const, path: `/${f}`, value: value[f]! }));
}

async function update(ctx: IdentityContext, change: IdentityChange, spec: IdentityRecordSpec): Promise<void> {
  const id = ctx.ids.resolve(change.key);
  const what = touched(change);
  const live = ctx.live.get(id);
  const links = {
    oidc: what.credentials.has('oidc') ? linkChanges(spec, live, 'oidc') : { add: [], remove: [] },
    saml: what.credentials.has('saml') ? linkChanges(spec, live, 'saml') : { add: [], remove: [] },
  };
  const needsPut = ['password', 'totp', 'lookup_secret'].some((c) => what.credentials.has(c as Credential)) || links.oidc.add.length > 0 || links.saml.add.length > 0;
  // Kratos appends imported recovery codes to those the identity has: a new set replaces the old only once it is gone.
  if (what.credentials.has('lookup_secret') && live?.state['credentials.lookup_secret'] !== undefined) await deleteCredential(ctx, id, 'lookup_secret');
  if (needsPut) {
    await put(ctx, id, spec, what, { oidc: links.oidc.add, saml: links.saml.add });
  } else {
    const ops = patchOps(spec, what.fields);
    if (ops.length > 0) await orConflict(ctx, spec, 'update', id, () => ctx.client.call('PATCH', `${identitiesPath}/${segment(id)}`, { body: ops }));
  }
  for (const type of ['oidc', 'saml'] as const) {
    for (const identifier of links[type].remove) await deleteCredential(ctx, id, type, identifier);
  }
}

export async function writeIdentity(ctx: IdentityContext, change: IdentityChange, spec: IdentityRecordSpec | undefined): Promise<void> {
  if (change.action === 'delete') {
    const id = ctx.ids.resolve(change.key);
    await ctx.client.call('DELETE', `${identitiesPath}/${segment(id)}`);
    ctx.ids.forget(change.key);
    return;
  }
  if (spec === undefined) {
    throw new IdmError(
      `Cannot ${change.action} the identity "${change.key}": the config given to this apply does not declare it`,
      'IDENTITY_SPEC_MISSING',
      'apply with the config the plan was made from: its secrets (password hashes, TOTP URLs, recovery codes) never travel in a plan file',
    );
  }
  if (change.action === 'create') await create(ctx, spec);
  else await update(ctx, change, spec);
}
