/**
 * The bodies Kinde answers with, per the spec's components: the success envelope, `error_response` (errors as an
 * array) and `not_found_response` (errors as a single object). Clients must cope with both error forms, so the
 * emulator produces each exactly where the spec declares it.
 */

import type { Reply } from '../http.js';

export type { Reply };

/** `success_response`, optionally with the extra fields an operation adds (e.g. `role: {id}`). */
export const success = (status = 200, extra: object = {}): Reply => ({ status, body: { code: 'OK', message: 'Success', ...extra } });

export const errorBody = (code: string, message: string) => ({ errors: [{ code, message }] });

/** A request the emulator refuses; thrown by handlers and turned into the reply by the server. */
export class ApiFailure extends Error {
  constructor(readonly reply: Reply) {
    super(`${reply.status}`);
  }
}

export const badRequest = (code: string, message: string): ApiFailure => new ApiFailure({ status: 400, body: errorBody(code, message) });

export const forbidden = (code: string, message: string): ApiFailure => new ApiFailure({ status: 403, body: errorBody(code, message) });

/** `not_found_response`, for the few operations that declare a 404: there `errors` is an object, not an array. */
export const notFound = (code: string, message: string): ApiFailure => new ApiFailure({ status: 404, body: { errors: { code, message } } });

export const routeNotFound: Reply = {
  status: 404,
  body: { errors: { code: 'ROUTE_NOT_FOUND', message: 'The requested API route does not exist' } },
};
