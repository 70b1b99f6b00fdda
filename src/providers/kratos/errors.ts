/**
 * Kratos's answers turned into errors people can act on. Kratos (herodot) wraps every error in
 * `{"error": {"code", "status", "reason", "message", "id"}}`: `message` is the generic text of the status and
 * `reason` the specific one ("This identity conflicts with another identity that already exists."), so both are
 * quoted. Nothing secret is ever quoted: see `Redact`.
 */
import { ApiError, type UnreachableError } from '../../errors.js';
import { isRecord, oneLine, parseJsonBody } from '../http/json.js';
import { unreachableError, type LostRequest } from '../http/network.js';

export interface KratosProblem {
  /** herodot's `error.id` (`session_inactive`, ...) when it sends one. */
  readonly id: string | undefined;
  readonly message: string;
  readonly reason: string | undefined;
}

/** Removes every secret a request carried (API key, password hash, TOTP URL, recovery codes) from text quoted in an error. */
export type Redact = (text: string) => string;

export function redactor(secrets: readonly (string | undefined)[]): Redact {
  // Short strings would blank out ordinary words; no real key, hash or otpauth URL is that short.
  const hidden = secrets.filter((s): s is string => s !== undefined && s.length >= 8);
  return (text) => hidden.reduce((t, secret) => t.split(secret).join('(sensitive)'), text);
}

export function parseKratosProblem(status: number, text: string): KratosProblem {
  const body = parseJsonBody(text);
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? oneLine(v) : undefined);
  if (error) {
    const message = str(error.message) ?? str(error.status) ?? `HTTP ${status}`;
    const reason = str(error.reason);
    return { id: str(error.id), message, reason: reason === message ? undefined : reason };
  }
  return { id: undefined, message: text.trim() ? oneLine(text, 200) : `HTTP ${status} with an empty body`, reason: undefined };
}

function hintFor(path: string, status: number, withKey: boolean): string | undefined {
  if (status === 401 || status === 403) {
    return withKey
      ? 'Kratos refused the API key: check that the target\'s API key variable holds a project API key (ory_pat_…) of this Ory Network project that is not revoked'
      : 'the admin API asks for credentials: for Ory Network set the target\'s API key variable to a project API key (ory_pat_…); for self-hosted Kratos give the admin port\'s URL (default 4434), which takes none';
  }
  if (status === 404 && /\/admin\/identities$/.test(path)) {
    return 'check the Kratos admin URL: self-hosted Kratos serves the admin API on its admin port (default 4434), Ory Network on https://<project>.projects.oryapis.com';
  }
  if (status === 404) return 'the identity is no longer in Kratos (deleted since the plan read it?): run idm plan again';
  if (status === 429) return 'Kratos kept rate limiting the requests; lower --parallelism or set --max-rps, then re-run';
  if (status >= 500) return 'Kratos failed to handle the request; re-run later: idm only changes what is still different';
  return undefined;
}

/** An ApiError naming the call (path without its query), the status and Kratos's message and reason. */
export function kratosApiError(method: string, pathWithQuery: string, status: number, text: string, redact: Redact, withKey: boolean): ApiError {
  const path = pathWithQuery.split('?')[0]!;
  const problem = parseKratosProblem(status, text);
  const said = redact(problem.reason ? `${problem.message}: ${problem.reason}` : problem.message);
  return new ApiError(method, path, status, problem.id, said, hintFor(path, status, withKey));
}

/** Kratos could not be reached: names the URL, the call and the failure, never a secret. */
export function kratosUnreachable(lost: LostRequest): UnreachableError {
  const hint =
    lost.failure === 'dns'
      ? "check the target's Kratos admin URL and your DNS or network"
      : lost.failure === 'timeout'
        ? 'check your network, or raise the request timeout; re-running is safe: idm creates nothing twice'
        : "check the target's Kratos admin URL (self-hosted: the admin port, default 4434) and your network; re-running is safe: idm creates nothing twice";
  return unreachableError('Kratos', lost, hint);
}
