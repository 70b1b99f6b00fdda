/**
 * What happens to an identity between a request and the database, whichever endpoint it came through (Kratos'
 * Manager.ValidateIdentity and the persister's normalisation): credential types must match their keys, traits must
 * pass the schema, the schema's marks set password/webauthn/code identifiers and re-derive the verifiable and
 * recovery addresses (keeping the verification state of addresses that stay), and addresses get their ids, status
 * and `verified_at`.
 */
import { badRequest } from './errors.js';
import { newUuid, type Identity, type JsonObject, type RecoveryAddress, type VerifiableAddress } from './identity.js';
import { normalizeIdentifier } from './normalize.js';
import type { AddressMark, SchemaRegistry, TraitMarks } from './schemas.js';

/** Checks and completes `draft` in place for saving at time `at`; `previous` is the stored version on an update. */
export function prepareForSave(draft: Identity, schemas: SchemaRegistry, at: string, previous?: Identity): void {
  checkCredentialTypes(draft);
  const marks = schemas.validate(draft.schema_id, draft.traits);
  applyCredentialMarks(draft, marks, at);
  draft.verifiable_addresses = marks.verification.map((mark) => keepOrNewVerifiable(draft.verifiable_addresses, mark));
  draft.recovery_addresses = marks.recovery.map((mark) => keepOrNewRecovery(draft.recovery_addresses, mark));
  normalizeAddresses(draft, at, previous);
  for (const type of ['totp', 'lookup_secret']) {
    const credential = draft.credentials[type];
    // TOTP and lookup codes are found at login through the identity's id; imports carry no identifier, so it is used.
    if (credential && credential.identifiers.length === 0) credential.identifiers = [draft.id];
  }
  draft.updated_at = at;
}

/** Each credential's `type` must be the key it is stored under (Kratos' ValidateCredentialsIntegrity). */
export function checkCredentialTypes(identity: Identity): void {
  for (const [key, credential] of Object.entries(identity.credentials)) {
    if (credential.type !== key) throw badRequest(`credentials.${key}.type must equal "${key}", got "${credential.type}"`);
  }
}

function credentialOf(draft: Identity, type: string, version: number, at: string) {
  return (draft.credentials[type] ??= { type, identifiers: [], config: {}, version, created_at: at, updated_at: at });
}

function setIdentifiers(draft: Identity, type: string, identifiers: readonly string[], at: string, version = 0): void {
  const credential = credentialOf(draft, type, version, at);
  if (credential.identifiers.join('\u0000') !== identifiers.join('\u0000')) {
    credential.identifiers = [...identifiers];
    credential.updated_at = at;
  }
}

function applyCredentialMarks(draft: Identity, marks: TraitMarks, at: string): void {
  if (marks.password.length > 0) setIdentifiers(draft, 'password', marks.password, at);
  if (marks.webauthn.length > 0) setIdentifiers(draft, 'webauthn', marks.webauthn, at);
  if (marks.code.length > 0) {
    const addresses = [...marks.code].sort((a, b) => (a.value === b.value ? a.via.localeCompare(b.via) : a.value < b.value ? -1 : 1));
    setIdentifiers(draft, 'code', [...new Set(addresses.map((a) => a.value))], at, 1);
    const config: JsonObject = { addresses: addresses.map((a) => ({ channel: a.via, address: a.value })) };
    draft.credentials.code!.config = config;
  }
}

const sameAddress = (a: { value: string; via: string }, mark: AddressMark): boolean => a.via === mark.via && normalizeIdentifier(a.value) === mark.value;

function keepOrNewVerifiable(current: readonly VerifiableAddress[], mark: AddressMark): VerifiableAddress {
  const kept = current.find((a) => sameAddress(a, mark));
  return kept ? { ...kept } : { id: '', value: mark.value, verified: false, via: mark.via, status: 'pending', created_at: '', updated_at: '' };
}

function keepOrNewRecovery(current: readonly RecoveryAddress[], mark: AddressMark): RecoveryAddress {
  const kept = current.find((a) => sameAddress(a, mark));
  return kept ? { ...kept } : { id: '', value: mark.value, via: mark.via, created_at: '', updated_at: '' };
}

const verifiableSignature = (a: VerifiableAddress): string => [a.value, a.verified, a.via, a.status, a.verified_at ?? ''].join('|');

function normalizeAddresses(draft: Identity, at: string, previous: Identity | undefined): void {
  for (const address of draft.verifiable_addresses) {
    address.value = normalizeIdentifier(address.value);
    address.via ||= 'email';
    address.status ||= address.verified ? 'completed' : 'pending';
    if (address.verified) address.verified_at ??= at;
    else delete address.verified_at;
    const before = previous?.verifiable_addresses.find((a) => a.id === address.id);
    address.id ||= newUuid();
    address.created_at = before?.created_at ?? (address.created_at || at);
    address.updated_at = before && verifiableSignature(before) === verifiableSignature(address) ? before.updated_at : at;
  }
  for (const address of draft.recovery_addresses) {
    address.value = normalizeIdentifier(address.value);
    address.via ||= 'email';
    const before = previous?.recovery_addresses.find((a) => a.id === address.id);
    address.id ||= newUuid();
    address.created_at = before?.created_at ?? (address.created_at || at);
    address.updated_at = before && before.value === address.value && before.via === address.via ? before.updated_at : at;
  }
}
