/**
 * Seed mode never revisits a user that exists, yet a Kinde create is several calls (the user, then its grants,
 * identities, password...). A create cut off in between (kill -9, a call that keeps failing) would leave a user
 * that no later apply finishes. So before a create starts, its mark is in a state record in the tenant; the next
 * plan compares the users it marks as if they were managed (Live.unfinishedUsers), and finishes them.
 *
 * The record is written ahead: one write names the creates under way and the next ones of the plan, up to what
 * one record holds, so it costs one request per hundred or so creates, and one to remove it when the apply is done.
 */
import { IdmError } from '../../errors.js';
import { unfinishedMark } from '../../plan/fingerprint.js';
import { unfinishedUsersObject, type StateRecords } from './state-record.js';

/** Marks one record holds: 12 hex digits each, within Kinde's 2,048 characters a variable. */
export const marksPerRecord = 100;

export class UnfinishedUsers {
  /** What the record in the tenant says now. */
  private recorded: ReadonlySet<string>;
  /** Creates begun in this run and not finished (failed ones stay). */
  private readonly open = new Set<string>();
  /** Users an earlier run left unfinished that this plan updates, until their update is done. */
  private readonly carried: Set<string>;
  /** The plan's creates in the order they run, and where each is in it. */
  private readonly upcoming: readonly string[];
  private readonly position: ReadonlyMap<string, number>;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly records: StateRecords,
    recorded: ReadonlySet<string>,
    creates: readonly string[],
    updates: readonly string[],
  ) {
    this.recorded = recorded;
    this.upcoming = creates.map(unfinishedMark);
    this.position = new Map(this.upcoming.map((mark, i) => [mark, i]));
    this.carried = new Set(updates.map(unfinishedMark).filter((mark) => recorded.has(mark)));
  }

  /** Before the create of `key`: returns once the record names it. */
  async begin(key: string): Promise<void> {
    const mark = unfinishedMark(key);
    this.open.add(mark);
    while (!this.recorded.has(mark)) {
      // One write at a time: a create waiting for one is usually among those it names.
      this.writing ??= this.writeFrom(mark).finally(() => (this.writing = undefined));
      await this.writing;
    }
  }

  /** After the create or update of `key` succeeded: the next record write leaves it out. */
  finished(key: string): void {
    const mark = unfinishedMark(key);
    this.open.delete(mark);
    this.carried.delete(mark);
  }

  private async writeFrom(mark: string): Promise<void> {
    const marks = new Set([...this.carried, ...this.open]);
    if (marks.size >= marksPerRecord) {
      throw new IdmError(
        `${marks.size} user creates did not finish in this apply, more than idm can record to finish later`,
        'TOO_MANY_UNFINISHED_USERS',
        'fix what the errors above say, then run idm apply again: it finishes the users it recorded, and creates the rest',
      );
    }
    // `mark` is among the open ones; the creates after it in the plan fill the rest of the record.
    for (let i = this.position.get(mark) ?? this.upcoming.length; marks.size < marksPerRecord && i < this.upcoming.length; i++) marks.add(this.upcoming[i]!);
    await this.records.replace(unfinishedUsersObject, new Map([...marks].map((m) => [m, '1'])));
    this.recorded = marks;
  }

  /** After the apply, however it ended: the record keeps only the users still unfinished, and goes when none is. */
  async settle(): Promise<void> {
    await this.writing?.catch(() => undefined);
    const left = new Set([...this.carried, ...this.open]);
    if (left.size === this.recorded.size && [...left].every((m) => this.recorded.has(m))) return;
    await this.records.replace(unfinishedUsersObject, new Map([...left].map((m) => [m, '1'])));
    this.recorded = left;
  }
}
