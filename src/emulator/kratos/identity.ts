/**
 * An identity as the emulator stores it, and the three JSON views Kratos sends of it: without credentials (list),
 * with credentials but no `config` (create, update, patch), and with `config` only for the types asked for
 * (`include_credential`). Field order and omissions follow Kratos' Go struct tags, so that an answer reads like the
 * real one: `metadata_admin`, `external_id`, `region` and empty address lists are left out, `organization_id` and
 * `metadata_public` are always there.
 */
import { randomUUID } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const credentialTypes = [
  'password',
  'oidc',
  'totp',
  'lookup_secret',
  'webauthn',
  'code',
  'passkey',
  'profile',
  'saml',
  'deviceauthn',
  'identifier_first',
  'link_recovery',
  'code_recovery',
] as const;

export const isCredentialType = (value: string): boolean => (credentialTypes as readonly string[]).includes(value);

export const states = ['active', 'inactive'] as const;
export const regions = ['eu-central', 'asia-northeast', 'us-east', 'us-west', 'eu', 'asia', 'us', 'global'] as const;

export interface Credential {
  /** Normally the key it is stored under; a JSON patch can make them differ, which Kratos then refuses. */
  type: string;
  identifiers: string[];
  config: JsonObject;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface VerifiableAddress {
  id: string;
  value: string;
  verified: boolean;
  via: string;
  status: string;
  verified_at?: string;
  created_at: string;
  updated_at: string;
}

export interface RecoveryAddress {
  id: string;
  value: string;
  via: string;
  created_at: string;
  updated_at: string;
}

export interface Identity {
  id: string;
  schema_id: string;
  state: string;
  state_changed_at?: string;
  traits: Json;
  credentials: Record<string, Credential>;
  verifiable_addresses: VerifiableAddress[];
  recovery_addresses: RecoveryAddress[];
  metadata_public: Json;
  /** undefined: unset, so left out of answers as Kratos does. */
  metadata_admin?: Json;
  /** '' is unset. */
  external_id: string;
  organization_id: string | null;
  /** '' is unset. */
  region: string;
  created_at: string;
  updated_at: string;
}

export const now = (): string => new Date().toISOString();

export const newUuid = (): string => randomUUID();

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => uuidPattern.test(value);

/** Kratos' `schema_url`: the public URL of the schema, its id in unpadded base64url. */
const schemaUrl = (baseUrl: string, schemaId: string): string => `${baseUrl}/schemas/${Buffer.from(schemaId).toString('base64url')}`;

/**
 * Which credentials an answer carries: none, all without `config`, all with `config` for the listed types, or all
 * with `config` as stored (the document a JSON patch is applied to).
 */
export type CredentialsView =
  | { readonly kind: 'none' }
  | { readonly kind: 'no-config' }
  | { readonly kind: 'declassified'; readonly include: readonly string[] }
  | { readonly kind: 'stored' };

export function identityJson(identity: Identity, baseUrl: string, view: CredentialsView): JsonObject {
  const out: JsonObject = { id: identity.id };
  if (identity.external_id !== '') out.external_id = identity.external_id;
  const credentials = view.kind === 'none' ? {} : credentialsJson(identity.credentials, view);
  if (Object.keys(credentials).length > 0) out.credentials = credentials;
  out.schema_id = identity.schema_id;
  out.schema_url = schemaUrl(baseUrl, identity.schema_id);
  out.state = identity.state;
  if (identity.state_changed_at !== undefined) out.state_changed_at = identity.state_changed_at;
  out.traits = identity.traits;
  if (identity.verifiable_addresses.length > 0) out.verifiable_addresses = identity.verifiable_addresses.map(verifiableJson);
  if (identity.recovery_addresses.length > 0) out.recovery_addresses = identity.recovery_addresses.map((a) => ({ ...a }));
  out.metadata_public = identity.metadata_public;
  if (identity.metadata_admin !== undefined && identity.metadata_admin !== null) out.metadata_admin = identity.metadata_admin;
  out.created_at = identity.created_at;
  out.updated_at = identity.updated_at;
  out.organization_id = identity.organization_id;
  if (identity.region !== '') out.region = identity.region;
  return out;
}

function verifiableJson(a: VerifiableAddress): JsonObject {
  return {
    id: a.id,
    value: a.value,
    verified: a.verified,
    via: a.via,
    status: a.status,
    ...(a.verified_at === undefined ? {} : { verified_at: a.verified_at }),
    created_at: a.created_at,
    updated_at: a.updated_at,
  };
}

function credentialsJson(credentials: Record<string, Credential>, view: CredentialsView): JsonObject {
  const out: JsonObject = {};
  // Go writes map keys sorted.
  for (const [key, credential] of Object.entries(credentials).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const entry: JsonObject = { type: credential.type, identifiers: [...credential.identifiers] };
    if (view.kind === 'stored') entry.config = structuredClone(credential.config);
    if (view.kind === 'declassified' && view.include.includes(key)) entry.config = declassified(key, credential.config);
    entry.version = credential.version;
    entry.created_at = credential.created_at;
    entry.updated_at = credential.updated_at;
    out[key] = entry;
  }
  return out;
}

/**
 * OIDC and SAML configs are rebuilt field by field: OIDC tokens come out decrypted (the emulator stores them in
 * clear, so they come out as stored), SAML carries none, and only subject, provider, a set organization and a true
 * `use_auto_link` survive.
 */
function declassified(type: string, config: JsonObject): JsonObject {
  if (type !== 'oidc' && type !== 'saml') return structuredClone(config);
  const providers = Array.isArray(config.providers) ? config.providers : [];
  return {
    providers: providers.map((raw) => {
      const p = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as JsonObject;
      const out: JsonObject = {};
      if (type === 'oidc') {
        for (const token of ['initial_id_token', 'initial_access_token', 'initial_refresh_token']) out[token] = typeof p[token] === 'string' ? p[token] : '';
      }
      out.subject = typeof p.subject === 'string' ? p.subject : '';
      out.provider = typeof p.provider === 'string' ? p.provider : '';
      if (typeof p.organization === 'string' && p.organization !== '') out.organization = p.organization;
      if (p.use_auto_link === true) out.use_auto_link = true;
      return out;
    }),
  };
}
