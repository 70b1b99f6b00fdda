/**
 * A Kinde tenant's apply lock, kept in the tenant itself so that every runner (a laptop, CI) sees it: a non-secret
 * environment variable `IDM_LOCK` whose value is the lock record (src/providers/lock-record.ts). The state record's
 * reader only looks at `IDM_WO_` variables, so the lock never shows as drift.
 *
 * Taking the lock is a create, never a read-then-write. Kinde's spec does not say that a second variable with a key
 * already in use is refused, so idm does not rely on it: after a create that succeeded it lists the `IDM_LOCK`
 * variables, and the oldest one wins; a loser deletes its own. Stale records older than ours are deleted on the way,
 * by id, so that a run can never delete the record that replaced the one it judged stale.
 */
import { ApiError, IdmError } from '../../errors.js';
import { decodeHolder, encodeHolder, newHolder, staleReason, thisHost, unreadableHolder, type ThisHost } from '../lock-record.js';
import type { LockHolder, ReplacedLock, TenantLock } from '../provider.js';
import type { KindeClient } from './client.js';
import { isNotFound, maxVariablePage } from './state-record.js';

export const lockVariableKey = 'IDM_LOCK';

const variablesPath = '/environment_variables';

const lockScopesHint = `idm keeps the apply lock in the tenant, as the environment variable ${lockVariableKey}: grant the M2M application the scopes read:environment_variables, create:environment_variables and delete:environment_variables in Kinde under Settings > Applications > (your app) > APIs`;

/** Rounds of create-then-look before giving up on a lock that keeps changing hands while idm tries to take it. */
const maxRounds = 5;

interface LockVariable {
  readonly id: string;
  readonly value: unknown;
  readonly holder: LockHolder;
}

export class KindeTenantLock implements TenantLock {
  /** The variable this process created and holds. */
  /**
   * The record this run holds (by id), or, while it is taking the lock, the value of the record it may have created:
   * a Ctrl-C between creating the record and learning its id must still remove it.
   */
  private held: { readonly id: string } | { readonly value: string } | undefined;

  constructor(
    private readonly client: KindeClient,
    private readonly pageSize: number,
    private readonly now: () => number,
    private readonly host: ThisHost = thisHost,
  ) {}

  async acquire(owner: string, ttlMs: number): ReturnType<TenantLock['acquire']> {
    try {
      return await this.take(owner, ttlMs);
    } catch (error) {
      // The scopes a minimal M2M app lacks: say why an apply of roles needs environment variables.
      if (!(error instanceof ApiError && error.status === 403)) throw error;
      throw new ApiError(error.method, error.path, error.status, error.apiCode, error.apiMessage, lockScopesHint);
    }
  }

  private async take(owner: string, ttlMs: number): ReturnType<TenantLock['acquire']> {
    let replaced: ReplacedLock | undefined;
    for (let round = 0; round < maxRounds; round++) {
      // The value is unique to this attempt (owner and start to the millisecond): it finds our record in a listing.
      const value = encodeHolder(newHolder(owner, this.now(), ttlMs));
      this.held = { value };
      const created = await this.create(value);
      const records = await this.list();
      const own = created ? records.findIndex((r) => r.value === value) : -1;
      if (created && own === -1) {
        throw new IdmError(
          `Kinde accepted the apply lock (environment variable ${lockVariableKey}) but does not list it`,
          'LOCK_NOT_LISTED',
          `try again; if it keeps happening, check the ${lockVariableKey} variables with GET /api/v1/environment_variables and remove them with \`idm unlock\``,
        );
      }
      let winner: LockVariable | undefined;
      for (const record of own === -1 ? records : records.slice(0, own)) {
        const reason = staleReason(record.holder, this.now(), this.host);
        if (reason === undefined) {
          winner = record;
          break;
        }
        await this.remove(record.id);
        replaced ??= { holder: record.holder, reason };
      }
      if (own !== -1) {
        if (winner === undefined) {
          this.held = { id: records[own]!.id };
          return replaced ? { acquired: true, replaced } : { acquired: true };
        }
        await this.remove(records[own]!.id);
      }
      this.held = undefined;
      if (winner) return { acquired: false, holder: winner.holder };
      // Refused, yet nothing live holds it now (the holder just let go, or was stale): try again.
    }
    throw new IdmError(
      `the apply lock (environment variable ${lockVariableKey}) changed hands ${maxRounds} times while idm tried to take it`,
      'LOCK_CONTENDED',
      'other runs keep taking and letting go of it; try again',
    );
  }

  async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    // By id: if this lock expired and another run took over, its record has another id and stays.
    const id = 'id' in held ? held.id : (await this.list()).find((r) => r.value === held.value)?.id;
    if (id !== undefined) await this.remove(id);
    this.held = undefined;
  }

  async holder(): Promise<LockHolder | null> {
    return (await this.list())[0]?.holder ?? null;
  }

  async forceRelease(): Promise<LockHolder | null> {
    const records = await this.list();
    for (const record of records) await this.remove(record.id);
    this.held = undefined;
    return records[0]?.holder ?? null;
  }

  /** Creates the record; false when Kinde refuses it because the variable exists. */
  private async create(value: string): Promise<boolean> {
    try {
      await this.client.call('POST', variablesPath, {
        body: { key: lockVariableKey, value, is_secret: false },
        // A create whose answer was lost may have landed; sent again it would find its own record "already there".
        alreadyDone: async () => (await this.list()).some((r) => r.value === value),
      });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && /ALREADY_EXISTS$/.test(error.apiCode ?? '')) return false;
      throw error;
    }
  }

  private async remove(id: string): Promise<void> {
    try {
      await this.client.call('DELETE', `${variablesPath}/${encodeURIComponent(id)}`);
    } catch (error) {
      // Gone already (released, or taken over by another run): what was asked is done.
      if (!isNotFound(error)) throw error;
    }
  }

  /**
   * The lock variables, oldest first: by `created_on`, then in the order Kinde lists them (creation order), since
   * `created_on` is to the second.
   */
  private async list(): Promise<LockVariable[]> {
    const variables = await this.client.listCursor(variablesPath, 'environment_variables', Math.min(this.pageSize, maxVariablePage));
    const locks = variables.filter((v) => v.key === lockVariableKey);
    const created = locks.map((v) => (typeof v.created_on === 'string' ? Date.parse(v.created_on) : NaN));
    // Array.prototype.sort is stable: records created in the same second keep their listed order.
    const order = locks.map((_, i) => i);
    if (!created.some(Number.isNaN)) order.sort((a, b) => created[a]! - created[b]!);
    return order.map((i) => ({
      id: locks[i]!.id as string,
      value: locks[i]!.value,
      holder: decodeHolder(locks[i]!.value) ?? unreadableHolder(`the ${lockVariableKey} environment variable`),
    }));
  }
}
