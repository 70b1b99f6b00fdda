/**
 * Importing credentials on create and on update (identity/handler_import.go), with the merge rules Kratos documents
 * for `PUT`: a password is replaced, OIDC and SAML providers are appended (no de-duplication), TOTP is replaced,
 * lookup codes are appended, WebAuthn and passkey credentials are merged by credential id. Identifiers of password,
 * webauthn and code credentials come from the schema afterwards (see lifecycle.ts), not from here.
 */
import type { Decoded } from './go-decode.js';
import { badRequest } from './errors.js';
import type { Credential, Identity, Json, JsonObject } from './identity.js';
import { checkImportedHash, hashPlaintext } from './password-hash.js';

type Importer = (identity: Identity, body: Decoded, at: string) => void;

/** In the order Kratos applies them; the first failure aborts the request. */
const importers: readonly (readonly [string, Importer])[] = [
  ['password', importPassword],
  ['oidc', (identity, body, at) => importProviders(identity, 'oidc', body, at)],
  ['saml', (identity, body, at) => importProviders(identity, 'saml', body, at)],
  ['webauthn', (identity, body, at) => importWebAuthn(identity, 'webauthn', body, at)],
  ['passkey', (identity, body, at) => importWebAuthn(identity, 'passkey', body, at)],
  ['lookup_secret', importLookupSecret],
  ['totp', importTotp],
];

/** `credentials` of a create or update body, already decoded; undefined leaves the identity's credentials alone. */
export function importCredentials(identity: Identity, credentials: Decoded | undefined, at: string): void {
  if (!credentials) return;
  for (const [type, importer] of importers) {
    const body = credentials[type] as Decoded | undefined;
    if (body) importer(identity, body, at);
  }
}

/** Sets a credential's config, keeping its creation time when it existed. */
function setCredential(identity: Identity, type: string, identifiers: string[], config: JsonObject, at: string): void {
  const previous = identity.credentials[type];
  identity.credentials[type] = {
    type,
    identifiers,
    config,
    version: 0,
    created_at: previous?.created_at ?? at,
    updated_at: at,
  } satisfies Credential;
}

const configOf = (body: Decoded): Decoded => (body.config ?? {}) as Decoded;

function importPassword(identity: Identity, body: Decoded, at: string): void {
  const config = configOf(body);
  if (config.use_password_migration_hook === true) {
    setCredential(identity, 'password', [], { hashed_password: '', use_password_migration_hook: true }, at);
    return;
  }
  const hashed = config.password ? hashPlaintext(config.password as string) : (config.hashed_password as string);
  const problem = checkImportedHash(hashed);
  if (problem) throw problem;
  setCredential(identity, 'password', [], { hashed_password: hashed }, at);
}

function importProviders(identity: Identity, type: 'oidc' | 'saml', body: Decoded, at: string): void {
  const given = (configOf(body).providers ?? []) as Decoded[];
  const existing = identity.credentials[type];
  const identifiers = existing ? [...existing.identifiers] : [];
  const providers: Json[] = existing && Array.isArray(existing.config.providers) ? structuredClone(existing.config.providers) : [];
  for (const p of given) {
    identifiers.push(`${p.provider as string}:${p.subject as string}`);
    const provider: JsonObject = {
      subject: p.subject as string,
      provider: p.provider as string,
      initial_id_token: '',
      initial_access_token: '',
      initial_refresh_token: '',
    };
    if (typeof p.organization === 'string') provider.organization = p.organization;
    if (p.use_auto_link === true) provider.use_auto_link = true;
    providers.push(provider);
  }
  setCredential(identity, type, identifiers, { providers }, at);
}

const base64 = (value: unknown): string | null => (Buffer.isBuffer(value) ? value.toString('base64') : null);

/** A WebAuthn credential as Kratos stores it (CredentialWebAuthn): byte fields in base64, Go's zero values filled in. */
function storedWebAuthnCredential(c: Decoded): JsonObject {
  const out: JsonObject = {
    id: base64(c.id),
    public_key: base64(c.public_key),
    attestation_type: c.attestation_type as string,
  };
  const authenticator = c.authenticator as Decoded | undefined;
  if (authenticator) out.authenticator = { aaguid: base64(authenticator.aaguid), sign_count: authenticator.sign_count as number, clone_warning: authenticator.clone_warning as boolean };
  out.display_name = c.display_name as string;
  out.added_at = (c.added_at as string | undefined) ?? '0001-01-01T00:00:00Z';
  out.is_passwordless = c.is_passwordless as boolean;
  if (c.flags) out.flags = { ...(c.flags as Record<string, boolean>) };
  if (Array.isArray(c.transport) && c.transport.length > 0) out.transport = [...(c.transport as string[])];
  const attestation = c.attestation as Decoded | undefined;
  if (attestation) {
    out.attestation = {
      client_dataJSON: base64(attestation.client_dataJSON),
      client_data_hash: base64(attestation.client_data_hash),
      authenticator_data: base64(attestation.authenticator_data),
      public_key_algorithm: attestation.public_key_algorithm as number,
      object: base64(attestation.object),
    };
  }
  return out;
}

function importWebAuthn(identity: Identity, type: 'webauthn' | 'passkey', body: Decoded, at: string): void {
  const config = configOf(body);
  const incoming = ((config.credentials ?? []) as Decoded[]).map(storedWebAuthnCredential);
  const existing = identity.credentials[type];
  let merged = incoming;
  let previousHandle: string | null = null;
  let identifiers: string[] = [];
  if (existing) {
    const original = Array.isArray(existing.config.credentials) ? (structuredClone(existing.config.credentials) as JsonObject[]) : [];
    merged = [...original];
    for (const updated of incoming) {
      const index = original.findIndex((o) => o.id === updated.id);
      if (index >= 0) merged[index] = updated;
      else merged.push(updated);
    }
    previousHandle = typeof existing.config.user_handle === 'string' ? existing.config.user_handle : null;
    identifiers = [...existing.identifiers];
  }
  const given = Buffer.isBuffer(config.user_handle) && config.user_handle.length > 0 ? config.user_handle : undefined;
  const userHandle = given ? given.toString('base64') : previousHandle;
  if (type === 'passkey') {
    if (given && !identifiers.includes(given.toString('utf8'))) identifiers.push(given.toString('utf8'));
    if (!userHandle) {
      throw badRequest('Passkey credential import requires a non-empty user_handle. It must match the WebAuthn user handle stored on the authenticator.');
    }
    if (merged.length === 0) throw badRequest('Passkey credential import requires at least one entry in credentials.passkey.config.credentials.');
  }
  setCredential(identity, type, identifiers, { credentials: merged, user_handle: userHandle }, at);
}

function importLookupSecret(identity: Identity, body: Decoded, at: string): void {
  const existing = identity.credentials.lookup_secret;
  const codes: Json[] = existing && Array.isArray(existing.config.recovery_codes) ? structuredClone(existing.config.recovery_codes) : [];
  for (const c of (configOf(body).codes ?? []) as Decoded[]) codes.push({ code: c.code as string, used_at: (c.used_at as string | undefined) ?? null });
  setCredential(identity, 'lookup_secret', [], { recovery_codes: codes }, at);
}

function importTotp(identity: Identity, body: Decoded, at: string): void {
  setCredential(identity, 'totp', [], { totp_url: configOf(body).totp_url as string }, at);
}
