import { createHash } from 'node:crypto';
import type { Live } from '../model/live.js';

const byKey = <T extends { key: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const sortedEntries = <T>(map: ReadonlyMap<string, T>): [string, T][] => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const sortedObject = (o: object | undefined) => o && Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

/** An array index as a property name: JSON.stringify writes those first, whatever the order they were added in. */
const indexLike = /^(?:0|[1-9][0-9]*)$/;

/** `JSON.stringify(sortedObject(o))`, without building the sorted copy: the same text, for every user of a large tenant. */
function sortedJson(o: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(o).sort((a, b) => (a < b ? -1 : 1));
  if (keys.some((k) => indexLike.test(k))) return JSON.stringify(sortedObject(o));
  const parts: string[] = [];
  for (const k of keys) if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(o[k])}`);
  return `{${parts.join(',')}}`;
}

/**
 * A digest of everything read from the tenant, ids included (a role deleted and re-created is a change).
 * A saved plan carries it, so `apply plan.json` can tell whether the tenant moved since the plan was made.
 *
 * It is the sha256 of one canonical JSON text, fed to the hash a piece at a time: of a tenant with many users, the
 * text would be larger than everything else the plan holds.
 */
export function fingerprint(live: Live): string {
  const hash = createHash('sha256');
  const head = {
    permissions: byKey(live.permissions.values()).map((p) => [p.key, p.id, p.name, p.description]),
    roles: byKey(live.roles.values()).map((r) => [r.key, r.id, r.name, r.description, r.isDefault, [...r.permissions].sort()]),
    featureFlags: sortedEntries(live.featureFlags).map(([k, f]) => [k, sortedObject(f.state)]),
    organizations: sortedEntries(live.organizations).map(([k, o]) => [k, o.id, o.isDefault, sortedObject(o.state)]),
    business: sortedObject(live.settings.business),
    environment: sortedObject(live.settings.environment),
    writeOnly: sortedEntries(live.writeOnly).map(([k, fields]) => [k, sortedEntries(fields)]),
    identities: sortedEntries(live.identities).map(([k, i]) => [k, i.key, sortedObject(i.state)]),
    // Only when there are some, so that the fingerprints of plans saved before idm kept this record still match.
    ...(live.unfinishedUsers.size > 0 ? { unfinishedUsers: [...live.unfinishedUsers].sort() } : {}),
  };
  // `{"permissions":...,"identities":[...]` and then `,"users":[...]}`: the text of the whole object, users last.
  hash.update(JSON.stringify(head).slice(0, -1));
  hash.update(',"users":[');
  let first = true;
  for (const [k, u] of sortedEntries(live.users)) {
    hash.update(`${first ? '' : ','}[${JSON.stringify(k)},${JSON.stringify(u.providedId ?? null)},${JSON.stringify(u.email ?? null)},${sortedJson(u.state)}]`);
    first = false;
  }
  hash.update(']}');
  return 'sha256:' + hash.digest('hex');
}

const canonical = (value: unknown): unknown => (Array.isArray(value) ? [...value].map(String).sort() : value);

/**
 * The fingerprint idm records for a write-only value it wrote (the value itself is never stored). Sets are sorted
 * first, so order in the config does not matter. 16 hex digits: enough to tell values apart, small enough that the
 * record of a whole tenant fits the provider's storage.
 */
export function writeOnlyFingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(value) ?? null)).digest('hex').slice(0, 16);
}

/**
 * How the record of unfinished user creates names a user (see Live.unfinishedUsers): 12 hex digits of its key, so
 * that a hundred of them fit one record, and no email is stored in it.
 */
export function unfinishedMark(userKey: string): string {
  return createHash('sha256').update(`user:${userKey}`).digest('hex').slice(0, 12);
}
