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
