/**
 * `DELETE /admin/identities/{id}/credentials/{type}` (identity/handler.go deleteIdentityCredentials): TOTP and
 * lookup codes go whole; WebAuthn keeps only passwordless keys; password, OIDC and SAML need another first factor
 * left, and OIDC and SAML an `identifier` (`provider:subject`); other types cannot be deleted this way.
 */
import { badRequest, notFound } from './errors.js';
import { now, type Identity, type Json, type JsonObject } from './identity.js';
import { findIdentity } from './read-identities.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';
import { save } from './write-identities.js';

const objects = (value: Json | undefined): JsonObject[] =>
  Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];

/**
 * The first factors a user could still sign in with, per Kratos' strategies with their default configuration: a
 * password with a hash (the migration hook is off), each OIDC provider without an organization and each SAML
 * provider (the enterprise SAML strategy counts them; open-source Kratos has no SAML), each passkey, and each
 * passwordless WebAuthn key; all only where the credential has identifiers. Code login is off by default.
 */
function countFirstFactors(identity: Identity): number {
  let count = 0;
  for (const [type, credential] of Object.entries(identity.credentials)) {
    const identified = credential.identifiers.join('') !== '';
    if (type === 'password' && identified && typeof credential.config.hashed_password === 'string' && credential.config.hashed_password !== '') count++;
    if (type === 'oidc' || type === 'saml') {
      for (const identifier of credential.identifiers) {
        const colon = identifier.indexOf(':');
        if (colon < 0) continue;
        const [provider, subject] = [identifier.slice(0, colon), identifier.slice(colon + 1)];
        count += objects(credential.config.providers).filter(
          (p) => p.provider === provider && p.subject === subject && subject !== '' && provider !== '' && (type === 'saml' || !p.organization),
        ).length;
      }
    }
    if (type === 'passkey' && identified) count += objects(credential.config.credentials).length;
    if (type === 'webauthn' && identified) count += objects(credential.config.credentials).filter((c) => c.is_passwordless === true).length;
  }
  return count;
}

function deleteCredential(request: KratosRequest, context: KratosContext) {
  const type = request.params.type!;
  const identifier = request.query.get('identifier') ?? '';
  if (type === 'deviceauthn') {
    if (identifier === '') throw badRequest('You must provide an identifier to delete this credential.');
    findIdentity(context, request.params.id!);
    // Device keys cannot be imported through the admin API, so the emulator's identities never hold one.
    throw notFound(`The identifier \`${identifier}\` was not found among deviceauthn credentials.`);
  }
  const current = findIdentity(context, request.params.id!);
  const credential = current.credentials[type];
  if (!credential) throw notFound(`You tried to remove a ${type} but this user have no ${type} set up.`);
  const draft: Identity = structuredClone(current);
  const at = now();
  switch (type) {
    case 'lookup_secret':
    case 'totp':
      delete draft.credentials[type];
      break;
    case 'webauthn': {
      const kept = objects(credential.config.credentials).filter((c) => c.is_passwordless === true);
      if (kept.length === 0) delete draft.credentials.webauthn;
      else draft.credentials.webauthn = { ...draft.credentials.webauthn!, config: { ...credential.config, credentials: kept }, updated_at: at };
      break;
    }
    case 'password':
    case 'oidc':
    case 'saml':
      if (countFirstFactors(current) < 2) throw badRequest('You cannot remove the last first factor credential.');
      if (type === 'password') draft.credentials.password = { ...draft.credentials.password!, config: {}, updated_at: at };
      else removeProvider(draft, type, identifier, at);
      break;
    default:
      throw badRequest(`Credentials type ${type} cannot be deleted.`);
  }
  save(draft, current, context, at);
  return { status: 204, body: undefined };
}

function removeProvider(draft: Identity, type: 'oidc' | 'saml', identifier: string, at: string): void {
  if (identifier === '') throw badRequest('You must provide an identifier to delete this credential.');
  const credential = draft.credentials[type]!;
  const providers = objects(credential.config.providers);
  const kept = providers.filter((p) => `${String(p.provider)}:${String(p.subject)}` !== identifier);
  if (kept.length === providers.length) throw notFound(`The identifier \`${identifier}\` was not found among OIDC credentials.`);
  draft.credentials[type] = {
    ...credential,
    identifiers: kept.map((p) => `${String(p.provider)}:${String(p.subject)}`),
    config: { providers: kept },
    updated_at: at,
  };
}

export const credentialRoutes: readonly KratosRoute[] = [
  { method: 'DELETE', path: '/admin/identities/{id}/credentials/{type}', secured: true, handle: deleteCredential },
];
