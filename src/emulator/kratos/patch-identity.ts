/**
 * `PATCH /admin/identities/{id}`: an RFC 6902 patch applied to the identity as Kratos serialises it with
 * credentials and their configs (identity/handler.go patch). The identity is looked up first (404 before any body
 * error); `/region` operations are taken out and checked on their own; the rest go through jsonx.ApplyJSONPatch with
 * Kratos' deny list; the result must keep credential types equal to their keys and a valid state, and then passes
 * the same validation as an update. Any failure leaves the stored identity untouched.
 */
import { applyJsonPatch, PatchError, type PatchOperation } from './json-patch.js';
import { patchedIdentity, storedCredential } from './bodies.js';
import { invalidRegion, isRegion, isState, traitsOf } from './create-body.js';
import { badRequest, badRequestMessage, KratosFailure } from './errors.js';
import { decodeStruct, type Decoded } from './go-decode.js';
import { GoJsonError, parseGoJson } from './go-json.js';
import { identityJson, now, type Credential, type Identity, type Json, type JsonObject } from './identity.js';
import { checkCredentialTypes } from './lifecycle.js';
import { findIdentity } from './read-identities.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';
import { save } from './write-identities.js';

/** The paths Kratos refuses to patch, as globs over `/`-separated paths. */
export const deniedPaths = ['/id', '/stateChangedAt', '/credentials', '/credentials/oidc', '/credentials/oidc/**', '/credentials/saml', '/credentials/saml/**'];

const unmarshalFailure = (message: string) => badRequestMessage(message, 'failed to unmarshal JSON patch');
const applyFailure = (message: string) => badRequestMessage(message, 'failed to apply JSON patch');

const goKind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;

/** Reads the body as Go reads it into `[]patchOp`, with Go's messages for what does not fit. */
function readOperations(body: string): PatchOperation[] {
  let parsed: unknown;
  try {
    parsed = parseGoJson(body, 'unmarshal');
  } catch (error) {
    if (error instanceof GoJsonError) throw unmarshalFailure(error.message);
    throw error;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) throw unmarshalFailure(`json: cannot unmarshal ${goKind(parsed)} into Go value of type []identity.patchOp`);
  return parsed.map((item) => {
    if (item === null) return { op: '', path: '' };
    if (typeof item !== 'object' || Array.isArray(item)) throw unmarshalFailure(`json: cannot unmarshal ${goKind(item)} into Go value of type identity.patchOp`);
    for (const field of ['op', 'path', 'from']) {
      const value = (item as Record<string, unknown>)[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw unmarshalFailure(`json: cannot unmarshal ${goKind(value)} into Go struct field patchOp.${field} of type string`);
      }
    }
    return item as PatchOperation;
  });
}

/** `/region` accepts only `add` and `replace` of a known region; Kratos applies it apart from the JSON patch. */
function takeRegionOperations(operations: readonly PatchOperation[], region: string): { rest: PatchOperation[]; region: string } {
  const rest: PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== '/region') {
      rest.push(operation);
      continue;
    }
    if (operation.op !== 'add' && operation.op !== 'replace') throw badRequest(`operation ${JSON.stringify(operation.op ?? '')} is not supported on /region`);
    if (typeof operation.value !== 'string') throw badRequest('failed to unmarshal');
    if (!isRegion(operation.value)) throw invalidRegion();
    region = operation.value;
  }
  return { rest, region };
}

/** The patched document read back into an identity, leniently as Go's json.Unmarshal does. */
function identityFrom(document: Json, current: Identity): Identity {
  let decoded: Decoded;
  const credentials: Record<string, Credential> = {};
  try {
    decoded = decodeStruct(document, patchedIdentity, false);
    const raw = decoded.credentials ?? {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequestMessage(`json: cannot unmarshal ${goKind(raw)} into Go struct field WithCredentialsAndAdminMetadataInJSON.credentials of type map[identity.CredentialsType]identity.Credentials`);
    }
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const c = decodeStruct(value, storedCredential, false);
      const config = c.config ?? {};
      if (typeof config !== 'object' || config === null || Array.isArray(config)) {
        throw badRequestMessage(`json: cannot unmarshal ${goKind(config)} into Go struct field Credentials.credentials.config of type identity.CredentialsConfig`);
      }
      const previous = current.credentials[key];
      credentials[key] = {
        type: c.type as string,
        identifiers: [...((c.identifiers as string[] | undefined) ?? [])],
        config: config as JsonObject,
        version: c.version as number,
        created_at: (c.created_at as string | undefined) ?? previous?.created_at ?? now(),
        updated_at: (c.updated_at as string | undefined) ?? previous?.updated_at ?? now(),
      };
    }
  } catch (error) {
    if (error instanceof KratosFailure) throw applyFailure(error.error.message);
    throw error;
  }
  return {
    id: current.id,
    schema_id: decoded.schema_id as string,
    state: decoded.state as string,
    ...(decoded.state_changed_at === undefined ? {} : { state_changed_at: decoded.state_changed_at as string }),
    traits: traitsOf(decoded.traits),
    credentials,
    verifiable_addresses: ((decoded.verifiable_addresses ?? []) as Decoded[]).map((a) => ({
      id: (a.id as string | undefined) ?? '',
      value: a.value as string,
      verified: a.verified as boolean,
      via: a.via as string,
      status: a.status as string,
      ...(a.verified_at === undefined ? {} : { verified_at: a.verified_at as string }),
      created_at: (a.created_at as string | undefined) ?? '',
      updated_at: (a.updated_at as string | undefined) ?? '',
    })),
    recovery_addresses: ((decoded.recovery_addresses ?? []) as Decoded[]).map((a) => ({
      id: (a.id as string | undefined) ?? '',
      value: a.value as string,
      via: a.via as string,
      created_at: (a.created_at as string | undefined) ?? '',
      updated_at: (a.updated_at as string | undefined) ?? '',
    })),
    metadata_public: (decoded.metadata_public as Json | undefined) ?? null,
    ...(decoded.metadata_admin === undefined || decoded.metadata_admin === null ? {} : { metadata_admin: decoded.metadata_admin as Json }),
    external_id: decoded.external_id as string,
    organization_id: (decoded.organization_id as string | undefined) ?? null,
    region: current.region,
    created_at: current.created_at,
    updated_at: current.updated_at,
  };
}

function patchIdentity(request: KratosRequest, context: KratosContext) {
  const current = findIdentity(context, request.params.id!);
  const { rest, region } = takeRegionOperations(readOperations(request.body), current.region);
  let patched: Json;
  try {
    patched = applyJsonPatch(identityJson(current, context.url, { kind: 'stored' }), rest, deniedPaths);
  } catch (error) {
    if (error instanceof PatchError) throw applyFailure(error.message);
    throw error;
  }
  const draft = identityFrom(patched, current);
  checkCredentialTypes(draft);
  draft.region = region;
  const at = now();
  if (draft.state !== current.state) {
    if (!isState(draft.state)) throw badRequest(`The supplied state ('${draft.state}') was not valid. Valid states are ('active', 'inactive').`);
    draft.state_changed_at = at;
  }
  return save(draft, current, context, at);
}

export const patchRoutes: readonly KratosRoute[] = [{ method: 'PATCH', path: '/admin/identities/{id}', secured: true, handle: patchIdentity }];
