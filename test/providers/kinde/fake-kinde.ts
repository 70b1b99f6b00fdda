/**
 * A tiny Kinde look-alike on node:http, for transport behaviour a test must control exactly: every request is
 * recorded, and a test's `intercept` answers (or breaks) any request before the in-memory tenant does.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Timing } from '../../../src/providers/kinde/timing.js';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export interface Permission {
  id: string;
  key: string;
  name: string;
  description?: string;
}
export interface Role {
  id: string;
  key: string;
  name: string;
  description: string | null;
  is_default_role: boolean;
  permissions: string[];
}

export interface Tenant {
  permissions: Permission[];
  roles: Role[];
  /** Answer POST /permissions with `permission: {id}` (the docs' seed script expects it; the spec has none). */
  permissionIdOnCreate: boolean;
  /** Most items per page, whatever page_size asks. */
  pageCap: number;
}

/** Returns true when it answered (or broke) the request itself. */
export type Intercept = (req: Recorded, res: ServerResponse, tenant: Tenant) => boolean | Promise<boolean>;

export interface FakeKinde {
  readonly url: string;
  readonly requests: Recorded[];
  readonly tenant: Tenant;
  intercept: Intercept | undefined;
  /** Requests to a path (without query), optionally of one method. */
  count(path: string | RegExp, method?: string): number;
  close(): Promise<void>;
}

export const clientId = 'test-client';
export const clientSecret = 'test-secret-5f1c9a-never-shown';

export function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const errors = (code: string, message: string) => ({ errors: [{ code, message }] });

function page<T>(items: readonly T[], query: URLSearchParams, cap: number): { items: T[]; next_token?: string } {
  const size = Math.min(Number(query.get('page_size') ?? 10), cap);
  const start = query.get('next_token') ? Number(Buffer.from(query.get('next_token')!, 'base64url').toString()) : 0;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next_token: Buffer.from(String(end)).toString('base64url') } : { items: slice };
}

let ids = 0;
const newId = (prefix: string): string => `${prefix}_${(++ids).toString(36)}`;

/** The in-memory tenant: just enough of the API for the provider's reads and writes. */
function serveTenant(req: Recorded, res: ServerResponse, tenant: Tenant): void {
  const json = req.body ? (JSON.parse(req.body) as Record<string, any>) : {};
  const { method, path, query } = req;
  if (!req.headers.authorization?.startsWith('Bearer ')) return reply(res, 403, errors('UNAUTHORIZED', 'Missing bearer token'));
  let m: RegExpExecArray | null;
  if (method === 'GET' && path === '/api/v1/permissions') {
    const p = page(tenant.permissions, query, tenant.pageCap);
    return reply(res, 200, { code: 'OK', message: 'Success', permissions: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) });
  }
  if (method === 'POST' && path === '/api/v1/permissions') {
    if (tenant.permissions.some((p) => p.key === json.key)) return reply(res, 400, errors('PERMISSION_ALREADY_EXISTS', `A permission with key ${json.key} already exists`));
    const id = newId('perm');
    tenant.permissions.push({ id, key: json.key, name: json.name, ...(json.description === undefined ? {} : { description: json.description }) });
    return reply(res, 201, { code: 'OK', message: 'Success', ...(tenant.permissionIdOnCreate ? { permission: { id } } : {}) });
  }
  if ((m = /^\/api\/v1\/permissions\/([^/]+)$/.exec(path))) {
    const i = tenant.permissions.findIndex((p) => p.id === m![1]);
    if (i < 0) return reply(res, 400, errors('PERMISSION_NOT_FOUND', 'No such permission'));
    if (method === 'PATCH') Object.assign(tenant.permissions[i]!, json);
    if (method === 'DELETE') tenant.permissions.splice(i, 1);
    return reply(res, 200, { code: 'OK', message: 'Success' });
  }
  if (method === 'GET' && path === '/api/v1/roles') {
    const p = page(tenant.roles.map(({ permissions: _, ...r }) => r), query, tenant.pageCap);
    return reply(res, 200, { code: 'OK', message: 'Success', roles: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) });
  }
  if (method === 'POST' && path === '/api/v1/roles') {
    if (tenant.roles.some((r) => r.key === json.key)) return reply(res, 400, errors('ROLE_ALREADY_EXISTS', 'exists'));
    const id = newId('role');
    tenant.roles.push({ id, key: json.key, name: json.name, description: json.description ?? null, is_default_role: json.is_default_role ?? false, permissions: [] });
    return reply(res, 201, { code: 'OK', message: 'Success', role: { id } });
  }
  if ((m = /^\/api\/v1\/roles\/([^/]+)(\/permissions)?$/.exec(path))) {
    const role = tenant.roles.find((r) => r.id === m![1]);
    if (!role) return reply(res, 400, errors('ROLE_NOT_FOUND', 'No such role'));
    if (m[2]) {
      if (method === 'GET') {
        const granted = role.permissions.map((id) => tenant.permissions.find((p) => p.id === id)!);
        const p = page(granted, query, tenant.pageCap);
        return reply(res, 200, { code: 'OK', message: 'Success', permissions: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) });
      }
      for (const { id, operation } of json.permissions as { id: string; operation?: string }[]) {
        if (!tenant.permissions.some((p) => p.id === id)) return reply(res, 400, errors('PERMISSION_NOT_FOUND', id));
        if (operation === 'delete') role.permissions = role.permissions.filter((x) => x !== id);
        else if (!role.permissions.includes(id)) role.permissions.push(id);
      }
      return reply(res, 200, { code: 'OK', message: 'Success' });
    }
    if (method === 'PATCH') {
      if (!json.name || !json.key) return reply(res, 400, errors('INVALID_REQUEST', 'name and key are required'));
      Object.assign(role, json);
      return reply(res, 201, { code: 'OK', message: 'Success' });
    }
    if (method === 'DELETE') {
      tenant.roles.splice(tenant.roles.indexOf(role), 1);
      return reply(res, 200, { code: 'OK', message: 'Success' });
    }
  }
  reply(res, 404, { errors: { code: 'ROUTE_NOT_FOUND', message: 'The requested API route does not exist' } });
}

let tokens = 0;
function serveToken(req: Recorded, res: ServerResponse): void {
  const form = new URLSearchParams(req.body);
  if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
    // Echoes what it was sent, as a careless server might: the provider must still never show the secret.
    return reply(res, 401, { error: 'invalid_client', error_description: `Client authentication failed for secret ${form.get('client_secret')}` });
  }
  reply(res, 200, { access_token: `token-${++tokens}`, token_type: 'bearer', expires_in: 3600, scope: '' });
}

export async function fakeKinde(intercept?: Intercept): Promise<FakeKinde> {
  const tenant: Tenant = { permissions: [], roles: [], permissionIdOnCreate: false, pageCap: 500 };
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: Recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(recorded);
      void (async () => {
        if (fake.intercept && (await fake.intercept(recorded, res, tenant))) return;
        if (recorded.method === 'POST' && recorded.path === '/oauth2/token') return serveToken(recorded, res);
        serveTenant(recorded, res, tenant);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeKinde = {
    url,
    requests,
    tenant,
    intercept,
    count: (path, method) =>
      requests.filter((r) => (typeof path === 'string' ? r.path === path : path.test(r.path)) && (method === undefined || r.method === method)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** A clock that only moves when the provider sleeps, so backoffs and rate-limit waits take no real time. */
export function virtualTiming(start = 1_700_000_000_000): Partial<Timing> & { sleeps: number[]; advance(ms: number): void; readonly clock: () => number } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    clock: () => now,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    random: () => 0.5,
  };
}
