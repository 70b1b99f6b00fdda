/**
 * Turning a create body into an identity to validate and save (identity/handler.go identityFromCreateIdentityBody),
 * for `POST /admin/identities` and each entry of the batch `PATCH`. Errors raised here (bad state, region, password
 * hash, passkey) fail the whole request; schema and conflict errors come later.
 */
import { badRequest } from './errors.js';
import type { Decoded } from './go-decode.js';
import { importCredentials } from './credential-import.js';
import { newUuid, regions, states, type Identity, type Json } from './identity.js';

export const invalidState = () => badRequest('identity state is not valid');
export const invalidRegion = () => badRequest('the provided region is not a valid Ory region');

export const isState = (value: string): boolean => (states as readonly string[]).includes(value);
export const isRegion = (value: string): boolean => (regions as readonly string[]).includes(value);

/** `defaultSchemaId` stands in for an empty `schema_id`, as Kratos' identity manager does. */
export function identityFromCreateBody(body: Decoded, at: string, defaultSchemaId: string): Identity {
  const state = (body.state as string) || 'active';
  if (!isState(state)) throw invalidState();
  const region = body.region as string;
  if (region !== '' && !isRegion(region)) throw invalidRegion();
  const identity: Identity = {
    id: newUuid(),
    schema_id: (body.schema_id as string) || defaultSchemaId,
    state,
    state_changed_at: at,
    traits: traitsOf(body.traits),
    credentials: {},
    verifiable_addresses: ((body.verifiable_addresses ?? []) as Decoded[]).map((a) => ({
      id: '',
      value: (a.value as string).toLowerCase(),
      verified: a.verified as boolean,
      via: a.via as string,
      status: a.status as string,
      ...(a.verified_at ? { verified_at: a.verified_at as string } : {}),
      created_at: '',
      updated_at: '',
    })),
    recovery_addresses: ((body.recovery_addresses ?? []) as Decoded[]).map((a) => ({
      id: '',
      value: (a.value as string).toLowerCase(),
      via: a.via as string,
      created_at: '',
      updated_at: '',
    })),
    metadata_public: (body.metadata_public as Json | undefined) ?? null,
    ...(body.metadata_admin === undefined ? {} : { metadata_admin: body.metadata_admin as Json }),
    external_id: body.external_id as string,
    organization_id: (body.organization_id as string | undefined) ?? null,
    region,
    created_at: at,
    updated_at: at,
  };
  importCredentials(identity, body.credentials as Decoded | undefined, at);
  return identity;
}

/** Traits left out are `{}` to Kratos; an explicit `null` stays null and then fails a schema that wants an object. */
export const traitsOf = (traits: unknown): Json => (traits === undefined ? {} : (traits as Json));
