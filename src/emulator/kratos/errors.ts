/**
 * Kratos' error envelope (herodot's `DefaultError` under `error`, the spec's `errorGeneric`): `code`, `status`,
 * `message` always, `reason` when the handler gave one. The specific cause is usually in `reason`; decode and
 * JSON-patch failures put it in `message` instead, which is why both can be set here.
 */
import type { Reply } from '../http.js';

export interface KratosError {
  readonly code: number;
  readonly status: string;
  readonly reason?: string;
  readonly message: string;
}

const statusText: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** herodot's default message per status, which a handler's own `message` replaces. */
const defaultMessage: Readonly<Record<number, string>> = {
  400: 'The request was malformed or contained invalid parameters',
  401: 'The request could not be authorized',
  404: 'The requested resource could not be found',
  409: 'The resource could not be created due to a conflict',
  429: 'Too many requests',
  500: 'An internal server error occurred, please contact the system administrator',
};

export function kratosError(code: number, detail: { reason?: string; message?: string } = {}): KratosError {
  return {
    code,
    status: statusText[code] ?? 'Error',
    ...(detail.reason === undefined ? {} : { reason: detail.reason }),
    message: detail.message ?? defaultMessage[code] ?? 'Error',
  };
}

export const errorReply = (error: KratosError, headers?: Record<string, string>): Reply => ({
  status: error.code,
  body: { error },
  ...(headers ? { headers } : {}),
});

/** A request the emulator refuses; thrown by handlers and turned into the reply by the server. */
export class KratosFailure extends Error {
  constructor(readonly error: KratosError) {
    super(error.reason ?? error.message);
  }
}

export const badRequest = (reason: string): KratosFailure => new KratosFailure(kratosError(400, { reason }));

/** A 400 whose cause is in `message`, as Go decode errors and JSON-patch denials are reported. */
export const badRequestMessage = (message: string, reason?: string): KratosFailure =>
  new KratosFailure(kratosError(400, { message, ...(reason === undefined ? {} : { reason }) }));

/** The database layer's 404 for an identity that does not exist (or an id that is not a UUID). */
export const identityNotFound = (): KratosFailure => new KratosFailure(kratosError(404, { message: 'Unable to locate the resource' }));

export const notFound = (reason: string): KratosFailure => new KratosFailure(kratosError(404, { reason }));

/** A single create that hits a unique identifier, address or external id. */
export const createConflict = (): KratosFailure =>
  new KratosFailure(kratosError(409, { reason: 'This identity conflicts with another identity that already exists.' }));

/** The database layer's unique violation, as an update or a batch item gets it. */
export const uniqueViolation = (): KratosError =>
  kratosError(409, { message: 'Unable to insert or update resource because a resource with that value exists already' });
