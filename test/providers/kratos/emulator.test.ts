/**
 * The Kratos provider against the Kratos emulator: what it reads, what it sends, and what Kratos holds afterwards.
 * A recording proxy sits between them, to see the requests and to lose chosen answers.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startKratosEmulator, defaultIdentitySchema, type KratosEmulator, type KratosEmulatorOptions } from '../../../src/emulator/kratos/index.js';
import { ApiError, IdmError } from '../../../src/errors.js';
import type { IdentityRecordSpec } from '../../../src/model/desired.js';
import type { Live } from '../../../src/model/live.js';
import type { FieldDiff, IdentityChange, ReadScope } from '../../../src/model/plan.js';
import { writeOnlyFingerprint } from '../../../src/plan/fingerprint.js';
import { createKratosProvider, type KratosProviderOptions } from '../../../src/providers/kratos/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import { lossyProxy, type LossyProxy, type Seen } from './lossy-proxy.js';

const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const newHash = '$2a$10$hOqZ7i6Ga2sZg4YrLyD7ReiEHovk0tiNzeOmoHB0zP/3fDrDbpcbO';
const totpUrl = 'otpauth://totp/Acme:ada@acme.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme';

const byEmail: ReadScope = {
  feature_flags: false, organizations: false, organization_details: {}, business: false,
  environment: { details: false, feature_flags: false, passkey: false }, write_only: false,
  users: { list: false, member_orgs: [], match: {}, permissions: [], properties: [] },
  identities: { match: { by: 'trait', path: ['email'] } },
};

const employee = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    traits: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email', 'ory.sh/kratos': { credentials: { password: { identifier: true } }, verification: { via: 'email' } } },
        name: { type: 'object', properties: { first: { type: 'string' }, last: { type: 'string' } } },
        tags: { type: 'array', items: { type: 'string' } },
        nickname: { type: ['string', 'null'] },
        number: { type: 'number' },
      },
      required: ['email'],
    },
  },
};

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

interface Setup {
  readonly emulator: KratosEmulator;
  readonly proxy: LossyProxy;
  readonly provider: Provider;
  /** Straight to the emulator, as a person or another tool would change Kratos. */
  raw(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

async function setup(options: KratosEmulatorOptions = {}, provider: Partial<KratosProviderOptions> = {}): Promise<Setup> {
  const emulator = await startKratosEmulator({ schemas: { default: defaultIdentitySchema, employee }, ...options });
  open.push(emulator);
  const proxy = await lossyProxy(emulator.url);
  open.push(proxy);
  const p = createKratosProvider({ adminUrl: proxy.url, ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...provider }, fast);
  open.push(p);
  const raw = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  return { emulator, proxy, provider: p, raw };
}

const ada = (over: Partial<IdentityRecordSpec> = {}): IdentityRecordSpec => ({
  key: 'ada@acme.com',
  schemaId: 'default',
  state: 'active',
  traits: { email: 'ada@acme.com', name: { first: 'Ada', last: 'Lovelace' } },
  verifiedAddresses: new Set(['ada@acme.com']),
  credentials: { password: { hash }, oidc: [{ provider: 'google', subject: 'g-ada' }] },
  source: 'idm.yaml:12:5',
  ...over,
});

const creating = (key: string): IdentityChange => ({ action: 'create', type: 'identity', key, before: null, after: {}, diff: [] });
/** The writer reads only which paths changed; values come from the spec. */
const updating = (key: string, ...paths: string[]): IdentityChange => ({
  action: 'update', type: 'identity', key, before: {}, after: {},
  diff: paths.map((path): FieldDiff => (path === 'credentials.oidc' || path === 'credentials.saml' ? { path, before: [], after: [], added: [], removed: [] } : { path, before: null, after: null })) as [FieldDiff, ...FieldDiff[]],
});
const deleting = (key: string): IdentityChange => ({ action: 'delete', type: 'identity', key, before: {}, after: null, diff: [] });

const only = (live: Live) => {
  expect(live.identities.size).toBe(1);
  return [...live.identities.values()][0]!;
};
const writes = (proxy: LossyProxy): Seen[] => proxy.seen.filter((r) => r.method !== 'GET');

describe('read', () => {
  test('flattens traits, metadata and credentials into the plan paths; secrets only as fingerprints', async () => {
    const { provider, raw } = await setup();
    const created = await raw('POST', '/admin/identities', {
      schema_id: 'employee',
      external_id: 'E-1815',
      state: 'inactive',
      traits: { email: 'Ada@Acme.com', name: { first: 'Ada', last: 'Lovelace' }, tags: ['math', 'engines'], nickname: null, number: 1815 },
      metadata_public: { team: { name: 'engines' }, roles: ['admin'] },
      metadata_admin: 'vip',
      credentials: {
        password: { config: { hashed_password: hash } },
        oidc: { config: { providers: [{ provider: 'google', subject: 'g-ada' }, { provider: 'github', subject: '42' }] } },
        saml: { config: { providers: [{ provider: 'okta', subject: 'ada' }] } },
        totp: { config: { totp_url: totpUrl } },
      },
    });
    expect(created.status).toBe(201);
    await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'bob@acme.com' } });

    const live = await provider.read(byEmail);
    expect(live.identities.size).toBe(2);
    const read = [...live.identities.values()];
    const adaLive = read.find((i) => i.key === 'ada@acme.com')!;
    expect(adaLive.id).toBe(created.json.id);
    expect(adaLive.state).toEqual({
      schema_id: 'employee',
      state: 'inactive',
      external_id: 'E-1815',
      'traits.email': 'Ada@Acme.com',
      'traits.name.first': 'Ada',
      'traits.name.last': 'Lovelace',
      'traits.tags': '["math","engines"]',
      'traits.nickname': 'null',
      'traits.number': 1815,
      'metadata_public.team.name': 'engines',
      'metadata_public.roles': '["admin"]',
      metadata_admin: 'vip',
      'credentials.password': writeOnlyFingerprint(hash),
      'credentials.totp': writeOnlyFingerprint(totpUrl),
      'credentials.oidc': ['github:42', 'google:g-ada'],
      'credentials.saml': ['okta:ada'],
    });
    // Bob has no external id and no credentials: those paths are absent, not empty. Unset metadata reads as null.
    expect(read.find((i) => i.key === 'bob@acme.com')!.state).toEqual({
      schema_id: 'default', state: 'active', 'traits.email': 'bob@acme.com', metadata_public: 'null', metadata_admin: 'null',
    });
    const everything = JSON.stringify([...live.identities.values()]);
    expect(everything).not.toContain(hash);
    expect(everything).not.toContain('JBSWY3DPEHPK3PXP');
  });

  test('matching on external_id keys identities by it; those without one have no key', async () => {
    const { provider, raw } = await setup();
    await raw('POST', '/admin/identities', { schema_id: 'default', external_id: 'u-1', traits: { email: 'ada@acme.com' } });
    await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'bob@acme.com' } });
    const live = await provider.read({ ...byEmail, identities: { match: { by: 'external_id' } } });
    expect([...live.identities.values()].map((i) => i.key).sort()).toEqual(['u-1', null].sort());
  });

  test('follows the Link header over more than 500 identities, asking for the managed credentials on every page', async () => {
    const { provider, proxy, raw } = await setup();
    const total = 1203;
    for (let start = 0; start < total; start += 1000) {
      const identities = Array.from({ length: Math.min(1000, total - start) }, (_, i) => ({
        create: { schema_id: 'default', traits: { email: `user${start + i}@acme.com` }, credentials: { oidc: { config: { providers: [{ provider: 'google', subject: `g${start + i}` }] } } } },
      }));
      expect((await raw('PATCH', '/admin/identities', { identities })).status).toBe(200);
    }
    const progress: number[] = [];
    const live = await provider.read(byEmail, (e) => progress.push(e.done));
    expect(live.identities.size).toBe(total);
    expect(new Set([...live.identities.values()].map((i) => i.key)).size).toBe(total);
    expect([...live.identities.values()].find((i) => i.key === 'user1202@acme.com')!.state['credentials.oidc']).toEqual(['google:g1202']);
    const lists = proxy.seen.filter((r) => r.method === 'GET' && r.path === '/admin/identities');
    expect(lists).toHaveLength(3);
    for (const r of lists) {
      expect(r.query.get('page_size')).toBe('500');
      expect(r.query.getAll('include_credential')).toEqual(['password', 'oidc', 'saml', 'totp', 'lookup_secret']);
    }
    expect(lists[0]!.query.has('page_token')).toBe(false);
    expect(lists[1]!.query.get('page_token')).toBeTruthy();
    expect(progress).toEqual([500, 1000, 1203]);
  });

  test('without identities in the config nothing is read', async () => {
    const { provider, proxy, raw } = await setup();
    await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'ada@acme.com' } });
    const live = await provider.read({ ...byEmail, identities: null });
    expect(live.identities.size).toBe(0);
    expect(proxy.seen).toHaveLength(0);
  });
});

describe('create', () => {
  test('with a password and an oidc link; reading back gives the fingerprint the config has', async () => {
    const { provider, raw } = await setup();
    const spec = ada({ metadataAdmin: { crm: 7 }, externalId: 'u-1' });
    await provider.writer(await provider.read(byEmail)).writeIdentity(creating(spec.key), spec);

    const identity = only(await provider.read(byEmail));
    expect(identity.key).toBe('ada@acme.com');
    expect(identity.state['credentials.password']).toBe(writeOnlyFingerprint(hash));
    expect(identity.state['credentials.oidc']).toEqual(['google:g-ada']);
    expect(identity.state).toMatchObject({ schema_id: 'default', state: 'active', external_id: 'u-1', 'metadata_admin.crm': 7, 'traits.name.first': 'Ada' });
    const stored = (await raw('GET', `/admin/identities/${identity.id}`)).json;
    expect(stored.verifiable_addresses).toEqual([expect.objectContaining({ value: 'ada@acme.com', verified: true, via: 'email' })]);
  });

  test('a create whose answer was lost is found, not sent again; later writes reach the identity it made', async () => {
    const { provider, proxy, raw } = await setup();
    proxy.loseAnswer((r) => r.method === 'POST' && r.path === '/admin/identities');
    const writer = provider.writer(await provider.read(byEmail));
    await writer.writeIdentity(creating('ada@acme.com'), ada());
    expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect((await raw('GET', '/admin/identities')).json).toHaveLength(1);

    await writer.writeIdentity(updating('ada@acme.com', 'traits.name.first'), ada({ traits: { email: 'ada@acme.com', name: { first: 'Augusta', last: 'Lovelace' } } }));
    expect(only(await provider.read(byEmail)).state['traits.name.first']).toBe('Augusta');
  });

  test('the lost-answer check finds an identity that has no credentials and no external id', async () => {
    const { provider, proxy, raw } = await setup();
    proxy.loseAnswer((r) => r.method === 'POST' && r.path === '/admin/identities');
    const spec = ada({ schemaId: 'employee', traits: { email: 'ada@acme.com', number: 1 }, credentials: {}, verifiedAddresses: new Set() });
    await provider.writer(await provider.read(byEmail)).writeIdentity(creating(spec.key), spec);
    expect((await raw('GET', '/admin/identities')).json).toHaveLength(1);
  });

  test('a create that failed before reaching Kratos is sent again', async () => {
    const { provider, proxy, raw } = await setup();
    proxy.failBefore((r) => r.method === 'POST' && r.path === '/admin/identities', 503);
    await provider.writer(await provider.read(byEmail)).writeIdentity(creating('ada@acme.com'), ada());
    expect(proxy.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
    expect((await raw('GET', '/admin/identities')).json).toHaveLength(1);
  });

  test('with a fifth of all requests failing, 40 creates make exactly 40 identities', async () => {
    const { provider, raw } = await setup({ faultRate: 0.2, seed: 7 }, { retries: 10 });
    const writer = provider.writer(await provider.read(byEmail));
    const specs = Array.from({ length: 40 }, (_, i) =>
      ada({ key: `u${i}@acme.com`, traits: { email: `u${i}@acme.com` }, verifiedAddresses: new Set(), credentials: { oidc: [{ provider: 'google', subject: `g${i}` }] }, ...(i % 2 ? { externalId: `e${i}` } : {}) }),
    );
    await Promise.all(specs.map((s) => writer.writeIdentity(creating(s.key), s)));
    expect(provider.stats().retries).toBeGreaterThan(0);
    const stored: { traits: { email: string } }[] = (await raw('GET', '/admin/identities?page_size=500')).json;
    expect(stored.map((i) => i.traits.email).sort()).toEqual(specs.map((s) => s.key).sort());
  });

  test('a 409 names the identity, where the config declares it, the call and who holds the value', async () => {
    const { provider, raw } = await setup();
    const other = await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'ada@acme.com' } });
    // Matched on external id, the identity holding Ada's email is not hers.
    const live = await provider.read({ ...byEmail, identities: { match: { by: 'external_id' } } });
    const error = await provider.writer(live).writeIdentity(creating('u-1'), ada({ key: 'u-1', externalId: 'u-1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdmError);
    const e = error as IdmError;
    expect(e.code).toBe('IDENTITY_CONFLICT');
    expect(e.message).toContain('Cannot create the identity "u-1" (declared at idm.yaml:12:5): POST /admin/identities failed with 409');
    expect(e.message).toContain('This identity conflicts with another identity that already exists.');
    expect(e.message).toContain(`traits.email "ada@acme.com" (identity ${other.json.id})`);
    expect(e.hint).toMatch(/change the value in the config, or change or delete the other identity/);
    expect(e.message + e.hint).not.toContain(hash);
  });

  test('a hash Kratos refuses is reported without the hash', async () => {
    const { provider } = await setup();
    const bad = '$2a$99$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
    const error = (await provider.writer(await provider.read(byEmail)).writeIdentity(creating('ada@acme.com'), ada({ credentials: { password: { hash: bad } } })).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/^POST \/admin\/identities failed with 400: /);
    expect(error.message).not.toContain(bad);
  });
});

describe('update', () => {
  async function withAda(options: KratosEmulatorOptions = {}) {
    const s = await setup(options);
    await s.provider.writer(await s.provider.read(byEmail)).writeIdentity(creating('ada@acme.com'), ada());
    s.proxy.seen.length = 0;
    return s;
  }

  test('a trait change is one JSON Patch of the traits: the oidc link and the password stay', async () => {
    const { provider, proxy } = await withAda();
    const before = only(await provider.read(byEmail));
    const renamed = ada({ traits: { email: 'ada@acme.com', name: { first: 'Augusta', last: 'Lovelace' } } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'traits.name.first'), renamed);

    expect(writes(proxy).map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /admin/identities/${before.id}`]);
    expect(JSON.parse(writes(proxy)[0]!.body)).toEqual([{ op: 'add', path: '/traits', value: renamed.traits }]);
    const after = only(await provider.read(byEmail));
    expect(after.state['traits.name.first']).toBe('Augusta');
    expect(after.state['credentials.oidc']).toEqual(['google:g-ada']);
    expect(after.state['credentials.password']).toBe(before.state['credentials.password']);
  });

  test('state, external id and metadata go in the same patch, only those that changed', async () => {
    const { provider, proxy } = await withAda();
    const spec = ada({ state: 'inactive', externalId: 'u-1', metadataPublic: { plan: 'pro' } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'state', 'external_id', 'metadata_public.plan'), spec);
    expect(JSON.parse(writes(proxy)[0]!.body)).toEqual([
      { op: 'add', path: '/state', value: 'inactive' },
      { op: 'add', path: '/external_id', value: 'u-1' },
      { op: 'add', path: '/metadata_public', value: { plan: 'pro' } },
    ]);
    expect(only(await provider.read(byEmail)).state).toMatchObject({ state: 'inactive', external_id: 'u-1', 'metadata_public.plan': 'pro', 'credentials.oidc': ['google:g-ada'] });
  });

  test('an external id the config no longer declares is cleared, and the identity is no longer found by it', async () => {
    const { provider, proxy, raw } = await withAda();
    const id = only(await provider.read(byEmail)).id;
    await raw('PATCH', `/admin/identities/${id}`, [{ op: 'add', path: '/external_id', value: 'legacy-7' }]);
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'external_id'), ada());
    expect(JSON.parse(writes(proxy).at(-1)!.body)).toEqual([{ op: 'add', path: '/external_id', value: '' }]);
    expect(only(await provider.read(byEmail)).state.external_id).toBeUndefined();
    expect((await raw('GET', '/admin/identities/by/external/legacy-7')).status).toBe(404);
  });

  test('without the config\'s identity an update is refused before anything is sent: only the config holds the secrets', async () => {
    const { provider, proxy } = await withAda();
    const error = (await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.password'), undefined).catch((e: unknown) => e)) as IdmError;
    expect(error.code).toBe('IDENTITY_SPEC_MISSING');
    expect(writes(proxy)).toHaveLength(0);
  });

  test('adding an oidc link sends only the new link; Kratos then holds each link once, and unmanaged metadata survives the PUT', async () => {
    const { provider, proxy, raw } = await withAda();
    const id = only(await provider.read(byEmail)).id;
    await raw('PATCH', `/admin/identities/${id}`, [{ op: 'add', path: '/metadata_admin', value: { crm: 7 } }]);
    const spec = ada({ credentials: { password: { hash }, oidc: [{ provider: 'google', subject: 'g-ada' }, { provider: 'github', subject: '42' }] } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.oidc'), spec);

    const put = writes(proxy).filter((r) => r.method === 'PUT');
    expect(put).toHaveLength(1);
    const body = JSON.parse(put[0]!.body);
    expect(body.credentials).toEqual({ oidc: { config: { providers: [{ provider: 'github', subject: '42' }] } } });
    expect(body.metadata_admin).toEqual({ crm: 7 });
    const stored = (await raw('GET', `/admin/identities/${id}?include_credential=oidc`)).json;
    expect([...stored.credentials.oidc.identifiers].sort()).toEqual(['github:42', 'google:g-ada']);
    expect(stored.credentials.oidc.config.providers).toHaveLength(2);
    expect(stored.metadata_admin).toEqual({ crm: 7 });
    expect(only(await provider.read(byEmail)).state['credentials.password']).toBe(writeOnlyFingerprint(hash));
  });

  test('a PUT adding a link whose answer was lost is not sent again: the link is there once', async () => {
    const { provider, proxy, raw } = await withAda();
    const id = only(await provider.read(byEmail)).id;
    proxy.loseAnswer((r) => r.method === 'PUT');
    const spec = ada({ credentials: { oidc: [{ provider: 'google', subject: 'g-ada' }, { provider: 'github', subject: '42' }] } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.oidc'), spec);
    expect(writes(proxy).filter((r) => r.method === 'PUT')).toHaveLength(1);
    const stored = (await raw('GET', `/admin/identities/${id}?include_credential=oidc`)).json;
    expect(stored.credentials.oidc.config.providers).toHaveLength(2);
  });

  test('removing a link uses the credential delete endpoint, after adding its replacement', async () => {
    const { provider, proxy } = await withAda();
    const id = only(await provider.read(byEmail)).id;
    const spec = ada({ credentials: { password: { hash }, oidc: [{ provider: 'github', subject: '42' }] } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.oidc'), spec);
    const sent = writes(proxy);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /admin/identities/${id}`, `DELETE /admin/identities/${id}/credentials/oidc`]);
    expect(sent[1]!.query.get('identifier')).toBe('google:g-ada');
    expect(only(await provider.read(byEmail)).state['credentials.oidc']).toEqual(['github:42']);
  });

  test('a link DELETE whose answer was lost is sent again, and the 404 that answers it means done', async () => {
    const { provider, proxy } = await withAda();
    const spec = ada({ credentials: { password: { hash }, oidc: [{ provider: 'github', subject: '42' }] } });
    proxy.loseAnswer((r) => r.method === 'DELETE');
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.oidc'), spec);
    expect(writes(proxy).filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect(only(await provider.read(byEmail)).state['credentials.oidc']).toEqual(['github:42']);
  });

  test('removing the only change of links sends no PUT or PATCH', async () => {
    const { provider, proxy } = await withAda();
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.oidc'), ada({ credentials: { password: { hash }, oidc: [] } }));
    expect(writes(proxy).map((r) => r.method)).toEqual(['DELETE']);
    expect(only(await provider.read(byEmail)).state['credentials.oidc']).toBeUndefined();
  });

  test('a password change replaces the hash and keeps the links; a TOTP URL is set the same way', async () => {
    const { provider, proxy } = await withAda();
    const spec = ada({ credentials: { password: { hash: newHash }, oidc: [{ provider: 'google', subject: 'g-ada' }], totp: { url: totpUrl } } });
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.password', 'credentials.totp'), spec);
    const body = JSON.parse(writes(proxy)[0]!.body);
    expect(body.credentials).toEqual({ password: { config: { hashed_password: newHash } }, totp: { config: { totp_url: totpUrl } } });
    const after = only(await provider.read(byEmail)).state;
    expect(after['credentials.password']).toBe(writeOnlyFingerprint(newHash));
    expect(after['credentials.totp']).toBe(writeOnlyFingerprint(totpUrl));
    expect(after['credentials.oidc']).toEqual(['google:g-ada']);
  });

  test('new recovery codes replace the old set: the old is deleted first, since an import appends; links and password stay', async () => {
    const { provider, proxy, raw } = await withAda();
    const codes = (...list: string[]) => ada({ credentials: { ...ada().credentials, lookupSecret: { codes: list } } });
    const first = codes('k7p2-q9z4', 'm3x8-r5t1');
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.lookup_secret'), first);
    const id = only(await provider.read(byEmail)).id;
    // Nothing to remove yet: one PUT importing the codes.
    expect(writes(proxy).map((r) => r.method)).toEqual(['PUT']);
    expect(JSON.parse(writes(proxy)[0]!.body).credentials).toEqual({ lookup_secret: { config: { codes: [{ code: 'k7p2-q9z4' }, { code: 'm3x8-r5t1' }] } } });
    expect(only(await provider.read(byEmail)).state['credentials.lookup_secret']).toBe(writeOnlyFingerprint(['k7p2-q9z4', 'm3x8-r5t1']));

    proxy.seen.length = 0;
    await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'credentials.lookup_secret'), codes('w4n6-h2j8'));
    expect(writes(proxy).map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /admin/identities/${id}/credentials/lookup_secret`, `PUT /admin/identities/${id}`]);
    const stored = (await raw('GET', `/admin/identities/${id}?include_credential=lookup_secret`)).json.credentials.lookup_secret.config.recovery_codes;
    expect(stored.map((c: { code: string }) => c.code)).toEqual(['w4n6-h2j8']);
    const after = only(await provider.read(byEmail)).state;
    expect(after['credentials.lookup_secret']).toBe(writeOnlyFingerprint(['w4n6-h2j8']));
    expect(after['credentials.oidc']).toEqual(['google:g-ada']);
    expect(after['credentials.password']).toBe(writeOnlyFingerprint(hash));
  });

  test('an email taken by another identity is a 409 naming it', async () => {
    const { provider, raw } = await withAda();
    const bob = await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'bob@acme.com' } });
    const spec = ada({ traits: { email: 'bob@acme.com', name: { first: 'Ada', last: 'Lovelace' } } });
    const error = (await provider.writer(await provider.read(byEmail)).writeIdentity(updating('ada@acme.com', 'traits.email'), spec).catch((e: unknown) => e)) as IdmError;
    expect(error.code).toBe('IDENTITY_CONFLICT');
    expect(error.message).toMatch(/^Cannot update the identity "ada@acme.com" \(declared at idm.yaml:12:5\): PATCH \/admin\/identities\/[^ ]+ failed with 409/);
    expect(error.message).toContain(`traits.email "bob@acme.com" (identity ${bob.json.id})`);
  });
});

describe('delete', () => {
  test('deletes by id; a delete whose answer was lost is done', async () => {
    const { provider, proxy, raw } = await setup();
    await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'ada@acme.com' } });
    await raw('POST', '/admin/identities', { schema_id: 'default', traits: { email: 'bob@acme.com' } });
    proxy.loseAnswer((r) => r.method === 'DELETE');
    await provider.writer(await provider.read(byEmail)).writeIdentity(deleting('ada@acme.com'), undefined);
    expect(proxy.seen.filter((r) => r.method === 'DELETE')).toHaveLength(2);
    expect((await raw('GET', '/admin/identities')).json.map((i: { traits: { email: string } }) => i.traits.email)).toEqual(['bob@acme.com']);
  });
});

describe('auth', () => {
  const apiKey = 'ory_pat_Xq8ZtY0uJ3kLm5nB7vC9dF1gH2';

  test('every request carries the API key as a bearer token', async () => {
    const { provider, proxy } = await setup({ apiKey });
    await provider.writer(await provider.read(byEmail)).writeIdentity(creating('ada@acme.com'), ada());
    expect(proxy.seen.length).toBeGreaterThan(1);
    for (const r of proxy.seen) expect(r.headers.authorization).toBe(`Bearer ${apiKey}`);
  });

  test('without a key (self-hosted admin port) no Authorization is sent', async () => {
    const { provider, proxy } = await setup();
    await provider.read(byEmail);
    expect(proxy.seen[0]!.headers.authorization).toBeUndefined();
  });

  test('a refused key exits with 3, names the call and never shows the key', async () => {
    const { provider } = await setup({ apiKey }, { apiKey: 'ory_pat_wrong0000000000000000' });
    const error = (await provider.read(byEmail).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toMatch(/^GET \/admin\/identities failed with 401/);
    expect(error.hint).toMatch(/ory_pat_/);
    expect(`${error.message} ${error.hint}`).not.toContain('ory_pat_wrong');
  });
});
