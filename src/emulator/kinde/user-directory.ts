/**
 * The tenant's users and their identities, with the indexes that keep a tenant of 10,000+ users cheap to serve: a
 * list kept in creation order (so a page is found by binary search, not by sorting everyone), and lookups by
 * email, username, phone and provided id (so filters and uniqueness checks never scan). Every change to users or
 * identities goes through this class, so that the indexes cannot drift from the records.
 */
import { randomBytes } from 'node:crypto';
import { firstAfterSeq } from './pagination.js';

/** `email`, `phone`, `username`, `enterprise`, or a social connection's strategy such as `oauth2:google`. */
export type IdentityType = string;

export interface IdentityRecord {
  /** `identity_` and 32 hex digits, as the spec's example. */
  readonly id: string;
  readonly seq: number;
  readonly userId: string;
  readonly type: IdentityType;
  /** As given: emails and usernames compare case-insensitively but read back as written. */
  readonly value: string;
  readonly createdOn: string;
  readonly phoneCountryId: string | null;
  /** The social or enterprise connection; null for email, phone and username. */
  readonly connectionId: string | null;
  isConfirmed: boolean;
  /** Exactly one identity of each type a user has is primary. */
  isPrimary: boolean;
}

/** What is kept of a password set through the API: that there is one, never the hash (nothing reads it back). */
export interface PasswordRecord {
  readonly hashingMethod: string;
  readonly isTemporary: boolean;
  readonly setOn: string;
}

export interface UserRecord {
  /** `kp_` and 32 hex digits, as the spec's example. */
  readonly id: string;
  readonly seq: number;
  readonly createdOn: string;
  providedId: string | null;
  firstName: string | null;
  lastName: string | null;
  picture: string | null;
  isSuspended: boolean;
  isPasswordResetRequested: boolean;
  password: PasswordRecord | null;
  /** In creation order. */
  readonly identities: IdentityRecord[];
  /** Codes of the orgs the user belongs to, in joining order: an index over the orgs' member maps (memberships.ts). */
  readonly organizations: Set<string>;
  /** Feature flag key to override value. */
  readonly flagOverrides: Map<string, string>;
  /** Property key to value. */
  readonly properties: Map<string, string>;
}

/** Ids led by the time, so that they read in creation order, then random bits. */
const timeLedHex = (): string => `${Date.now().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;
export const newUserId = (): string => `kp_${timeLedHex()}`;
export const newIdentityId = (): string => `identity_${timeLedHex()}`;

export function newUser(id: string, seq: number, createdOn: string): UserRecord {
  return {
    id,
    seq,
    createdOn,
    providedId: null,
    firstName: null,
    lastName: null,
    picture: null,
    isSuspended: false,
    isPasswordResetRequested: false,
    password: null,
    identities: [],
    organizations: new Set(),
    flagOverrides: new Map(),
    properties: new Map(),
  };
}

/** Kinde treats emails and usernames case-insensitively (the identities docs, for usernames). */
export const foldCase = (value: string): string => value.toLowerCase();

export class UserDirectory {
  private readonly byId = new Map<string, UserRecord>();
  /** Seq ascending. Seqs only grow, so an add is a push; only loading a file can bring one out of order. */
  private readonly ordered: UserRecord[] = [];
  private readonly identitiesById = new Map<string, IdentityRecord>();
  private readonly emails = new Map<string, IdentityRecord>();
  private readonly usernames = new Map<string, IdentityRecord>();
  /** Phones are not unique: Kinde's import docs allow users who share a number. */
  private readonly phones = new Map<string, Set<IdentityRecord>>();
  private readonly providedIds = new Map<string, UserRecord>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): UserRecord | undefined {
    return this.byId.get(id);
  }

  /** Every user in creation order. The array is the directory's own: callers must not change it. */
  inOrder(): readonly UserRecord[] {
    return this.ordered;
  }

  values(): IterableIterator<UserRecord> {
    return this.byId.values();
  }

  identity(id: string): IdentityRecord | undefined {
    return this.identitiesById.get(id);
  }

  /** The email identity holding `email` (any case), whoever's it is. */
  emailHolder(email: string): IdentityRecord | undefined {
    return this.emails.get(foldCase(email));
  }

  usernameHolder(username: string): IdentityRecord | undefined {
    return this.usernames.get(foldCase(username));
  }

  phoneHolders(phone: string): readonly IdentityRecord[] {
    return [...(this.phones.get(phone) ?? [])];
  }

  byProvidedId(providedId: string): UserRecord | undefined {
    return this.providedIds.get(providedId);
  }

  /** Adds a user with its identities; the caller has checked that none of its unique values is taken. */
  add(user: UserRecord): void {
    this.byId.set(user.id, user);
    const last = this.ordered.at(-1);
    if (!last || last.seq < user.seq) this.ordered.push(user);
    else this.ordered.splice(firstAfterSeq(this.ordered, user.seq), 0, user);
    if (user.providedId !== null) this.providedIds.set(user.providedId, user);
    for (const identity of user.identities) this.index(identity);
  }

  remove(user: UserRecord): void {
    if (!this.byId.delete(user.id)) return;
    const at = firstAfterSeq(this.ordered, user.seq) - 1;
    if (this.ordered[at] === user) this.ordered.splice(at, 1);
    if (user.providedId !== null && this.providedIds.get(user.providedId) === user) this.providedIds.delete(user.providedId);
    for (const identity of user.identities) this.unindex(identity);
  }

  setProvidedId(user: UserRecord, providedId: string | null): void {
    if (user.providedId !== null && this.providedIds.get(user.providedId) === user) this.providedIds.delete(user.providedId);
    user.providedId = providedId;
    if (providedId !== null) this.providedIds.set(providedId, user);
  }

  addIdentity(user: UserRecord, identity: IdentityRecord): void {
    user.identities.push(identity);
    this.index(identity);
  }

  removeIdentity(identity: IdentityRecord): void {
    const user = this.byId.get(identity.userId);
    if (user) {
      const at = user.identities.indexOf(identity);
      if (at >= 0) user.identities.splice(at, 1);
    }
    this.unindex(identity);
  }

  private index(identity: IdentityRecord): void {
    this.identitiesById.set(identity.id, identity);
    if (identity.type === 'email') this.emails.set(foldCase(identity.value), identity);
    else if (identity.type === 'username') this.usernames.set(foldCase(identity.value), identity);
    else if (identity.type === 'phone') {
      let holders = this.phones.get(identity.value);
      if (!holders) this.phones.set(identity.value, (holders = new Set()));
      holders.add(identity);
    }
  }

  private unindex(identity: IdentityRecord): void {
    this.identitiesById.delete(identity.id);
    if (identity.type === 'email' && this.emails.get(foldCase(identity.value)) === identity) this.emails.delete(foldCase(identity.value));
    else if (identity.type === 'username' && this.usernames.get(foldCase(identity.value)) === identity) this.usernames.delete(foldCase(identity.value));
    else if (identity.type === 'phone') {
      const holders = this.phones.get(identity.value);
      holders?.delete(identity);
      if (holders?.size === 0) this.phones.delete(identity.value);
    }
  }
}
