/** What every users file reader returns: the users it found, and the problems of the file as a whole. */
import type { Diagnostic, SourceLocation } from '../../errors.js';
import { ConfigCode } from '../codes.js';
import { warning } from '../diagnostic.js';
import type { UserCandidate } from '../users/view.js';

export interface UsersRead {
  /** Problems that spoil the whole file (an unclosed CSV quote, no heading row, a JSON list that does not parse). */
  readonly fatal: readonly Diagnostic[];
  /** Problems of the file as a whole that do not stop it (columns or fields not imported). */
  readonly warnings: readonly Diagnostic[];
  /**
   * One per user, in file order, each with the problems found reading it. Iterate it once: a reader may read each
   * user only when the iteration reaches it, so that a large file's users are never all held at once.
   */
  readonly candidates: Iterable<UserCandidate>;
}

/**
 * Fields of a file that idm does not import, reported once per field with the first place and a count, so that a
 * file of thousands of users gives a few lines of warnings rather than thousands, and nothing is dropped silently.
 */
export class IgnoredFields {
  private readonly seen = new Map<string, { at: SourceLocation; count: number; why: string }>();

  constructor(private readonly what: string) {}

  note(field: string, at: SourceLocation, why: string): void {
    const known = this.seen.get(field);
    if (known) known.count++;
    else this.seen.set(field, { at, count: 1, why });
  }

  warnings(): Diagnostic[] {
    return [...this.seen].map(([field, { at, count, why }]) =>
      warning(
        ConfigCode.UsersFieldIgnored,
        `${JSON.stringify(field)} is not imported (${count === 1 ? 'in 1 user' : `in ${count} users`} of this ${this.what}): ${why}`,
        at,
        'idm leaves it out; remove it from the file to silence this warning',
      ),
    );
  }
}
