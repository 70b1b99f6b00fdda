/**
 * The identities, with the unique indexes Kratos' database keeps: credential identifiers per credential type
 * (normalised the same way lookups are), verifiable and recovery addresses per channel, and external ids. A write
 * that would take another identity's key, or repeat one within the identity (Kratos appends OIDC and SAML
 * providers without de-duplicating, so importing the same `provider:subject` twice hits the index), is refused
 * whole, so that nothing is half-saved.
 */
import type { Identity } from './identity.js';
import { normalizeFor } from './normalize.js';

function uniqueKeys(identity: Identity): string[] {
  const keys: string[] = [];
  for (const [type, credential] of Object.entries(identity.credentials)) {
    for (const identifier of credential.identifiers) keys.push(`credential\u0000${type}\u0000${normalizeFor(type, identifier)}`);
  }
  for (const address of identity.verifiable_addresses) keys.push(`verifiable\u0000${address.via}\u0000${address.value}`);
  for (const address of identity.recovery_addresses) keys.push(`recovery\u0000${address.via}\u0000${address.value}`);
  if (identity.external_id !== '') keys.push(`external\u0000${identity.external_id}`);
  return keys;
}

export class IdentityStore {
  private readonly byId = new Map<string, Identity>();
  private readonly owners = new Map<string, string>();
  /** Ids in ascending order, the order Kratos lists in; rebuilt lazily after creates and deletes. */
  private sorted: string[] | undefined;

  constructor(identities: readonly Identity[] = []) {
    for (const identity of identities) this.put(identity);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Everything replaced by `identities`: the state another process left in the data file. */
  replaceAll(identities: readonly Identity[]): void {
    this.byId.clear();
    this.owners.clear();
    this.sorted = undefined;
    for (const identity of identities) this.put(identity);
  }

  get(id: string): Identity | undefined {
    return this.byId.get(id.toLowerCase());
  }

  findByExternalId(externalId: string): Identity | undefined {
    const owner = this.owners.get(`external\u0000${externalId}`);
    return owner === undefined ? undefined : this.byId.get(owner);
  }

  /**
   * The identities holding a credential identifier, as `credentials_identifier` matches: password, webauthn and
   * code identifiers normalised, OIDC, SAML and device keys exactly. Uses the unique index, not a scan.
   */
  findByIdentifier(value: string): Identity[] {
    const owners = new Set<string>();
    for (const type of ['password', 'webauthn', 'code', 'oidc', 'saml', 'deviceauthn']) {
      const owner = this.owners.get(`credential\u0000${type}\u0000${normalizeFor(type, value)}`);
      if (owner !== undefined) owners.add(owner);
    }
    return [...owners].sort().map((id) => this.byId.get(id)!);
  }

  /** Whether saving `identity` would repeat a unique key or take one another identity holds. */
  conflicts(identity: Identity): boolean {
    const keys = uniqueKeys(identity);
    if (new Set(keys).size !== keys.length) return true;
    return keys.some((key) => {
      const owner = this.owners.get(key);
      return owner !== undefined && owner !== identity.id;
    });
  }

  /** Saves a new or changed identity; the caller has checked `conflicts` first. */
  put(identity: Identity): void {
    const previous = this.byId.get(identity.id);
    if (previous) for (const key of uniqueKeys(previous)) this.owners.delete(key);
    else this.sorted = undefined;
    this.byId.set(identity.id, identity);
    for (const key of uniqueKeys(identity)) this.owners.set(key, identity.id);
  }

  delete(id: string): boolean {
    const identity = this.byId.get(id.toLowerCase());
    if (!identity) return false;
    for (const key of uniqueKeys(identity)) this.owners.delete(key);
    this.byId.delete(identity.id);
    this.sorted = undefined;
    return true;
  }

  /** Every identity, ordered by id as Kratos' list is. */
  ordered(): Identity[] {
    this.sorted ??= [...this.byId.keys()].sort();
    return this.sorted.map((id) => this.byId.get(id)!);
  }
}
