/**
 * idm's state record: what idm last wrote to fields Kinde never returns (org `is_enforce_mfa`, MFA factors, flag
 * names...), as fingerprints, kept in the tenant itself so that CI, which keeps no local files, still knows. One
 * environment variable per object (Kinde's environment variables are the only free-form storage the API offers):
 *
 *   key   IDM_WO_ + the first 24 hex digits of sha256(writeOnlyKey(type, key)), upper case
 *   value {"v":1,"object":"organization:acme","fields":{"policies.enforce_mfa":"<writeOnlyFingerprint>",...}}
 *
 * The key is a hash because object keys may hold characters a variable name cannot, and may be long. The record is
 * written after the object: a crash in between only makes the next plan show the change again.
 */
import { createHash } from 'node:crypto';
import { ApiError, IdmError } from '../../errors.js';
import { isRecord, type KindeClient } from './client.js';
import { parseJsonBody } from '../http/json.js';

export const recordPrefix = 'IDM_WO_';
/** Kinde's limit on a variable's value. */
export const maxRecordLength = 2048;
/** The spec shows cursor-paged lists refusing pages over 100. */
export const maxVariablePage = 100;

const variablesPath = '/environment_variables';

/** Fingerprints by path. */
export type Fields = ReadonlyMap<string, string>;

/** A record variable in the tenant: its id (for later writes) and, when its value is one idm can read, what it says. */
export interface RecordEntry {
  readonly id: string | undefined;
  readonly record: { readonly object: string; readonly fields: Fields } | undefined;
}

/** By variable key. A malformed record is kept (so that idm overwrites it instead of adding a second one) but says nothing. */
export type RecordIndex = ReadonlyMap<string, RecordEntry>;

export const recordVariableKey = (object: string): string =>
  recordPrefix + createHash('sha256').update(object).digest('hex').slice(0, 24).toUpperCase();

export function encodeRecord(object: string, fields: Fields): string {
  const sorted = Object.fromEntries([...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const value = JSON.stringify({ v: 1, object, fields: sorted });
  if (value.length > maxRecordLength) {
    throw new IdmError(
      `idm's record of the write-only values of ${object} would be ${value.length} characters; Kinde stores at most ${maxRecordLength}`,
      'STATE_RECORD_TOO_LARGE',
      'the object was written; only the record of what was written is missing, so the next plan will show these fields again',
    );
  }
  return value;
}

/** The record in a variable, or undefined when it is not one idm wrote in this format (it is then ignored). */
export function decodeRecord(variableKey: string, value: unknown): { object: string; fields: Fields } | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseJsonBody(value);
  if (!isRecord(parsed) || parsed.v !== 1 || typeof parsed.object !== 'string' || !isRecord(parsed.fields)) return undefined;
  // A record copied under another name would describe the wrong object.
  if (recordVariableKey(parsed.object) !== variableKey) return undefined;
  const fields = new Map<string, string>();
  for (const [path, fingerprint] of Object.entries(parsed.fields)) {
    if (typeof fingerprint !== 'string') return undefined;
    fields.set(path, fingerprint);
  }
  return { object: parsed.object, fields };
}

/** Every idm record in the tenant; other variables are not idm's and are left alone. */
export async function readRecords(client: KindeClient, pageSize: number): Promise<Map<string, RecordEntry>> {
  const variables = await client.listCursor(variablesPath, 'environment_variables', Math.min(pageSize, maxVariablePage));
  const index = new Map<string, RecordEntry>();
  for (const variable of variables) {
    const key = variable.key;
    if (typeof key !== 'string' || !key.startsWith(recordPrefix) || index.has(key)) continue;
    index.set(key, { id: variable.id as string, record: decodeRecord(key, variable.value) });
  }
  return index;
}

/**
 * The object whose record holds the marks of user creates under way (see unfinished-users.ts): its fields are the
 * marks. No user, flag or org key makes this object, as theirs are `type:key` with other types.
 */
export const unfinishedUsersObject = 'unfinished:users';

/** Live.writeOnly: the fingerprints of every readable record, by object. */
export const writeOnlyOf = (index: RecordIndex): Map<string, Fields> =>
  new Map(
    [...index.values()].flatMap((entry) => (entry.record && entry.record.object !== unfinishedUsersObject ? [[entry.record.object, entry.record.fields] as const] : [])),
  );

/** Live.unfinishedUsers: the marks in the record of user creates under way, if there is one. */
export const unfinishedUsersOf = (index: RecordIndex): Set<string> =>
  new Set([...(index.get(recordVariableKey(unfinishedUsersObject))?.record?.fields.keys() ?? [])]);

const sameFields = (a: Fields, b: Fields): boolean => a.size === b.size && [...a].every(([path, fp]) => b.get(path) === fp);

export const isNotFound = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 404 || (error.status === 400 && /NOT_FOUND$/.test(error.apiCode ?? '')));

/**
 * The writer's side: merges fingerprints into an object's record, and removes the record with the object. Seeded
 * from the read when the plan read the records; otherwise they are listed once, when first needed.
 */
export class StateRecords {
  private entries: Promise<Map<string, RecordEntry>> | undefined;
  /** Writes to one object's record in turn, so that two merges never overwrite each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: KindeClient,
    private readonly pageSize: number,
    seed: RecordIndex | undefined,
  ) {
    if (seed) this.entries = Promise.resolve(new Map(seed));
  }

  private known(): Promise<Map<string, RecordEntry>> {
    if (!this.entries) {
      const listing = readRecords(this.client, this.pageSize);
      // A failed listing is not remembered: the next write tries again.
      listing.catch(() => {
        if (this.entries === listing) this.entries = undefined;
      });
      this.entries = listing;
    }
    return this.entries;
  }

  private inTurn<T>(object: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(object) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(object, next.catch(() => undefined));
    return next;
  }

  /** Adds (or replaces) the fingerprints of `fields` in the record of `object`. */
  record(object: string, fields: Fields): Promise<void> {
    if (fields.size === 0) return Promise.resolve();
    return this.write(object, fields, true);
  }

  /** Makes the record of `object` say exactly `fields` (none: no record). */
  replace(object: string, fields: Fields): Promise<void> {
    return fields.size === 0 ? this.remove(object) : this.write(object, fields, false);
  }

  private write(object: string, fields: Fields, merging: boolean): Promise<void> {
    return this.inTurn(object, async () => {
      const entries = await this.known();
      const key = recordVariableKey(object);
      let held = entries.get(key);
      // Created earlier in this run by a POST that answered without the id.
      if (held && held.id === undefined) held = await this.find(key);
      const merge = (entry: RecordEntry | undefined) => new Map([...(merging && entry?.record?.object === object ? entry.record.fields : []), ...fields]);
      let merged = merge(held);
      if (held?.record && sameFields(held.record.fields, merged)) return;
      let id = held?.id;
      if (id === undefined) {
        const created = await this.create(key, object, merged);
        if ('id' in created) {
          id = created.id;
        } else {
          // Written since this run read the records (by another run of idm, say): merge into that one.
          id = created.existing.id!;
          merged = merge(created.existing);
          await this.update(id, object, merged);
        }
      } else {
        await this.update(id, object, merged);
      }
      entries.set(key, { id, record: { object, fields: merged } });
    });
  }

  private async create(key: string, object: string, fields: Fields): Promise<{ id: string | undefined } | { existing: RecordEntry }> {
    let found: RecordEntry | undefined;
    try {
      const result = await this.client.call('POST', variablesPath, {
        body: { key, value: encodeRecord(object, fields), is_secret: false },
        alreadyDone: async () => (found = await this.find(key)) !== undefined,
      });
      // An answer without the id leaves it undefined: the next write to this record looks it up.
      return { id: result.recovered ? found?.id : createdId(result.body) };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400 && /ALREADY_EXISTS$/.test(error.apiCode ?? ''))) throw error;
      const existing = await this.find(key);
      if (existing?.id === undefined) throw error;
      return { existing };
    }
  }

  private async update(id: string, object: string, fields: Fields): Promise<void> {
    await this.client.call('PATCH', `${variablesPath}/${encodeURIComponent(id)}`, { body: { value: encodeRecord(object, fields) } });
  }

  /** Deletes the record of `object`, if there is one: its object is gone, and what idm wrote to it with it. */
  remove(object: string): Promise<void> {
    return this.inTurn(object, async () => {
      const entries = await this.known();
      const key = recordVariableKey(object);
      const held = entries.get(key);
      if (!held) return;
      const id = held.id ?? (await this.find(key))?.id;
      if (id !== undefined) {
        try {
          await this.client.call('DELETE', `${variablesPath}/${encodeURIComponent(id)}`);
        } catch (error) {
          // Someone removed it already: what was asked is done.
          if (!isNotFound(error)) throw error;
        }
      }
      entries.delete(key);
    });
  }

  /** The variable named `key` now, by a fresh listing. */
  private async find(key: string): Promise<RecordEntry | undefined> {
    return (await readRecords(this.client, this.pageSize)).get(key);
  }
}

function createdId(body: unknown): string | undefined {
  const variable = isRecord(body) ? body.environment_variable : undefined;
  const id = isRecord(variable) ? variable.id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
