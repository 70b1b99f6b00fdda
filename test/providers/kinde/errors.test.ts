import { describe, expect, test } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { classifyNetworkError } from '../../../src/providers/http/network.js';
import { apiError, parseApiProblem, requiredScope } from '../../../src/providers/kinde/errors.js';
import { backoffMs, rateLimitWaitMs, realTiming } from '../../../src/providers/http/timing.js';

describe('API error bodies', () => {
  test('error_response: errors as an array', () => {
    const e = apiError('POST', '/api/v1/roles', 400, JSON.stringify({ errors: [{ code: 'ROLE_ALREADY_EXISTS', message: 'A role with key x exists' }] }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ method: 'POST', path: '/api/v1/roles', status: 400, apiCode: 'ROLE_ALREADY_EXISTS', apiMessage: 'A role with key x exists', exitCode: 1 });
    expect(e.message).toBe('POST /api/v1/roles failed with 400 ROLE_ALREADY_EXISTS: A role with key x exists');
  });

  test('not_found_response: errors as an object', () => {
    const e = apiError('GET', '/api/v1/nope?page_size=500&next_token=abc', 404, '{"errors":{"code":"ROUTE_NOT_FOUND","message":"The requested API route does not exist"}}');
    expect(e).toMatchObject({ path: '/api/v1/nope', apiCode: 'ROUTE_NOT_FOUND', apiMessage: 'The requested API route does not exist' });
    expect(e.message).not.toContain('next_token');
  });

  test('several errors are all quoted', () => {
    expect(parseApiProblem(400, '{"errors":[{"code":"A","message":"first"},{"code":"B","message":"second"}]}')).toEqual({ code: 'A', message: 'first; second' });
  });

  test('empty, non-JSON and unexpected bodies still give a message', () => {
    expect(parseApiProblem(429, '')).toEqual({ code: undefined, message: 'HTTP 429 with an empty body' });
    expect(parseApiProblem(502, '<html>\n<body>Bad gateway</body>\n</html>')).toEqual({ code: undefined, message: '<html> <body>Bad gateway</body> </html>' });
    expect(parseApiProblem(500, '{"message":"Internal"}')).toEqual({ code: undefined, message: 'Internal' });
    expect(parseApiProblem(500, '[1,2]').message).toBe('[1,2]');
    expect(parseApiProblem(401, '{"error":"invalid_client","error_description":"bad"}')).toEqual({ code: 'invalid_client', message: 'bad' });
    expect(parseApiProblem(500, 'x'.repeat(1000)).message.length).toBeLessThanOrEqual(200);
  });

  test('403 exits 3 and names the scope the endpoint needs', () => {
    const e = apiError('PATCH', '/api/v1/roles/r1/permissions', 403, '{"errors":[{"code":"FORBIDDEN","message":"missing scope"}]}');
    expect(e.exitCode).toBe(3);
    expect(e.hint).toContain('update:role_permissions');
    expect(requiredScope('GET', '/api/v1/permissions')).toBe('read:permissions');
    expect(requiredScope('POST', '/api/v1/roles')).toBe('create:roles');
    expect(requiredScope('DELETE', '/api/v1/roles/x')).toBe('delete:roles');
  });
});

describe('network failures', () => {
  test('are classified by code, on the error or its cause', () => {
    expect(classifyNetworkError({ code: 'ECONNREFUSED' })).toBe('refused');
    expect(classifyNetworkError({ code: 'ENOTFOUND' })).toBe('dns');
    expect(classifyNetworkError({ code: 'UND_ERR_SOCKET' })).toBe('reset');
    expect(classifyNetworkError({ cause: { code: 'ECONNRESET' } })).toBe('reset');
    expect(classifyNetworkError({ code: 'UND_ERR_HEADERS_TIMEOUT' })).toBe('timeout');
    expect(classifyNetworkError({ code: 'CERT_HAS_EXPIRED' })).toBe('other');
    expect(classifyNetworkError({ code: 'UND_ERR_INVALID_ARG' })).toBeUndefined();
    expect(classifyNetworkError(new TypeError('bug'))).toBeUndefined();
  });
});

describe('waiting', () => {
  test('RateLimit-Reset in seconds, Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(rateLimitWaitMs({ 'ratelimit-reset': '3' }, now)).toBe(3000);
    expect(rateLimitWaitMs({ 'ratelimit-reset': '3', 'retry-after': '10' }, now)).toBe(3000);
    expect(rateLimitWaitMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(rateLimitWaitMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(rateLimitWaitMs({ 'ratelimit-reset': String(now / 1000 + 7) }, now)).toBe(7000);
    expect(rateLimitWaitMs({ 'ratelimit-reset': 'soon' }, now)).toBeUndefined();
    expect(rateLimitWaitMs({}, now)).toBeUndefined();
  });

  test('backoff is exponential with full jitter, capped', () => {
    const timing = (r: number) => ({ ...realTiming, random: () => r });
    expect(backoffMs(timing(0.999999), 1)).toBe(100);
    expect(backoffMs(timing(0.999999), 3)).toBe(400);
    expect(backoffMs(timing(0.999999), 20)).toBe(4000);
    expect(backoffMs(timing(0), 5)).toBe(0);
    expect(backoffMs(timing(0.5), 2)).toBe(100);
  });
});

describe('the scope each endpoint idm calls needs', () => {
  // Every operation the provider calls, with the scope shared/specs/kinde-management-api.yaml names for it.
  const calls: [string, string, string][] = [
    ['GET', '/api/v1/permissions', 'read:permissions'],
    ['POST', '/api/v1/permissions', 'create:permissions'],
    ['PATCH', '/api/v1/permissions/p1', 'update:permissions'],
    ['DELETE', '/api/v1/permissions/p1', 'delete:permissions'],
    ['GET', '/api/v1/roles', 'read:roles'],
    ['POST', '/api/v1/roles', 'create:roles'],
    ['PATCH', '/api/v1/roles/r1', 'update:roles'],
    ['DELETE', '/api/v1/roles/r1', 'delete:roles'],
    ['GET', '/api/v1/roles/r1/permissions', 'read:role_permissions'],
    ['PATCH', '/api/v1/roles/r1/permissions', 'update:role_permissions'],
    ['GET', '/api/v1/environment/feature_flags', 'read:environment_feature_flags'],
    ['PATCH', '/api/v1/environment/feature_flags/f', 'update:environment_feature_flags'],
    ['POST', '/api/v1/feature_flags', 'create:feature_flags'],
    ['PUT', '/api/v1/feature_flags/f', 'update:feature_flags'],
    ['DELETE', '/api/v1/feature_flags/f', 'delete:feature_flags'],
    ['GET', '/api/v1/organizations', 'read:organizations'],
    ['GET', '/api/v1/organization', 'read:organizations'],
    ['POST', '/api/v1/organization', 'create:organizations'],
    ['PATCH', '/api/v1/organization/org_1', 'update:organizations'],
    ['DELETE', '/api/v1/organization/org_1', 'delete:organizations'],
    ['GET', '/api/v1/organizations/org_1/feature_flags', 'read:organization_feature_flags'],
    ['PATCH', '/api/v1/organizations/org_1/feature_flags/f', 'update:organization_feature_flags'],
    ['PUT', '/api/v1/organizations/org_1/mfa', 'update:organization_mfa'],
    ['GET', '/api/v1/organizations/org_1/passkey', 'read:organization_passkey'],
    ['PUT', '/api/v1/organizations/org_1/passkey', 'update:organization_passkey'],
    ['GET', '/api/v1/business', 'read:businesses'],
    ['PATCH', '/api/v1/business', 'update:businesses'],
    ['GET', '/api/v1/environment', 'read:environments'],
    ['PUT', '/api/v1/mfa', 'update:mfa'],
    ['GET', '/api/v1/passkey', 'read:passkey'],
    ['PUT', '/api/v1/passkey', 'update:passkey'],
    ['GET', '/api/v1/environment_variables', 'read:environment_variables'],
    ['POST', '/api/v1/environment_variables', 'create:environment_variables'],
    ['PATCH', '/api/v1/environment_variables/v1', 'update:environment_variables'],
    ['DELETE', '/api/v1/environment_variables/v1', 'delete:environment_variables'],
    ['GET', '/api/v1/organizations/org_1/properties', 'read:organization_properties'],
    ['PATCH', '/api/v1/organizations/org_1/properties', 'update:organization_properties'],
    ['GET', '/api/v1/organizations/org_1/users', 'read:organization_users'],
    ['POST', '/api/v1/organizations/org_1/users', 'create:organization_users'],
    ['PATCH', '/api/v1/organizations/org_1/users', 'update:organization_users'],
    ['DELETE', '/api/v1/organizations/org_1/users/kp_1', 'delete:organization_users'],
    ['DELETE', '/api/v1/organizations/org_1/users/kp_1/roles/r_1', 'delete:organization_user_roles'],
    ['GET', '/api/v1/organizations/org_1/users/kp_1/permissions', 'read:organization_user_permissions'],
    ['DELETE', '/api/v1/organizations/org_1/users/kp_1/permissions/p_1', 'delete:organization_user_permissions'],
    ['GET', '/api/v1/users', 'read:users'],
    ['POST', '/api/v1/user', 'create:users'],
    ['PATCH', '/api/v1/user', 'update:users'],
    ['DELETE', '/api/v1/user', 'delete:users'],
    ['GET', '/api/v1/users/kp_1/identities', 'read:user_identities'],
    ['POST', '/api/v1/users/kp_1/identities', 'create:user_identities'],
    ['PATCH', '/api/v1/identities/i_1', 'update:identities'],
    ['DELETE', '/api/v1/identities/i_1', 'delete:identities'],
    ['PUT', '/api/v1/users/kp_1/password', 'update:user_passwords'],
    ['GET', '/api/v1/users/kp_1/properties', 'read:user_properties'],
    ['PATCH', '/api/v1/users/kp_1/properties', 'update:user_properties'],
    ['PATCH', '/api/v1/users/kp_1/feature_flags/beta', 'update:user_feature_flags'],
  ];

  test.each(calls)('%s %s needs %s', (method, path, scope) => {
    expect(requiredScope(method, path)).toBe(scope);
  });
});
