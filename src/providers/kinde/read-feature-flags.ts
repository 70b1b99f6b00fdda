/**
 * Feature flags as far as Kinde lets them be read: no endpoint lists flag definitions, so `GET
 * /environment/feature_flags` (every flag's type and its environment value) serves both the flags and the
 * environment's values; an org's values come from its own listing. Names, descriptions, defaults and override
 * levels are never returned: they stay out of live states (see write-only.ts).
 */
import type { LiveFeatureFlag } from '../../model/live.js';
import type { Value } from '../../model/plan.js';
import { IdmError } from '../../errors.js';
import { apiPrefix, isRecord, unexpected, type KindeClient } from './client.js';
import { typedFlagValue } from './values.js';

export interface FlagReading {
  readonly type: unknown;
  readonly value: Value;
}

/** `{feature_flags: {<key>: {type, value}}}` as typed values; an absent or empty map is no flags. */
export function flagsOf(body: Record<string, unknown>, path: string): Map<string, FlagReading> {
  const map = body.feature_flags ?? {};
  if (!isRecord(map)) throw unexpected('GET', path, 200, '"feature_flags" is not an object');
  const flags = new Map<string, FlagReading>();
  for (const [key, flag] of Object.entries(map)) {
    if (!isRecord(flag)) throw unexpected('GET', path, 200, `the feature flag ${JSON.stringify(key)} is not an object`);
    flags.set(key, { type: flag.type, value: typedFlagValue(flag.type, flag.value) });
  }
  return flags;
}

/**
 * Every flag with its environment value. The operation takes no paging parameters yet answers with a
 * `next_token`; a token is followed (a flag left out would be planned as a create that Kinde refuses), and a
 * server that ignores it, answering the same token again, ends the listing.
 */
export async function readEnvironmentFlags(client: KindeClient): Promise<Map<string, FlagReading>> {
  const path = '/environment/feature_flags';
  const flags = new Map<string, FlagReading>();
  const seen = new Set<string>();
  let nextToken: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages > 1000) throw new IdmError(`GET ${apiPrefix}${path} kept answering with a next_token`, 'PAGINATION_LOOP', 'the listing would never end; try again later');
    const body = await client.object('GET', path, nextToken === undefined ? {} : { query: { next_token: nextToken } });
    for (const [key, flag] of flagsOf(body, path)) flags.set(key, flag);
    const token = body.next_token;
    if (typeof token !== 'string' || token === '' || seen.has(token)) return flags;
    seen.add(token);
    nextToken = token;
  }
}

export const liveFlags = (flags: ReadonlyMap<string, FlagReading>): Map<string, LiveFeatureFlag> =>
  new Map([...flags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, flag]) => [key, { key, state: { type: typeof flag.type === 'string' ? flag.type : null } }]));

/** `feature_flags.<key>` paths of an environment or org state. */
export const flagPaths = (flags: ReadonlyMap<string, FlagReading>): Record<string, Value> =>
  Object.fromEntries([...flags].map(([key, flag]) => [`feature_flags.${key}`, flag.value]));
