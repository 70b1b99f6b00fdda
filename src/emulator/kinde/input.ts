/**
 * Reading JSON request bodies. The spec marks almost nothing required, but Kinde rejects what it cannot act on
 * (a permission without a key, say) with a 400 `error_response`; these helpers say which field and why.
 */
import { badRequest } from './replies.js';

export type Body = Readonly<Record<string, unknown>>;

/** The body as an object; an absent body reads as `{}` so that "required field missing" is what gets reported. */
export function bodyObject(body: unknown): Body {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('INVALID_REQUEST', 'The request body must be a JSON object');
  return body as Body;
}

/** A nested object field; null counts as absent. */
export function optionalObject(body: Body, field: string): Body | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('INVALID_REQUEST', `${field} must be an object`);
  return value as Body;
}

/** An array field whose items are objects; null counts as absent. */
export function optionalObjectArray(body: Body, field: string): Body[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))) {
    throw badRequest('INVALID_REQUEST', `${field} must be an array of objects`);
  }
  return value as Body[];
}

/** A string field; null counts as absent. */
export function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest('INVALID_REQUEST', `${field} must be a string`);
  return value;
}

export function requiredString(body: Body, field: string): string {
  const value = optionalNonEmptyString(body, field);
  if (value === undefined) throw badRequest('INVALID_REQUEST', `${field} is required`);
  return value;
}

/** For names and keys: they may be left out of an update, but never blanked. */
export function optionalNonEmptyString(body: Body, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && value.trim() === '') throw badRequest('INVALID_REQUEST', `${field} must not be empty`);
  return value;
}

export function optionalBoolean(body: Body, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest('INVALID_REQUEST', `${field} must be a boolean`);
  return value;
}

/** A whole number field, within `min`..`max` when given; null counts as absent. */
export function optionalInteger(body: Body, field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest('INVALID_REQUEST', `${field} must be a whole number`);
  if (value < min || value > max) throw badRequest('INVALID_REQUEST', `${field} must be from ${min} to ${max}`);
  return value;
}

/** A string field that must be one of `values`; null counts as absent. */
export function optionalEnum<T extends string>(body: Body, field: string, values: readonly T[]): T | undefined {
  const value = optionalString(body, field);
  if (value !== undefined && !values.includes(value as T)) throw badRequest('INVALID_REQUEST', `${field} must be one of ${values.join(', ')}`);
  return value as T | undefined;
}

export function requiredEnum<T extends string>(body: Body, field: string, values: readonly T[]): T {
  const value = optionalEnum(body, field, values);
  if (value === undefined) throw badRequest('INVALID_REQUEST', `${field} is required`);
  return value;
}

/** An array of strings, each one of `values` when given; null counts as absent. */
export function optionalStringArray<T extends string = string>(body: Body, field: string, values?: readonly T[]): T[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw badRequest('INVALID_REQUEST', `${field} must be an array of strings`);
  const bad = values ? value.find((item) => !values.includes(item as T)) : undefined;
  if (bad !== undefined) throw badRequest('INVALID_REQUEST', `${field} may only hold ${values!.join(', ')}; got ${JSON.stringify(bad)}`);
  return value as T[];
}

/** A query parameter the operation requires. Present but empty passes: some (a flag's description) may be blank. */
export function requiredQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null) throw badRequest('INVALID_REQUEST', `query parameter ${name} is required`);
  return value;
}
