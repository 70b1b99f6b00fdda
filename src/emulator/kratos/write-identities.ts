/**
 * Creating, replacing and deleting one identity: `POST /admin/identities` (strictly decoded, 201 with `Location`),
 * `PUT /admin/identities/{id}` (full replace of traits, metadata and external id; schema and state kept when empty;
 * credentials merged per type) and `DELETE /admin/identities/{id}` (204).
 */
import { badRequest, badRequestMessage, createConflict, KratosFailure, uniqueViolation, identityNotFound } from './errors.js';
import { createIdentityBody, updateIdentityBody } from './bodies.js';
import { identityFromCreateBody, invalidRegion, invalidState, isRegion, isState, traitsOf } from './create-body.js';
import { importCredentials } from './credential-import.js';
import { decodeStruct, type Decoded } from './go-decode.js';
import { GoJsonError, parseGoJson } from './go-json.js';
import { identityJson, isUuid, now, type Identity, type Json } from './identity.js';
import { prepareForSave } from './lifecycle.js';
import { findIdentity } from './read-identities.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';

const noConfig = { kind: 'no-config' } as const;

function createIdentity(request: KratosRequest, context: KratosContext) {
  let parsed: unknown;
  try {
    parsed = parseGoJson(request.body, 'decoder');
  } catch (error) {
    if (error instanceof GoJsonError) throw badRequestMessage(error.message);
    throw error;
  }
  const at = now();
  const identity = identityFromCreateBody(decodeStruct(parsed, createIdentityBody, true), at, context.schemas.defaultId);
  prepareForSave(identity, context.schemas, at);
  if (context.store.conflicts(identity)) throw createConflict();
  context.store.put(identity);
  context.changed();
  return {
    status: 201,
    body: identityJson(identity, context.url, noConfig),
    headers: { Location: `${context.url}/admin/identities/${identity.id}` },
  };
}

/** decoderx: the body is read (and refused) before the identity is looked up. */
function decodeUpdateBody(request: KratosRequest): Decoded {
  if (request.body === '') throw badRequest('Unable to decode HTTP Request Body because its HTTP Header "Content-Length" is zero.');
  const type = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw badRequest(`HTTP PUT Request used unknown HTTP Header "Content-Type: ${request.contentType ?? ''}", only [application/json] are supported.`);
  }
  try {
    return decodeStruct(parseGoJson(request.body, 'decoder'), updateIdentityBody, false);
  } catch (error) {
    if (error instanceof GoJsonError) throw badRequest(`Unable to decode JSON payload: ${error.message}`);
    if (error instanceof KratosFailure) throw badRequest(`Unable to decode JSON payload: ${error.error.message}`);
    throw error;
  }
}

function updateIdentity(request: KratosRequest, context: KratosContext) {
  const body = decodeUpdateBody(request);
  const current = findIdentity(context, request.params.id!);
  const at = now();
  const draft: Identity = structuredClone(current);
  if (body.schema_id) draft.schema_id = body.schema_id as string;
  const state = body.state as string;
  if (state !== '' && state !== draft.state) {
    if (!isState(state)) throw invalidState();
    draft.state = state;
    draft.state_changed_at = at;
  }
  draft.traits = traitsOf(body.traits);
  draft.metadata_public = (body.metadata_public as Json | undefined) ?? null;
  if (body.metadata_admin === undefined) delete draft.metadata_admin;
  else draft.metadata_admin = body.metadata_admin as Json;
  draft.external_id = body.external_id as string;
  const region = body.region as string;
  if (region !== '') {
    if (!isRegion(region)) throw invalidRegion();
    draft.region = region;
  }
  importCredentials(draft, body.credentials as Decoded | undefined, at);
  return save(draft, current, context, at);
}

/** Validates and stores a changed identity, as Kratos' manager.Update does for PUT, PATCH and credential deletes. */
export function save(draft: Identity, current: Identity, context: KratosContext, at: string) {
  prepareForSave(draft, context.schemas, at, current);
  if (context.store.conflicts(draft)) throw new KratosFailure(uniqueViolation());
  context.store.put(draft);
  context.changed();
  return { status: 200, body: identityJson(draft, context.url, noConfig) };
}

export const writeRoutes: readonly KratosRoute[] = [
  { method: 'POST', path: '/admin/identities', secured: true, handle: createIdentity },
  { method: 'PUT', path: '/admin/identities/{id}', secured: true, handle: updateIdentity },
  {
    method: 'DELETE',
    path: '/admin/identities/{id}',
    secured: true,
    handle: ({ params }, context) => {
      if (!isUuid(params.id!) || !context.store.delete(params.id!)) throw identityNotFound();
      context.changed();
      return { status: 204, body: undefined };
    },
  },
];
