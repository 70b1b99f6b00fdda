/**
 * Key -> id for one collection, seeded from the Live the plan was made from. Ids the API does not hand back
 * (`POST /permissions` answers without one) are found by listing the collection, lazily, once for all the
 * callers that need one at the same time: a listing serves every caller whose object existed when it started.
 */
import { IdmError } from '../../errors.js';

export class IdDirectory {
  private readonly ids = new Map<string, string>();
  /** Keys created without a known id, with the event number of their creation. */
  private readonly pending = new Map<string, number>();
  /** Counts creations and failures; a listing that starts at event n sees everything up to n. */
  private events = 0;
  /** The event number at which the last completed listing started; -1 before any. */
  private listedAt = -1;
  private inflight: { readonly startedAt: number; readonly done: Promise<void> } | undefined;

  constructor(
    /** Names the collection in errors: `permission`, `role`, `organization`. */
    private readonly what: string,
    /** Every (key, id) in the collection now. */
    private readonly listAll: () => Promise<Iterable<readonly [string, string]>>,
    seed: Iterable<{ readonly key: string; readonly id: string }>,
  ) {
    for (const { key, id } of seed) this.ids.set(key, id);
  }

  get(key: string): string | undefined {
    return this.ids.get(key);
  }

  set(key: string, id: string): void {
    this.ids.set(key, id);
    this.pending.delete(key);
  }

  forget(key: string): void {
    this.ids.delete(key);
    this.pending.delete(key);
  }

  /** `key` was just created and the answer carried no id: the next listing will find it. */
  createdWithoutId(key: string): void {
    this.pending.set(key, this.mark());
  }

  /** Numbers an event; `listedSince(mark())` is a listing that started after it. */
  mark(): number {
    return ++this.events;
  }

  /** Waits for a listing that started at or after event `event`, sharing one in flight or starting one. */
  listedSince(event: number): Promise<void> {
    if (this.listedAt >= event) return Promise.resolve();
    if (this.inflight && this.inflight.startedAt >= event) return this.inflight.done;
    const startedAt = this.events;
    const done = this.listAll().then((pairs) => {
      for (const [key, id] of pairs) this.set(key, id);
      this.listedAt = Math.max(this.listedAt, startedAt);
    });
    const inflight = { startedAt, done };
    this.inflight = inflight;
    // A failed listing is not remembered: the next caller tries again.
    const clear = (): void => {
      if (this.inflight === inflight) this.inflight = undefined;
    };
    done.then(clear, clear);
    return done;
  }

  /** The ids of `keys` (undefined for those that do not exist), listing the collection at most once for those not known yet. */
  async lookup(keys: readonly string[]): Promise<(string | undefined)[]> {
    const unknown = keys.filter((key) => !this.ids.has(key));
    if (unknown.length > 0) {
      // Keys neither live nor created in this run are looked for too (someone may have created them since the
      // read), but a listing that already happened is not repeated for them.
      await this.listedSince(Math.max(0, ...unknown.map((key) => this.pending.get(key) ?? 0)));
    }
    return keys.map((key) => this.ids.get(key));
  }

  /** The ids of `keys`; an IdmError names those that do not exist. */
  async resolve(keys: readonly string[]): Promise<string[]> {
    const ids = await this.lookup(keys);
    const missing = keys.filter((_, i) => ids[i] === undefined);
    if (missing.length > 0) {
      throw new IdmError(
        `No ${this.what} with the key${missing.length > 1 ? 's' : ''} ${missing.map((k) => JSON.stringify(k)).join(', ')} exists in Kinde`,
        `${this.what.toUpperCase()}_NOT_FOUND`,
        'the tenant changed while idm was applying; run idm plan again',
      );
    }
    return ids as string[];
  }

  /** Whether `key` exists now, by a listing that starts after this call (the check before re-trying a create). */
  async existsNow(key: string): Promise<boolean> {
    await this.listedSince(this.mark());
    return this.ids.has(key);
  }
}
