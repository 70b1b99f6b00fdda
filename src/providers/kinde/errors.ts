/**
 * Turning what went wrong on the wire into errors people can act on: the API's own code and message from either
 * error body shape, and a hint per status.
 */
import { ApiError, type UnreachableError } from '../../errors.js';
import { isRecord, oneLine } from '../http/json.js';
import { unreachableError, type LostRequest } from '../http/network.js';

export interface ApiProblem {
  readonly code: string | undefined;
  readonly message: string;
}

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

/** Kinde could not be reached: names the URL, the call and the failure, never a secret. */
export function kindeUnreachable(lost: LostRequest): UnreachableError {
  const hint =
    lost.failure === 'dns'
      ? 'check KINDE_DOMAIN (e.g. acme.kinde.com) and your DNS or network'
      : lost.failure === 'timeout'
        ? 'check your network, or raise the request timeout; re-running is safe: idm creates nothing twice'
        : 'check KINDE_DOMAIN and your network; re-running is safe: idm creates nothing twice';
  return unreachableError('Kinde', lost, hint);
}
