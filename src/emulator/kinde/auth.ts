/**
 * Kinde's M2M authentication: `POST /oauth2/token` (client credentials, OAuth2-style errors) issues a signed JWT;
 * every `/api/v1` call must carry it as a bearer token holding the operation's scope. Failures on the API side
 * answer 403 `error_response`, as the spec declares, not 401.
 */
import { randomUUID } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt.js';
import { forbidden, type Reply } from './replies.js';

export interface AuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The scopes granted to the M2M app. */
  readonly scopes: readonly string[];
  readonly ttlSeconds: number;
  /** The `iss` claim: the emulator's URL, as a tenant's tokens name its domain. */
  readonly issuer: string;
  readonly key: Buffer;
}

const oauthError = (status: number, error: string, description: string): Reply => ({
  status,
  body: { error, error_description: description },
  headers: { 'Cache-Control': 'no-store' },
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Answers a token request, whose body must be `application/x-www-form-urlencoded` as in Kinde's docs. */
export function issueToken(contentType: string | undefined, body: string, config: AuthConfig): Reply {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return oauthError(400, 'invalid_request', 'The token request must be sent as application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  if (form.get('client_id') !== config.clientId || form.get('client_secret') !== config.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed: unknown client_id or wrong client_secret');
  }
  const audience = form.get('audience');
  if (!audience?.endsWith('/api')) {
    return oauthError(400, 'invalid_request', 'audience is required and must be the management API, https://<your_subdomain>.kinde.com/api');
  }
  const requested = form.get('scope')?.split(' ').filter(Boolean);
  const notGranted = requested?.filter((s) => !config.scopes.includes(s)) ?? [];
  if (notGranted.length > 0) {
    return oauthError(400, 'invalid_scope', `Scopes not granted to this application: ${notGranted.join(' ')}`);
  }
  // Asking for no scope means all the granted ones, as Kinde documents.
  const scope = (requested?.length ? requested : config.scopes).join(' ');
  const iat = nowSeconds();
  const claims = {
    aud: [audience],
    azp: config.clientId,
    exp: iat + config.ttlSeconds,
    gty: ['client_credentials'],
    iat,
    iss: config.issuer,
    jti: randomUUID(),
    scope,
  };
  return {
    status: 200,
    body: { access_token: signJwt(claims, config.key), token_type: 'bearer', expires_in: config.ttlSeconds, scope },
    headers: { 'Cache-Control': 'no-store' },
  };
}

/** Throws the 403 a tenant gives when `authorization` is not a live bearer token holding `scope`. */
export function authorize(authorization: string | undefined, scope: string, config: AuthConfig): void {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw forbidden('UNAUTHORIZED', 'Missing bearer token: send Authorization: Bearer <access_token from /oauth2/token>');
  const claims = verifyJwt(match[1]!, config.key);
  if (!claims) throw forbidden('UNAUTHORIZED', 'Invalid access token');
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds()) throw forbidden('TOKEN_EXPIRED', 'The access token has expired');
  const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!granted.includes(scope)) {
    throw forbidden('FORBIDDEN', `The access token is missing the scope this endpoint requires: ${scope}`);
  }
}
