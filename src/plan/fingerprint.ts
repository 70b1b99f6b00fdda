import { createHash } from 'node:crypto';
import type { Live } from '../model/live.js';

const byKey = <T extends { key: string }>(items: Iterable<T>): T[] => [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/**
 * A digest of everything read from the tenant, ids included (a role deleted and re-created is a change).
 * A saved plan carries it, so `apply plan.json` can tell whether the tenant moved since the plan was made.
 */
export function fingerprint(live: Live): string {
  const sortedEntries = <T>(map: ReadonlyMap<string, T>): [string, T][] => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sortedObject = (o: object | undefined) => o && Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const canonical = {
    permissions: byKey(live.permissions.values()).map((p) => [p.key, p.id, p.name, p.description]),
    roles: byKey(live.roles.values()).map((r) => [r.key, r.id, r.name, r.description, r.isDefault, [...r.permissions].sort()]),
    featureFlags: sortedEntries(live.featureFlags).map(([k, f]) => [k, sortedObject(f.state)]),
    organizations: sortedEntries(live.organizations).map(([k, o]) => [k, o.id, o.isDefault, sortedObject(o.state)]),
    business: sortedObject(live.settings.business),
    environment: sortedObject(live.settings.environment),
    writeOnly: sortedEntries(live.writeOnly).map(([k, fields]) => [k, sortedEntries(fields)]),
    users: sortedEntries(live.users).map(([k, u]) => [k, u.providedId, u.email, sortedObject(u.state)]),
    identities: sortedEntries(live.identities).map(([k, i]) => [k, i.key, sortedObject(i.state)]),
  };
  return 'sha256:' + createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
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
