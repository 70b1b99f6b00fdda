/** Raw HTTP against the emulator, as a client of the real API would send it: no idm code in between. */
import { onTestFinished } from 'vitest';
import { startKindeEmulator, type KindeEmulator, type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** `any`: tests index freely into JSON bodies and let the assertions do the checking. */
  readonly body: any;
}

export const credentials = { clientId: 'test-client', clientSecret: 'test-secret' } as const;

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function requestToken(url: string, fields: Record<string, string> = {}): Promise<Answer> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    audience: `${url}/api`,
    ...fields,
  });
  return answer(await fetch(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }));
}

export async function token(url: string, scope?: string): Promise<string> {
  const got = await requestToken(url, scope ? { scope } : {});
  if (got.status !== 200) throw new Error(`token request failed: ${got.status} ${JSON.stringify(got.body)}`);
  return got.body.access_token as string;
}

export type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;

/** A caller bound to a base URL and bearer token (pass undefined to send none). */
export function caller(url: string, accessToken: string | undefined): Call {
  return async (method, path, body) => {
    const headers: Record<string, string> = {};
    if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return answer(await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) }));
  };
}

/**
 * Operations on users and what hangs off them (identities, memberships, properties): conformance-users.test.ts
 * covers them, the other conformance flows leave them out.
 */
export const isUserOperation = (operation: string): boolean =>
  /^\S+ \/api\/v1\/(users?|identities|properties|property_categories)(\/|$)/.test(operation) ||
  /^\S+ \/api\/v1\/organizations\/\{org_code\}\/(users|properties)(\/|$)/.test(operation);

/** A Kinde emulator for one test, closed when the test finishes (whatever its outcome). */
export async function openEmulator(options: Partial<KindeEmulatorOptions> = {}): Promise<KindeEmulator> {
  const emulator = await startKindeEmulator({ ...credentials, ...options });
  onTestFinished(() => emulator.close());
  return emulator;
}

/** openEmulator, with a caller that holds a token for it. */
export async function startEmulator(options: Partial<KindeEmulatorOptions> = {}): Promise<{ emulator: KindeEmulator; call: Call }> {
  const emulator = await openEmulator(options);
  return { emulator, call: caller(emulator.url, await token(emulator.url)) };
}
