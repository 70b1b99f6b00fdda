/**
 * Feature flag definitions: create, replace, delete. Faithful to the API, there is no way to list them: clients see
 * flags only through `GET /environment/feature_flags` (every flag, its type and its environment value).
 *
 * Values travel as strings whatever the type. Overrides cascade default → environment → organization, and
 * `allow_override_level` is the most specific level that may override: `env` allows environment overrides only,
 * `org` environment and organization ones, `usr` those and user ones; a flag created without it allows none.
 * A replace (PUT) cannot grant `usr`, so it drops every user override of the flag it replaces.
 */
import { bodyObject, optionalEnum, optionalString, requiredEnum, requiredQuery, requiredString } from './input.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { flagTypes, overrideLevels, type FeatureFlagRecord, type FlagType, type OrganizationRecord, type OverrideLevel, type Tenant } from './tenant.js';

const int32 = { min: -2_147_483_648, max: 2_147_483_647 };

/** The value as the API stores it (`007` becomes `7`), or a 400 saying what the type takes. */
export function checkFlagValue(type: FlagType, value: string, field: string): string {
  if (type === 'str') return value;
  if (type === 'bool') {
    if (value === 'true' || value === 'false') return value;
    throw badRequest('INVALID_FLAG_VALUE', `${field} must be "true" or "false" for a bool flag; got ${JSON.stringify(value)}`);
  }
  const number = /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (Number.isInteger(number) && number >= int32.min && number <= int32.max) return String(number);
  throw badRequest('INVALID_FLAG_VALUE', `${field} must be a whole number from ${int32.min} to ${int32.max} for an int flag; got ${JSON.stringify(value)}`);
}

const rank: Readonly<Record<OverrideLevel, number>> = { env: 1, org: 2, usr: 3 };

export const allowsOverride = (flag: FeatureFlagRecord, level: OverrideLevel): boolean =>
  flag.allowOverrideLevel !== null && rank[flag.allowOverrideLevel] >= rank[level];

export function flagByKey(context: ApiContext, key: string): FeatureFlagRecord {
  const flag = context.tenant.featureFlags.get(key);
  if (!flag) throw badRequest('FEATURE_FLAG_NOT_FOUND', `No feature flag with key ${key}`);
  return flag;
}

/** The override value for `flag` at `level`, checked against its type and its `allow_override_level`. */
export function checkOverride(flag: FeatureFlagRecord, level: OverrideLevel, value: string | undefined): string {
  const where = { env: 'an environment', org: 'an organization', usr: 'a user' }[level];
  if (!allowsOverride(flag, level)) {
    throw badRequest('FLAG_OVERRIDE_NOT_ALLOWED', `Feature flag ${flag.key} cannot be overridden for ${where} (allow_override_level: ${flag.allowOverrideLevel ?? 'none'})`);
  }
  if (value === undefined) throw badRequest('INVALID_REQUEST', 'value is required');
  return checkFlagValue(flag.type, value, 'value');
}

/** Every flag with its value where the reader stands: the environment, or one organization in it. */
export function effectiveFlags(tenant: Tenant, org?: OrganizationRecord): Record<string, { type: FlagType; value: string }> {
  const flags = [...tenant.featureFlags.values()].sort((a, b) => a.seq - b.seq);
  return Object.fromEntries(
    flags.map((flag) => {
      const value = org?.flagOverrides.get(flag.key) ?? tenant.environmentFlagOverrides.get(flag.key) ?? flag.defaultValue;
      return [flag.key, { type: flag.type, value }];
    }),
  );
}

/** Overrides a narrower `allow_override_level` no longer permits stop applying; they are dropped, not kept dormant. */
function dropDisallowedOverrides(tenant: Tenant, flag: FeatureFlagRecord): void {
  if (!allowsOverride(flag, 'env')) tenant.environmentFlagOverrides.delete(flag.key);
  if (!allowsOverride(flag, 'org')) for (const org of tenant.organizations.values()) org.flagOverrides.delete(flag.key);
  if (!allowsOverride(flag, 'usr')) for (const user of tenant.users.values()) user.flagOverrides.delete(flag.key);
}

export const featureFlagRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/v1/feature_flags',
    scope: 'create:feature_flags',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const key = requiredString(body, 'key');
      const name = requiredString(body, 'name');
      const description = optionalString(body, 'description') ?? null;
      const type = requiredEnum(body, 'type', flagTypes);
      const allowOverrideLevel = optionalEnum(body, 'allow_override_level', overrideLevels) ?? null;
      const given = optionalString(body, 'default_value');
      if (given === undefined) throw badRequest('INVALID_REQUEST', 'default_value is required');
      const defaultValue = checkFlagValue(type, given, 'default_value');
      if (context.tenant.featureFlags.has(key)) throw badRequest('FEATURE_FLAG_ALREADY_EXISTS', `A feature flag with key ${key} already exists`);
      context.tenant.featureFlags.set(key, { key, seq: context.tenant.nextSeq++, name, description, type, allowOverrideLevel, defaultValue });
      context.changed();
      return success(201);
    },
  },
  {
    // Kinde's quirk: a replace that takes every field as a required query parameter, and no body.
    method: 'PUT',
    path: '/api/v1/feature_flags/{feature_flag_key}',
    scope: 'update:feature_flags',
    handle({ params, query }, context) {
      const flag = flagByKey(context, params.feature_flag_key!);
      const name = requiredQuery(query, 'name');
      if (name.trim() === '') throw badRequest('INVALID_REQUEST', 'name must not be empty');
      const description = requiredQuery(query, 'description');
      const type = requiredQuery(query, 'type');
      if (!flagTypes.includes(type as FlagType)) throw badRequest('INVALID_REQUEST', `type must be one of ${flagTypes.join(', ')}`);
      // The spec's enum for this parameter leaves out `usr`: a replace cannot grant (or restate) user overrides.
      const level = requiredQuery(query, 'allow_override_level');
      if (level !== 'env' && level !== 'org') throw badRequest('INVALID_REQUEST', 'allow_override_level must be env or org');
      // Kinde's docs: a flag's type cannot be changed once it exists (code reading it would break).
      if (type !== flag.type) throw badRequest('FLAG_TYPE_IMMUTABLE', `Feature flag ${flag.key} is of type ${flag.type}; its type cannot be changed (delete and re-create it)`);
      const defaultValue = checkFlagValue(flag.type, requiredQuery(query, 'default_value'), 'default_value');
      flag.name = name;
      flag.description = description;
      flag.allowOverrideLevel = level;
      flag.defaultValue = defaultValue;
      dropDisallowedOverrides(context.tenant, flag);
      context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/feature_flags/{feature_flag_key}',
    scope: 'delete:feature_flags',
    handle({ params }, context) {
      const flag = flagByKey(context, params.feature_flag_key!);
      context.tenant.featureFlags.delete(flag.key);
      context.tenant.environmentFlagOverrides.delete(flag.key);
      for (const org of context.tenant.organizations.values()) org.flagOverrides.delete(flag.key);
      for (const user of context.tenant.users.values()) user.flagOverrides.delete(flag.key);
      context.changed();
      return success(200);
    },
  },
];
