/**
 * `PATCH /admin/identities`: create up to 1000 identities in one request (identity/handler.go
 * batchPatchIdentities). Building an entry (state, region, password hash, passkey) can fail the whole request;
 * schema validation and unique conflicts fail only their entry, reported in place with `action: "error"`, and the
 * answer is 200 even when every entry failed (open-source Kratos; the spec says Ory Network may answer 4xx then).
 */
import { batchPatchBody } from './bodies.js';
import { identityFromCreateBody } from './create-body.js';
import { badRequest, badRequestMessage, kratosError, KratosFailure, uniqueViolation, type KratosError } from './errors.js';
import { decodeStruct, type Decoded } from './go-decode.js';
import { GoJsonError, parseGoJson } from './go-json.js';
import { now, type Identity } from './identity.js';
import { prepareForSave } from './lifecycle.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';

const batchLimit = 1000;
const plaintextPasswordLimit = 200;

interface EntryResult {
  action: 'create' | 'error';
  identity?: string;
  patch_id?: string;
  error?: KratosError;
}

function readBody(body: string): Decoded[] {
  let parsed: unknown;
  try {
    parsed = parseGoJson(body, 'decoder');
  } catch (error) {
    if (error instanceof GoJsonError) throw badRequestMessage(error.message);
    throw error;
  }
  return ((decodeStruct(parsed, batchPatchBody, true).identities ?? []) as (Decoded | undefined)[]).map((entry) => entry ?? {});
}

function batchCreate(request: KratosRequest, context: KratosContext) {
  const entries = readBody(request.body);
  if (entries.length > batchLimit) throw badRequest(`The maximum number of identities per request that can be created or deleted at once is ${batchLimit}.`);
  const at = now();
  const results: (EntryResult | null)[] = entries.map(() => null);
  const built: { index: number; identity: Identity }[] = [];
  let plaintext = 0;
  entries.forEach((entry, index) => {
    const create = entry.create as Decoded | undefined;
    if (!create) return;
    results[index] = { action: 'create', ...(entry.patch_id ? { patch_id: entry.patch_id as string } : {}) };
    built.push({ index, identity: identityFromCreateBody(create, at, context.schemas.defaultId) });
    const password = (create.credentials as Decoded | undefined)?.password as Decoded | undefined;
    if ((password?.config as Decoded | undefined)?.password) plaintext++;
  });
  if (plaintext > plaintextPasswordLimit) {
    throw badRequest(`The maximum number of identities per request that can be created with a plaintext password is ${plaintextPasswordLimit}.`);
  }

  const fail = (index: number, error: KratosError): void => {
    results[index] = { action: 'error', ...(results[index]?.patch_id ? { patch_id: results[index]!.patch_id } : {}), error };
  };
  const valid = built.filter(({ index, identity }) => {
    try {
      prepareForSave(identity, context.schemas, at);
      return true;
    } catch (error) {
      if (!(error instanceof KratosFailure)) throw error;
      fail(index, kratosError(400, { reason: error.error.reason ?? error.error.message }));
      return false;
    }
  });
  // Inserted in order, so that of two entries sharing an identifier the first one wins.
  for (const { index, identity } of valid) {
    if (context.store.conflicts(identity)) {
      fail(index, uniqueViolation());
      continue;
    }
    context.store.put(identity);
    results[index] = { action: 'create', identity: identity.id, ...(results[index]?.patch_id ? { patch_id: results[index]!.patch_id } : {}) };
  }
  if (valid.length > 0) context.changed();
  return { status: 200, body: { identities: results } };
}

export const batchRoutes: readonly KratosRoute[] = [{ method: 'PATCH', path: '/admin/identities', secured: true, handle: batchCreate }];
