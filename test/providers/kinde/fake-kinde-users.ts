/**
 * The users part of the fake Kinde (see fake-kinde.ts): users with identities, org memberships with role and
 * permission keys, passwords (kept whole, so tests can check what was sent), property values and flag overrides;
 * org property values. Just enough of the spec for the provider, strict where the provider could get it wrong
 * (unknown body fields, paging parameters an operation does not take).
 */
import type { ServerResponse } from 'node:http';

export interface FakeIdentity {
  id: string;
  type: string;
  name: string;
  is_primary: boolean;
  is_verified: boolean;
  connection_id?: string;
}

export interface FakeUser {
  id: string;
  provided_id: string | null;
  first_name: string | null;
  last_name: string | null;
  is_suspended: boolean;
  identities: FakeIdentity[];
  /** By org code: role and direct permission keys. */
  orgs: Record<string, { roles: string[]; permissions: string[] }>;
  properties: Record<string, string | null>;
  flags: Record<string, string>;
  /** The last password body, as sent. */
  password?: Record<string, unknown>;
}

/** What the users part needs of the whole fake tenant. */
export interface UsersTenant {
  users: FakeUser[];
  roles: { id: string; key: string; permissions: string[] }[];
  permissions: { id: string; key: string }[];
  organizations: { code: string; properties?: Record<string, string | null> }[];
  /** User property keys defined in the tenant: GET returns each, null when the user has no value. */
  userPropertyKeys: string[];
  pageCap: number;
}

type Reply = (res: ServerResponse, status: number, body?: unknown) => void;
interface Req {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
}

const errors = (code: string, message: string) => ({ errors: [{ code, message }] });
const ok = { code: 'OK', message: 'Success' };

let ids = 0;
const newId = (prefix: string): string => `${prefix}_${(++ids).toString(36)}`;

/** An empty user, for tests to fill in. */
export function fakeUser(fields: Partial<FakeUser> & { id: string }): FakeUser {
  return { provided_id: null, first_name: null, last_name: null, is_suspended: false, identities: [], orgs: {}, properties: {}, flags: {}, ...fields };
}

/** An identity for fakeUser; the first of a type is its primary unless said otherwise. */
export const fakeIdentity = (type: string, name: string, fields: Partial<FakeIdentity> = {}): FakeIdentity => ({ id: newId('identity'), type, name, is_primary: true, is_verified: true, ...fields });

const primaryOf = (user: FakeUser, type: string): string | null => user.identities.find((i) => i.type === type && i.is_primary)?.name ?? null;

function listedUser(user: FakeUser, expand: string[]) {
  return {
    id: user.id,
    provided_id: user.provided_id,
    email: primaryOf(user, 'email'),
    username: primaryOf(user, 'username'),
    phone: primaryOf(user, 'phone'),
    first_name: user.first_name,
    last_name: user.last_name,
    is_suspended: user.is_suspended,
    ...(expand.includes('organizations') ? { organizations: Object.keys(user.orgs) } : {}),
    ...(expand.includes('identities') ? { identities: user.identities.map((i) => ({ type: i.type, identity: i.name, connection_id: i.connection_id ?? null })) } : {}),
  };
}

function page<T>(items: readonly T[], query: URLSearchParams, cap: number): { items: T[]; next_token?: string } {
  const size = Math.min(Number(query.get('page_size') ?? 10), cap);
  const start = query.get('next_token') ? Number(Buffer.from(query.get('next_token')!, 'base64url').toString()) : 0;
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next_token: Buffer.from(String(end)).toString('base64url') } : { items: slice };
}

function addIdentity(user: FakeUser, type: string, name: string, verified: boolean, connection?: string): FakeIdentity {
  const identity: FakeIdentity = {
    id: newId('identity'), type, name, is_verified: verified, is_primary: !user.identities.some((i) => i.type === type),
    ...(connection === undefined ? {} : { connection_id: connection }),
  };
  user.identities.push(identity);
  return identity;
}

/** Grants keys in an org, as the bulk endpoints do: roles and permissions named by key, added to what is there. */
function grant(tenant: UsersTenant, user: FakeUser, code: string, roles: unknown, permissions: unknown): string | undefined {
  const member = (user.orgs[code] ??= { roles: [], permissions: [] });
  for (const key of Array.isArray(roles) ? roles : []) {
    if (!tenant.roles.some((r) => r.key === key)) return `no role ${key}`;
    if (!member.roles.includes(key)) member.roles.push(key);
  }
  for (const key of Array.isArray(permissions) ? permissions : []) {
    if (!tenant.permissions.some((p) => p.key === key)) return `no permission ${key}`;
    if (!member.permissions.includes(key)) member.permissions.push(key);
  }
  return undefined;
}

/** Serves the users routes; false when the request is not one of them. */
export function serveUsers(req: Req, res: ServerResponse, tenant: UsersTenant, reply: Reply): boolean {
  const json = req.body ? (JSON.parse(req.body) as Record<string, any>) : {};
  const { method, path, query } = req;
  const done = (status: number, body?: unknown) => (reply(res, status, body), true);
  const findUser = (id: string | null) => tenant.users.find((u) => u.id === id);
  const findOrg = (code: string) => tenant.organizations.find((o) => o.code === code);
  let m: RegExpExecArray | null;

  if (path === '/api/v1/users' && method === 'GET') {
    const expand = (query.get('expand') ?? '').split(',').filter(Boolean);
    const filters = (['user_id', 'email', 'username', 'phone'] as const).filter((f) => query.has(f));
    let users = tenant.users;
    for (const f of filters) {
      const wanted = query.get(f)!.split(',');
      users = users.filter((u) => (f === 'user_id' ? wanted.includes(u.id) : u.identities.some((i) => i.type === f && wanted.includes(i.name))));
    }
    const p = page(users.map((u) => listedUser(u, expand)), query, tenant.pageCap);
    return done(200, { ...ok, users: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) });
  }
  if (path === '/api/v1/user') {
    if (method === 'POST') {
      const unknown = Object.keys(json).filter((k) => !['profile', 'organization_code', 'provided_id', 'identities'].includes(k));
      if (unknown.length > 0) return done(400, errors('INVALID_REQUEST', `unknown fields ${unknown.join(',')}`));
      for (const i of json.identities ?? []) {
        if (!['email', 'phone', 'username'].includes(i.type)) return done(400, errors('INVALID_REQUEST', `identity type ${i.type}`));
        if (tenant.users.some((u) => u.identities.some((x) => x.type === i.type && x.name === i.details?.[i.type]))) return done(400, errors('USER_ALREADY_EXISTS', 'exists'));
      }
      if (json.organization_code !== undefined && !findOrg(json.organization_code)) return done(400, errors('ORGANIZATION_NOT_FOUND', 'no org'));
      const user = fakeUser({ id: newId('kp'), provided_id: json.provided_id ?? null, first_name: json.profile?.given_name ?? null, last_name: json.profile?.family_name ?? null });
      for (const i of json.identities ?? []) addIdentity(user, i.type, i.details[i.type], i.is_verified === true);
      if (json.organization_code !== undefined) user.orgs[json.organization_code] = { roles: [], permissions: [] };
      tenant.users.push(user);
      return done(200, { id: user.id, created: true, identities: (json.identities ?? []).map((i: { type: string }) => ({ type: i.type, result: { created: true } })) });
    }
    const user = findUser(query.get('id'));
    if (!user) return done(400, errors('USER_NOT_FOUND', 'no user'));
    if (method === 'PATCH') {
      const names: Record<string, keyof FakeUser> = { given_name: 'first_name', family_name: 'last_name', is_suspended: 'is_suspended', provided_id: 'provided_id' };
      const unknown = Object.keys(json).filter((k) => !(k in names));
      if (unknown.length > 0) return done(400, errors('INVALID_REQUEST', `unknown fields ${unknown.join(',')}`));
      for (const [field, value] of Object.entries(json)) (user as unknown as Record<string, unknown>)[names[field]!] = value;
      return done(200, { id: user.id, given_name: user.first_name, family_name: user.last_name, is_suspended: user.is_suspended });
    }
    if (method === 'DELETE') {
      tenant.users.splice(tenant.users.indexOf(user), 1);
      return done(200, ok);
    }
  }
  if ((m = /^\/api\/v1\/users\/([^/]+)\/(identities|password|properties|feature_flags)(?:\/([^/]+))?$/.exec(path))) {
    const user = findUser(m[1]!);
    if (!user) return done(400, errors('USER_NOT_FOUND', 'no user'));
    const what = m[2]!;
    if (what === 'identities' && method === 'GET') {
      if (query.has('page_size')) return done(400, errors('INVALID_REQUEST', 'page_size is not a parameter here'));
      return done(200, { ...ok, identities: user.identities.map((i) => ({ id: i.id, type: i.type, name: i.name, is_primary: i.is_primary, is_confirmed: i.is_verified })), has_more: false });
    }
    if (what === 'identities' && method === 'POST') {
      const type = json.type === 'social' ? (json.connection_id ? `oauth2:${String(json.connection_id).replace(/^conn_/, '')}` : undefined) : json.type;
      if (!type || typeof json.value !== 'string') return done(400, errors('INVALID_REQUEST', 'type and value are required'));
      if ((json.type === 'social' || json.type === 'enterprise') && !json.connection_id) return done(400, errors('INVALID_REQUEST', 'connection_id is required'));
      if (user.identities.some((i) => i.type === type && i.name === json.value)) return done(400, errors('IDENTITY_ALREADY_EXISTS', 'exists'));
      const identity = addIdentity(user, type, json.value, false, json.connection_id);
      return done(201, { ...ok, identity: { id: identity.id } });
    }
    if (what === 'password' && method === 'PUT') {
      if (typeof json.hashed_password !== 'string') return done(400, errors('INVALID_REQUEST', 'hashed_password is required'));
      user.password = json;
      return done(200, ok);
    }
    if (what === 'properties' && method === 'GET') {
      const keys = [...new Set([...tenant.userPropertyKeys, ...Object.keys(user.properties)])];
      return done(200, { ...ok, properties: keys.map((key) => ({ id: `prop_${key}`, key, name: key, value: user.properties[key] ?? null })) });
    }
    if (what === 'properties' && method === 'PATCH') {
      if (typeof json.properties !== 'object' || json.properties === null) return done(400, errors('INVALID_REQUEST', 'properties is required'));
      Object.assign(user.properties, json.properties);
      return done(200, ok);
    }
    if (what === 'feature_flags' && method === 'PATCH' && m[3]) {
      if (!query.has('value')) return done(400, errors('INVALID_REQUEST', 'value is a query parameter'));
      user.flags[decodeURIComponent(m[3])] = query.get('value')!;
      return done(200, ok);
    }
  }
  if ((m = /^\/api\/v1\/identities\/([^/]+)$/.exec(path))) {
    const user = tenant.users.find((u) => u.identities.some((i) => i.id === m![1]));
    const identity = user?.identities.find((i) => i.id === m![1]);
    if (!user || !identity) return done(400, errors('IDENTITY_NOT_FOUND', 'no identity'));
    if (method === 'PATCH') {
      if (Object.keys(json).some((k) => k !== 'is_primary')) return done(400, errors('INVALID_REQUEST', 'only is_primary'));
      if (json.is_primary === true) for (const i of user.identities) if (i.type === identity.type) i.is_primary = i === identity;
      return done(200, ok);
    }
    if (method === 'DELETE') {
      user.identities.splice(user.identities.indexOf(identity), 1);
      // The next of its type becomes primary, so that a type never loses its primary.
      if (identity.is_primary) {
        const next = user.identities.find((i) => i.type === identity.type);
        if (next) next.is_primary = true;
      }
      return done(200, ok);
    }
  }
  if ((m = /^\/api\/v1\/organizations\/([^/]+)\/properties$/.exec(path))) {
    const org = findOrg(m[1]!);
    if (!org) return done(400, errors('ORGANIZATION_NOT_FOUND', 'no org'));
    if (method === 'GET') return done(200, { ...ok, properties: Object.entries(org.properties ?? {}).map(([key, value]) => ({ id: `prop_${key}`, key, name: key, value })) });
    if (method === 'PATCH') {
      if (typeof json.properties !== 'object' || json.properties === null) return done(400, errors('INVALID_REQUEST', 'properties is required'));
      org.properties = { ...org.properties, ...json.properties };
      return done(200, ok);
    }
  }
  if ((m = /^\/api\/v1\/organizations\/([^/]+)\/users(?:\/([^/]+)(?:\/(roles|permissions)(?:\/([^/]+))?)?)?$/.exec(path))) {
    const code = m[1]!;
    if (!findOrg(code)) return done(400, errors('ORGANIZATION_NOT_FOUND', 'no org'));
    const members = tenant.users.filter((u) => code in u.orgs);
    if (!m[2]) {
      if (method === 'GET') {
        const p = page(members.map((u) => ({ id: u.id, email: primaryOf(u, 'email'), roles: [...u.orgs[code]!.roles] })), query, tenant.pageCap);
        return done(200, { ...ok, organization_users: p.items, ...(p.next_token ? { next_token: p.next_token } : {}) });
      }
      if (method === 'POST' || method === 'PATCH') {
        const result = { users_added: [] as string[], users_updated: [] as string[], users_removed: [] as string[] };
        for (const entry of json.users ?? []) {
          const user = findUser(entry.id);
          if (!user) return done(400, errors('USER_NOT_FOUND', entry.id));
          if (entry.operation === 'delete') {
            delete user.orgs[code];
            result.users_removed.push(user.id);
            continue;
          }
          const joined = !(code in user.orgs);
          const refused = grant(tenant, user, code, entry.roles, entry.permissions);
          if (refused) return done(400, errors('INVALID_REQUEST', refused));
          (joined ? result.users_added : result.users_updated).push(user.id);
        }
        return done(200, method === 'POST' ? { ...ok, users_added: result.users_added } : { ...ok, ...result });
      }
    }
    const user = findUser(m[2] ?? null);
    if (!user) return done(400, errors('USER_NOT_FOUND', 'no user'));
    if (!(code in user.orgs)) return done(400, errors('USER_NOT_IN_ORGANIZATION', 'not a member'));
    const member = user.orgs[code]!;
    if (!m[3] && method === 'DELETE') {
      delete user.orgs[code];
      return done(200, ok);
    }
    if (m[3] === 'roles' && m[4] && method === 'DELETE') {
      const role = tenant.roles.find((r) => r.id === m![4]);
      if (!role) return done(400, errors('ROLE_NOT_FOUND', 'no role'));
      member.roles = member.roles.filter((k) => k !== role.key);
      return done(200, ok);
    }
    if (m[3] === 'permissions' && m[4] && method === 'DELETE') {
      const permission = tenant.permissions.find((p) => p.id === m![4]);
      if (!permission) return done(400, errors('PERMISSION_NOT_FOUND', 'no permission'));
      member.permissions = member.permissions.filter((k) => k !== permission.key);
      return done(200, ok);
    }
    if (m[3] === 'permissions' && !m[4] && method === 'GET') {
      // Every permission the user has in the org; with expand=roles, the roles each one comes with.
      const byKey = new Map<string, { id: string; key: string }[]>();
      for (const key of member.permissions) byKey.set(key, []);
      for (const roleKey of member.roles) {
        const role = tenant.roles.find((r) => r.key === roleKey)!;
        for (const id of role.permissions) {
          const key = tenant.permissions.find((p) => p.id === id)!.key;
          byKey.set(key, [...(byKey.get(key) ?? []), { id: role.id, key: role.key }]);
        }
      }
      const expand = query.get('expand') === 'roles';
      const permissions = [...byKey].map(([key, roles]) => ({ id: tenant.permissions.find((p) => p.key === key)!.id, key, name: key, ...(expand ? { roles } : {}) }));
      return done(200, { ...ok, permissions });
    }
  }
  return false;
}
