/**
 * A tiny Kinde look-alike on node:http, for transport behaviour a test must control exactly: every request is
 * recorded, and a test's `intercept` answers (or breaks) any request before the in-memory tenant does.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadScope } from '../../../src/model/plan.js';
import type { Timing } from '../../../src/providers/http/timing.js';
import { serveUsers, type FakeUser } from './fake-kinde-users.js';

export { fakeIdentity, fakeUser, type FakeIdentity, type FakeUser } from './fake-kinde-users.js';

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

export interface Flag {
  key: string;
  name: string;
  description: string;
  type: 'str' | 'int' | 'bool';
  allow_override_level: string;
  default_value: string;
  /** The environment's override. */
  env?: string;
}

export interface Organization {
  code: string;
  name: string;
  handle: string | null;
  external_id: string | null;
  is_default: boolean;
  is_auto_membership_enabled: boolean;
  allowed_domains: string[];
  /** Colour name -> hex as written. */
  colors: Record<string, string>;
  /** What the API never returns: is_auto_join_domain_list, is_enforce_mfa, mfa. */
  writeOnly: Record<string, unknown>;
  passkey: { policy: string; is_override_environment_passkey_settings: boolean };
  flags: Record<string, string>;
  /** Property values by key. */
  properties?: Record<string, string | null>;
}

export interface Variable {
  id: string;
  key: string;
  value: string;
  is_secret: boolean;
}

export interface Tenant {
  permissions: Permission[];
  roles: Role[];
  flags: Flag[];
  organizations: Organization[];
  business: { name: string; has_clickwrap: boolean; terms_url: string | null; privacy_url: string | null };
  environment: { google_analytics_tag: string | null; hotjar_site_id: string | null; contentsquare_tag_id: string | null };
  passkey: string;
  mfa: unknown;
  variables: Variable[];
  users: FakeUser[];
  /** User property keys defined in the tenant: a user's property listing names each. */
  userPropertyKeys: string[];
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

/** A scope that reads permissions and roles only. */
export const noScope: ReadScope = {
  feature_flags: false, organizations: false, organization_details: {}, business: false,
  environment: { details: false, feature_flags: false, passkey: false }, write_only: false,
  users: { list: false, member_orgs: [], match: {}, permissions: [], properties: [] }, identities: null,
};
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
  if (serveUsers(req, res, tenant, reply)) return;
  if (serveSettings(req, res, tenant, json)) return;
  reply(res, 404, { errors: { code: 'ROUTE_NOT_FOUND', message: 'The requested API route does not exist' } });
}

const ok = (res: ServerResponse, extra: Record<string, unknown> = {}, status = 200) => reply(res, status, { code: 'OK', message: 'Success', ...extra });
const flagMap = (tenant: Tenant, value: (f: Flag) => string) => Object.fromEntries(tenant.flags.map((f) => [f.key, { type: f.type, value: value(f) }]));
const colorObject = (hex: string | undefined) => (hex === undefined ? null : { raw: hex, hex: hex.toUpperCase(), hsl: 'hsl(0, 0%, 0%)' });

/** Flags, organizations, business and environment settings, and environment variables. */
function serveSettings(req: Recorded, res: ServerResponse, tenant: Tenant, json: Record<string, any>): boolean {
  const { method, path, query } = req;
  let m: RegExpExecArray | null;
  const done = (f: () => void) => (f(), true);
  if (method === 'GET' && path === '/api/v1/environment/feature_flags') return done(() => ok(res, { feature_flags: flagMap(tenant, (f) => f.env ?? f.default_value) }));
  if ((m = /^\/api\/v1\/environment\/feature_flags\/([^/]+)$/.exec(path)) && method === 'PATCH') {
    const flag = tenant.flags.find((f) => f.key === decodeURIComponent(m![1]!));
    if (!flag) return done(() => reply(res, 400, errors('FEATURE_FLAG_NOT_FOUND', 'no flag')));
    if (typeof json.value !== 'string') return done(() => reply(res, 400, errors('INVALID_REQUEST', 'value is required')));
    return done(() => ((flag.env = json.value), ok(res)));
  }
  if (method === 'POST' && path === '/api/v1/feature_flags') {
    if (tenant.flags.some((f) => f.key === json.key)) return done(() => reply(res, 400, errors('FEATURE_FLAG_ALREADY_EXISTS', 'exists')));
    if (typeof json.default_value !== 'string') return done(() => reply(res, 400, errors('INVALID_REQUEST', 'default_value must be a string')));
    tenant.flags.push({ key: json.key, name: json.name, description: json.description ?? '', type: json.type, allow_override_level: json.allow_override_level, default_value: json.default_value });
    return done(() => ok(res, {}, 201));
  }
  if ((m = /^\/api\/v1\/feature_flags\/([^/]+)$/.exec(path))) {
    const i = tenant.flags.findIndex((f) => f.key === decodeURIComponent(m![1]!));
    if (i < 0) return done(() => reply(res, 400, errors('FEATURE_FLAG_NOT_FOUND', 'no flag')));
    if (method === 'DELETE') return done(() => (tenant.flags.splice(i, 1), ok(res)));
    if (method === 'PUT') {
      const fields = ['name', 'description', 'type', 'allow_override_level', 'default_value'];
      if (req.body !== '' || fields.some((f) => !query.has(f))) return done(() => reply(res, 400, errors('INVALID_REQUEST', 'every field is a query parameter')));
      Object.assign(tenant.flags[i]!, Object.fromEntries(fields.map((f) => [f, query.get(f)])));
      return done(() => ok(res));
    }
  }
  if (method === 'GET' && path === '/api/v1/organizations') {
    const p = page(tenant.organizations.map((o) => ({ code: o.code, name: o.name, handle: o.handle, is_default: o.is_default, external_id: o.external_id, is_auto_membership_enabled: o.is_auto_membership_enabled })), query, tenant.pageCap);
    return done(() => ok(res, { organizations: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) }));
  }
  const findOrg = (code: string | null) => tenant.organizations.find((o) => o.code === code);
  if (method === 'GET' && path === '/api/v1/organization') {
    const org = findOrg(query.get('code'));
    if (!org) return done(() => reply(res, 400, errors('ORGANIZATION_NOT_FOUND', 'no org')));
    const colors = Object.fromEntries(['background_color', 'button_color', 'button_text_color', 'link_color', 'background_color_dark', 'button_color_dark', 'button_text_color_dark', 'link_color_dark'].map((c) => [c, colorObject(org.colors[c])]));
    return done(() => reply(res, 200, { code: org.code, name: org.name, handle: org.handle, is_default: org.is_default, external_id: org.external_id, is_auto_membership_enabled: org.is_auto_membership_enabled, allowed_domains: org.allowed_domains, ...colors }));
  }
  if (method === 'POST' && path === '/api/v1/organization') {
    const code = newId('org');
    const { name, external_id, handle, is_auto_membership_enabled, ...rest } = json;
    const unknown = Object.keys(rest).filter((k) => !k.endsWith('_color') && !k.endsWith('_color_dark'));
    if (unknown.length > 0) return done(() => reply(res, 400, errors('INVALID_REQUEST', `unknown fields ${unknown.join(',')}`)));
    tenant.organizations.push(fakeOrg({ code, name, external_id: external_id ?? null, handle: handle ?? null, is_auto_membership_enabled: is_auto_membership_enabled ?? false, colors: rest }));
    return done(() => ok(res, { organization: { code } }));
  }
  if ((m = /^\/api\/v1\/organization\/([^/]+)$/.exec(path))) {
    const org = findOrg(m[1]!);
    if (!org) return done(() => reply(res, 400, errors('ORGANIZATION_NOT_FOUND', 'no org')));
    if (method === 'DELETE') return done(() => (tenant.organizations.splice(tenant.organizations.indexOf(org), 1), ok(res)));
    if (method === 'PATCH') {
      for (const [field, value] of Object.entries(json)) {
        if (field.endsWith('_color') || field.endsWith('_color_dark')) org.colors[field] = value;
        else if (['is_auto_join_domain_list', 'is_enforce_mfa'].includes(field)) org.writeOnly[field] = value;
        else (org as unknown as Record<string, unknown>)[field] = value;
      }
      return done(() => ok(res));
    }
  }
  if ((m = /^\/api\/v1\/organizations\/([^/]+)\/(feature_flags|passkey|mfa)(?:\/([^/]+))?$/.exec(path))) {
    const org = findOrg(m[1]!);
    if (!org) return done(() => reply(res, 400, errors('ORGANIZATION_NOT_FOUND', 'no org')));
    if (m[2] === 'feature_flags' && method === 'GET') return done(() => ok(res, { feature_flags: flagMap(tenant, (f) => org.flags[f.key] ?? f.env ?? f.default_value) }));
    if (m[2] === 'feature_flags' && method === 'PATCH' && m[3]) {
      if (!query.has('value')) return done(() => reply(res, 400, errors('INVALID_REQUEST', 'value is a query parameter')));
      org.flags[decodeURIComponent(m[3])] = query.get('value')!;
      return done(() => ok(res));
    }
    if (m[2] === 'passkey' && method === 'GET') return done(() => ok(res, { enabled: org.passkey.policy !== 'off', ...org.passkey }));
    if (m[2] === 'passkey' && method === 'PUT') return done(() => (Object.assign(org.passkey, json), ok(res)));
    if (m[2] === 'mfa' && method === 'PUT') {
      if (!Array.isArray(json.enabled_factors)) return done(() => reply(res, 400, errors('INVALID_REQUEST', 'enabled_factors is required')));
      return done(() => ((org.writeOnly.mfa = json), ok(res)));
    }
  }
  if (path === '/api/v1/business' && method === 'GET') return done(() => ok(res, { business: { code: 'bus_1', ...tenant.business } }));
  if (path === '/api/v1/business' && method === 'PATCH') {
    const names: Record<string, string> = { business_name: 'name', is_click_wrap: 'has_clickwrap', terms_url: 'terms_url', privacy_url: 'privacy_url' };
    const unknown = Object.keys(json).filter((k) => !(k in names));
    if (unknown.length > 0) return done(() => reply(res, 400, errors('INVALID_REQUEST', `unknown fields ${unknown.join(',')}`)));
    for (const [field, value] of Object.entries(json)) (tenant.business as Record<string, unknown>)[names[field]!] = value;
    return done(() => ok(res));
  }
  if (path === '/api/v1/environment' && method === 'GET') return done(() => ok(res, { environment: { code: 'production', name: 'Production', ...tenant.environment } }));
  if (path === '/api/v1/passkey' && method === 'GET') return done(() => ok(res, { enabled: tenant.passkey !== 'off', policy: tenant.passkey }));
  if (path === '/api/v1/passkey' && method === 'PUT') return done(() => ((tenant.passkey = json.policy), ok(res)));
  if (path === '/api/v1/mfa' && method === 'PUT') return done(() => ((tenant.mfa = json), ok(res)));
  if (path === '/api/v1/environment_variables' && method === 'GET') {
    const size = Math.min(Number(query.get('page_size') ?? 10), tenant.pageCap);
    const after = query.get('starting_after');
    const start = after ? tenant.variables.findIndex((v) => v.id === after) + 1 : 0;
    const items = tenant.variables.slice(start, start + size).map((v) => ({ ...v, value: v.is_secret ? null : v.value }));
    return done(() => ok(res, { environment_variables: items, has_more: start + size < tenant.variables.length }));
  }
  if (path === '/api/v1/environment_variables' && method === 'POST') {
    if (tenant.variables.some((v) => v.key === json.key)) return done(() => reply(res, 400, errors('ENVIRONMENT_VARIABLE_ALREADY_EXISTS', 'exists')));
    if (typeof json.value !== 'string' || json.value.length > 2048) return done(() => reply(res, 400, errors('INVALID_REQUEST', 'value')));
    const id = newId('env_var');
    tenant.variables.push({ id, key: json.key, value: json.value, is_secret: json.is_secret ?? false });
    return done(() => ok(res, { environment_variable: { id } }, 201));
  }
  if ((m = /^\/api\/v1\/environment_variables\/([^/]+)$/.exec(path))) {
    const variable = tenant.variables.find((v) => v.id === m![1]);
    if (!variable) return done(() => reply(res, 400, errors('ENVIRONMENT_VARIABLE_NOT_FOUND', 'no variable')));
    if (method === 'PATCH') return done(() => (Object.assign(variable, json), ok(res)));
    if (method === 'DELETE') return done(() => (tenant.variables.splice(tenant.variables.indexOf(variable), 1), ok(res)));
  }
  return false;
}

/** An org with every field at its default. */
export function fakeOrg(fields: Partial<Organization> & { code: string; name: string }): Organization {
  return {
    handle: null, external_id: null, is_default: false, is_auto_membership_enabled: false, allowed_domains: [], colors: {}, writeOnly: {},
    passkey: { policy: 'off', is_override_environment_passkey_settings: false }, flags: {}, ...fields,
  };
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
  const tenant: Tenant = {
    permissions: [], roles: [], permissionIdOnCreate: false, pageCap: 500,
    flags: [], organizations: [], variables: [], passkey: 'off', mfa: null, users: [], userPropertyKeys: [],
    business: { name: 'Acme', has_clickwrap: false, terms_url: null, privacy_url: null },
    environment: { google_analytics_tag: null, hotjar_site_id: null, contentsquare_tag_id: null },
  };
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
