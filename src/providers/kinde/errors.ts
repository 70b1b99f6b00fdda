/**
 * Turning what went wrong on the wire into errors people can act on: the API's own code and message from either
 * error body shape, what kind of network failure happened, and a hint per status.
 */
import { ApiError, UnreachableError } from '../../errors.js';

export interface ApiProblem {
  readonly code: string | undefined;
  readonly message: string;
}

const oneLine = (text: string, max = 300): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function problemOf(entry: unknown): ApiProblem | undefined {
  if (!isRecord(entry)) return undefined;
  const code = typeof entry.code === 'string' && entry.code ? entry.code : undefined;
  const message = typeof entry.message === 'string' ? entry.message : undefined;
  return code || message ? { code, message: oneLine(message ?? code ?? '') } : undefined;
}

/**
 * The API's code and message from an error body: `error_response` (`{errors: [{code, message}]}`),
 * `not_found_response` (`{errors: {code, message}}`), an OAuth2 error (`{error, error_description}`),
 * or anything else (empty, not JSON), which is quoted, shortened, as the message.
 */
export function parseApiProblem(status: number, text: string, statusText = ''): ApiProblem {
  let body: unknown;
  try {
    body = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isRecord(body)) {
    const errors = body.errors;
    const entries = Array.isArray(errors) ? errors : errors === undefined ? [] : [errors];
    const problems = entries.map(problemOf).filter((p): p is ApiProblem => p !== undefined);
    if (problems.length > 0) {
      return { code: problems[0]!.code, message: problems.map((p) => p.message).filter(Boolean).join('; ') || problems[0]!.code || '' };
    }
    if (typeof body.error === 'string') {
      const description = typeof body.error_description === 'string' ? body.error_description : body.error;
      return { code: body.error, message: oneLine(description) };
    }
    const top = problemOf(body);
    if (top && top.code !== 'OK') return top;
  }
  const fallback = text.trim() ? oneLine(text, 200) : statusText || `HTTP ${status} with an empty body`;
  return { code: undefined, message: fallback };
}

/**
 * The scope each endpoint idm calls needs, as the spec names it in the operation: `<verb>:<resource>`, where the verb
 * follows the method unless the route says otherwise.
 */
const scopedRoutes: readonly { readonly path: RegExp; readonly resource: string; readonly verbs?: Readonly<Record<string, string>> }[] = [
  // Adding and removing a role's permissions in bulk is an update of the role's permissions.
  { path: /^\/api\/v1\/roles\/[^/]+\/permissions(\/|$)/, resource: 'role_permissions', verbs: { POST: 'update', PATCH: 'update' } },
  { path: /^\/api\/v1\/roles(\/|$)/, resource: 'roles' },
  { path: /^\/api\/v1\/permissions(\/|$)/, resource: 'permissions' },
  { path: /^\/api\/v1\/feature_flags(\/|$)/, resource: 'feature_flags' },
  { path: /^\/api\/v1\/environment\/feature_flags(\/|$)/, resource: 'environment_feature_flags' },
  { path: /^\/api\/v1\/environment$/, resource: 'environments' },
  { path: /^\/api\/v1\/environment_variables(\/|$)/, resource: 'environment_variables' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/feature_flags(\/|$)/, resource: 'organization_feature_flags' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/mfa$/, resource: 'organization_mfa' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/passkey$/, resource: 'organization_passkey' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/properties$/, resource: 'organization_properties' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/users\/[^/]+\/roles(\/|$)/, resource: 'organization_user_roles' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/users\/[^/]+\/permissions(\/|$)/, resource: 'organization_user_permissions' },
  { path: /^\/api\/v1\/organizations\/[^/]+\/users(\/[^/]+)?$/, resource: 'organization_users' },
  { path: /^\/api\/v1\/users?$/, resource: 'users' },
  { path: /^\/api\/v1\/users\/[^/]+\/identities$/, resource: 'user_identities' },
  { path: /^\/api\/v1\/identities\/[^/]+$/, resource: 'identities' },
  { path: /^\/api\/v1\/users\/[^/]+\/password$/, resource: 'user_passwords' },
  { path: /^\/api\/v1\/users\/[^/]+\/properties$/, resource: 'user_properties' },
  { path: /^\/api\/v1\/users\/[^/]+\/feature_flags\/[^/]+$/, resource: 'user_feature_flags' },
  { path: /^\/api\/v1\/organizations?(\/[^/]+)?$/, resource: 'organizations' },
  { path: /^\/api\/v1\/business$/, resource: 'businesses' },
  { path: /^\/api\/v1\/mfa$/, resource: 'mfa' },
  { path: /^\/api\/v1\/passkey$/, resource: 'passkey' },
];

const verbOf: Readonly<Record<string, string>> = { GET: 'read', POST: 'create', PATCH: 'update', PUT: 'update', DELETE: 'delete' };

/** Each endpoint needs one scope; the spec names it in the operation. */
export function requiredScope(method: string, path: string): string | undefined {
  const route = scopedRoutes.find((r) => r.path.test(path));
  const verb = route?.verbs?.[method] ?? verbOf[method];
  return route && verb ? `${verb}:${route.resource}` : undefined;
}

function hintFor(method: string, path: string, status: number): string | undefined {
  if (status === 401 || status === 403) {
    const scope = requiredScope(method, path);
    return `the M2M application may not be authorized for the Kinde Management API${scope ? ` or may lack the scope ${scope}` : ''}; grant it in Kinde under Settings > Applications > (your app) > APIs`;
  }
  if (status === 429) return 'Kinde kept rate limiting the requests; lower --parallelism or set --max-rps, then re-run';
  if (status >= 500) return 'Kinde failed to handle the request; re-run later: idm only changes what is still different';
  return undefined;
}

/** An ApiError for a response idm does not accept, naming the call (path without query) and quoting the API. */
export function apiError(method: string, pathWithQuery: string, status: number, text: string, statusText = ''): ApiError {
  const path = pathWithQuery.split('?')[0]!;
  const problem = parseApiProblem(status, text, statusText);
  return new ApiError(method, path, status, problem.code, problem.message, hintFor(method, path, status));
}

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

/** The provider could not be reached: names the URL, the call and the failure, never a secret. */
export function unreachable(origin: string, method: string, pathWithQuery: string, failure: NetworkFailure, attempts: number, cause: unknown): UnreachableError {
  const path = pathWithQuery.split('?')[0]!;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const hint =
    failure === 'dns'
      ? 'check KINDE_DOMAIN (e.g. acme.kinde.com) and your DNS or network'
      : failure === 'timeout'
        ? 'check your network, or raise the request timeout; re-running is safe: idm creates nothing twice'
        : 'check KINDE_DOMAIN and your network; re-running is safe: idm creates nothing twice';
  return new UnreachableError(`Cannot reach Kinde at ${origin}: ${method} ${path}: ${describe(failure, cause)}${tries}`, hint, { cause });
}
