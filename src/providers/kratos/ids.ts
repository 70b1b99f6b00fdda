/**
 * Match key -> Kratos id, seeded from the Live the plan was made from, and told about identities created in this
 * run. Keys are what the planner and the plan know; ids never leave the provider.
 */
import { IdmError } from '../../errors.js';
import type { LiveIdentity } from '../../model/live.js';

export class IdentityDirectory {
  private readonly byKey = new Map<string, string[]>();
  private readonly ids = new Set<string>();
  private readonly created = new Map<string, string>();

  constructor(identities: Iterable<LiveIdentity>) {
    for (const i of identities) {
      this.ids.add(i.id);
      if (i.key !== null) this.byKey.set(i.key, [...(this.byKey.get(i.key) ?? []), i.id]);
    }
  }

  set(key: string, id: string): void {
    this.created.set(key, id);
  }

  forget(key: string): void {
    this.created.delete(key);
    this.byKey.delete(key);
  }

  /** The id of the one identity with this key (or, for one that has no key, the id the plan named it by). */
  resolve(key: string): string {
    const created = this.created.get(key);
    if (created !== undefined) return created;
    const ids = this.byKey.get(key) ?? [];
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1) {
      throw new IdmError(
        `${ids.length} identities in Kratos match "${key}" (${ids.join(', ')}); idm cannot tell which one the config means`,
        'IDENTITY_AMBIGUOUS',
        'keep one of them: delete or change the others in Kratos (or match on a trait that is unique), then run idm plan again',
      );
    }
    if (this.ids.has(key)) return key;
    throw new IdmError(
      `The identity "${key}" is not among the identities read from Kratos`,
      'IDENTITY_NOT_FOUND',
      'it was deleted or changed since the plan was made: run idm plan again',
    );
  }
}
