/**
 * The M2M access token: client credentials at `{origin}/oauth2/token`, audience `{origin}/api`. Every token is
 * billed, so one is fetched lazily, shared by concurrent callers while in flight, and reused until shortly before
 * it expires (or until the API refuses it with a 401).
 */
import { AuthError, UnreachableError } from '../../errors.js';
import { parseApiProblem } from './errors.js';
import type { Transport } from '../http/transport.js';
import type { Timing } from '../http/timing.js';

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

interface Cached {
  /** The whole header value, `Bearer <token>`. */
  readonly authorization: string;
  readonly expiresAt: number;
}

/** Stop using a token this long before it expires: a tenth of its lifetime, at most a minute. */
const safetyMargin = (lifetimeMs: number): number => Math.min(60_000, lifetimeMs / 10);

/** The `exp` claim of a JWT, in ms, without verifying it (the API does that). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class TokenSource {
  private cached: Cached | undefined;
  private inflight: Promise<string> | undefined;
  private readonly url: string;

  constructor(
    private readonly transport: Transport,
    private readonly origin: string,
    private readonly credentials: Credentials,
    private readonly timing: Timing,
  ) {
    this.url = `${origin}/oauth2/token`;
  }

  /** `Bearer <token>`, fetching one only when there is no live one and no fetch under way. */
  authorization(): Promise<string> {
    const cached = this.cached;
    if (cached && this.timing.now() < cached.expiresAt) return Promise.resolve(cached.authorization);
    return (this.inflight ??= this.fetch().finally(() => {
      this.inflight = undefined;
    }));
  }

  /** The API refused this Authorization (401): forget it, unless a newer token has replaced it already. */
  refused(authorization: string): void {
    if (this.cached?.authorization === authorization) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const { clientId, clientSecret } = this.credentials;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      audience: `${this.origin}/api`,
    });
    const started = this.timing.now();
    const response = await this.transport.request({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      token: true,
      // A token whose answer was lost is simply lost: asking again costs one more billed token, nothing else.
      alreadyDone: async () => false,
    });
    const { status, text } = response;
    if (status >= 200 && status < 300) return this.accept(text, started);

    const problem = parseApiProblem(status, text);
    const said = this.redact(`${problem.code ? `${problem.code}: ` : ''}${problem.message}`).replace(/\s+/g, ' ');
    if (status === 400 || status === 401 || status === 403) {
      throw new AuthError(
        `Kinde refused the client credentials for client id ${JSON.stringify(this.redact(clientId))}: POST ${this.url} answered ${status} (${said})`,
        'check KINDE_MANAGEMENT_CLIENT_ID and KINDE_MANAGEMENT_CLIENT_SECRET (the M2M application under Settings > Applications in Kinde), and that the application is authorized for the Kinde Management API',
      );
    }
    throw new UnreachableError(
      `Kinde's token endpoint failed: POST ${this.url} answered ${status} (${said})`,
      status === 404 ? 'check KINDE_DOMAIN: it must be your Kinde business domain, e.g. acme.kinde.com' : 'try again later',
    );
  }

  private accept(text: string, started: number): string {
    let body: { access_token?: unknown; expires_in?: unknown } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new AuthError(`Kinde's token endpoint answered without an access token: POST ${this.url}`, 'check that KINDE_DOMAIN is your Kinde business domain');
    }
    const lifetimes: number[] = [];
    if (typeof body?.expires_in === 'number' && body.expires_in > 0) lifetimes.push(body.expires_in * 1000);
    const exp = jwtExpiry(token);
    if (exp !== undefined) lifetimes.push(exp - started);
    // With no expiry given at all, the token is used until the API refuses it.
    const lifetime = lifetimes.length > 0 ? Math.min(...lifetimes) : Infinity;
    const authorization = `Bearer ${token}`;
    this.cached = { authorization, expiresAt: started + lifetime - safetyMargin(lifetime) };
    return authorization;
  }

  /** Error text never carries the secret, whatever the server echoed. */
  private redact(text: string): string {
    const secret = this.credentials.clientSecret;
    return secret.length >= 4 ? text.split(secret).join('(sensitive)') : text;
  }
}
