/**
 * Failures below HTTP: which kind happened (it decides what may be retried), and an error naming the call and the
 * failure when a provider could not be reached.
 */
import { UnreachableError } from '../../errors.js';
import { isRecord, oneLine } from './json.js';

/** How a request failed below HTTP. */
export type NetworkFailure =
  /** Nothing was sent (connection refused): safe to retry anything. */
  | 'refused'
  /** No connection was made (connect timeout, host or network unreachable): safe to retry anything. */
  | 'connect'
  /** The name does not resolve: retrying will not help. */
  | 'dns'
  /** The connection broke after the request may have been sent. */
  | 'reset'
  /** No complete answer in time; the request may have been carried out. */
  | 'timeout'
  /** Anything else below HTTP (TLS, certificates, ...): reported as is, not retried. */
  | 'other';

export function classifyNetworkError(error: unknown): NetworkFailure | undefined {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
  const cause = isRecord(error) && isRecord(error.cause) && typeof error.cause.code === 'string' ? error.cause.code : undefined;
  switch (code ?? cause) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return 'dns';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'connect';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'UND_ERR_SOCKET':
      return 'reset';
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      // The provider was closed and then used: a bug, not the network.
      return undefined;
    default:
      // Errors from the network stack carry a code (TLS and certificate failures among them); misuse is a bug.
      return (code ?? cause) && !/INVALID|ERR_ASSERTION/.test(code ?? cause ?? '') ? 'other' : undefined;
  }
}

const describeFailure: Record<Exclude<NetworkFailure, 'other'>, string> = {
  refused: 'connection refused',
  connect: 'could not connect',
  dns: 'the host name does not resolve',
  reset: 'the connection was reset',
  timeout: 'no response in time',
};

const describe = (failure: NetworkFailure, cause: unknown): string =>
  failure === 'other' ? oneLine(cause instanceof Error ? cause.message : String(cause), 200) : describeFailure[failure];

/** A request that never got an answer, as the transport gives up on it. */
export interface LostRequest {
  readonly origin: string;
  readonly method: string;
  /** Path and query; the error shows the path only. */
  readonly path: string;
  readonly failure: NetworkFailure;
  readonly attempts: number;
  readonly cause: unknown;
}

/** "Cannot reach <service> at <origin>: <call>: <failure>", never a secret; `hint` is the provider's. */
export function unreachableError(service: string, lost: LostRequest, hint: string): UnreachableError {
  const path = lost.path.split('?')[0]!;
  const tries = lost.attempts > 1 ? ` after ${lost.attempts} attempts` : '';
  return new UnreachableError(`Cannot reach ${service} at ${lost.origin}: ${lost.method} ${path}: ${describe(lost.failure, lost.cause)}${tries}`, hint, { cause: lost.cause });
}
