/** Reading flags, organizations and settings: only what the scope asks for, in the planner's path vocabulary. */
import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import type { ReadScope } from '../../../src/model/plan.js';
import { recordVariableKey } from '../../../src/providers/kinde/state-record.js';
import type { ProgressEvent } from '../../../src/providers/provider.js';
import { fakeOrg, noScope, reply, type FakeKinde } from './fake-kinde.js';
import { fakeProvider } from './providers.js';


const setup = (options: { parallelism?: number } = {}) => fakeProvider(options);

type ScopeIn = Partial<Omit<ReadScope, 'environment'>> & { environment?: Partial<ReadScope['environment']> };
const scope = (s: ScopeIn): ReadScope => ({ ...noScope, ...s, environment: { ...noScope.environment, ...s.environment } });
const details = (d: Partial<ReadScope['organization_details'][string]> = {}) => ({ detail: false, feature_flags: false, passkey: false, properties: false, ...d });

/** A tenant with a bit of everything, none of it read unless asked for. */
function seed(fake: FakeKinde): void {
  const t = fake.tenant;
  t.flags.push(
    { key: 'new_checkout', name: 'New checkout', description: '', type: 'bool', allow_override_level: 'org', default_value: 'false', env: 'true' },
    { key: 'max_seats', name: 'Seats', description: 'd', type: 'int', allow_override_level: 'org', default_value: '5' },
    { key: 'theme', name: 'Theme', description: '', type: 'str', allow_override_level: 'env', default_value: 'blue' },
  );
  t.organizations.push(
    fakeOrg({ code: 'org_default', name: 'Default Organization', is_default: true }),
    fakeOrg({
      code: 'org_acme', name: 'Acme', external_id: 'acme', handle: 'acme_corp', is_auto_membership_enabled: true,
      allowed_domains: ['Acme.com', 'acme.io'], colors: { button_color: '#0056F1', link_color: '#FFF' }, flags: { max_seats: '50' },
      passkey: { policy: 'mandatory', is_override_environment_passkey_settings: true }, writeOnly: { is_enforce_mfa: true },
    }),
    fakeOrg({ code: 'org_globex', name: 'Globex', external_id: 'globex' }),
    fakeOrg({ code: 'org_ui', name: 'Made in the UI' }),
  );
  t.business = { name: 'Acme Inc', has_clickwrap: true, terms_url: 'https://acme.com/terms', privacy_url: null };
  t.environment = { google_analytics_tag: 'G-123', hotjar_site_id: null, contentsquare_tag_id: '' };
  t.passkey = 'optional';
}

const apiRequests = (fake: FakeKinde) => fake.requests.filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);
const base = ['GET /api/v1/permissions', 'GET /api/v1/roles'];

describe('read scope: nothing the scope does not ask for', () => {
  test('no scope: permissions and roles only (1 token + 2 lists on an empty tenant)', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    const live = await provider.read(noScope);
    expect(apiRequests(fake).sort()).toEqual(base);
    expect(provider.stats().requests).toBe(3);
    expect(live).toMatchObject({ featureFlags: new Map(), organizations: new Map(), settings: {}, writeOnly: new Map() });
  });

  test('flags and environment flag values share one request', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    await provider.read(scope({ feature_flags: true, environment: { feature_flags: true } }));
    expect(apiRequests(fake).sort()).toEqual([...base, 'GET /api/v1/environment/feature_flags'].sort());
  });

  test('each singleton read costs one request, and only when asked', async () => {
    const cases: [ScopeIn, string[]][] = [
      [{ feature_flags: true }, ['GET /api/v1/environment/feature_flags']],
      [{ environment: { feature_flags: true } }, ['GET /api/v1/environment/feature_flags']],
      [{ business: true }, ['GET /api/v1/business']],
      [{ environment: { details: true } }, ['GET /api/v1/environment']],
      [{ environment: { passkey: true } }, ['GET /api/v1/passkey']],
      [{ write_only: true }, ['GET /api/v1/environment_variables']],
      [{ organizations: true }, ['GET /api/v1/organizations']],
    ];
    for (const [s, extra] of cases) {
      const { fake, provider } = await setup();
      seed(fake);
      await provider.read(scope(s));
      expect(apiRequests(fake).sort(), JSON.stringify(s)).toEqual([...base, ...extra].sort());
    }
  });

  test('org details: per org only the reads its managed fields need; orgs that do not exist cost nothing', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    await provider.read(scope({
      organizations: true,
      organization_details: {
        acme: details({ detail: true, feature_flags: true, passkey: true }),
        globex: details({ feature_flags: true }),
        initech: details({ detail: true, feature_flags: true, passkey: true }),
        umbrella: details(),
      },
    }));
    expect(apiRequests(fake).filter((r) => !base.includes(r)).sort()).toEqual([
      'GET /api/v1/organization',
      'GET /api/v1/organizations',
      'GET /api/v1/organizations/org_acme/feature_flags',
      'GET /api/v1/organizations/org_acme/passkey',
      'GET /api/v1/organizations/org_globex/feature_flags',
    ]);
    expect(fake.requests.find((r) => r.path === '/api/v1/organization')!.query.get('code')).toBe('org_acme');
  });

  test('everything: 1 token + 2 + 1 (flags) + ceil(O/500) + org details + 1 business + 1 environment + 1 passkey + ceil(V/100)', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    for (let i = 0; i < 1203; i++) fake.tenant.organizations.push(fakeOrg({ code: `org_${i}`, name: `Org ${i}`, external_id: `ext-${i}` }));
    for (let i = 0; i < 250; i++) fake.tenant.variables.push({ id: `v${i}`, key: `OTHER_${i}`, value: 'x', is_secret: false });
    await provider.read(scope({
      feature_flags: true, organizations: true, business: true, write_only: true,
      environment: { details: true, feature_flags: true, passkey: true },
      organization_details: { acme: details({ detail: true, feature_flags: true, passkey: true }), 'ext-7': details({ passkey: true }) },
    }));
    expect(provider.stats().requests).toBe(1 + 2 + 1 + 3 + 4 + 1 + 1 + 1 + 3);
    expect(fake.requests.filter((r) => r.path === '/api/v1/environment_variables').map((r) => r.query.get('starting_after'))).toEqual([null, 'v99', 'v199']);
    expect(fake.requests.filter((r) => r.path === '/api/v1/environment_variables').every((r) => r.query.get('page_size') === '100')).toBe(true);
  });

  test('org detail reads run with bounded concurrency', async () => {
    const { fake, provider } = await setup({ parallelism: 3 });
    for (let i = 0; i < 12; i++) fake.tenant.organizations.push(fakeOrg({ code: `org_${i}`, name: `Org ${i}`, external_id: `ext-${i}` }));
    let inFlight = 0;
    let most = 0;
    fake.intercept = async (req) => {
      if (!req.path.startsWith('/api/v1/organizations/')) return false;
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return false;
    };
    const events: ProgressEvent[] = [];
    await provider.read(
      scope({ organizations: true, organization_details: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`ext-${i}`, details({ feature_flags: true, passkey: true })])) }),
      (e) => events.push(e),
    );
    expect(most).toBeLessThanOrEqual(3);
    expect(events.filter((e) => e.phase === 'organization details').at(-1)).toEqual({ phase: 'organization details', done: 24, total: 24 });
  });
});

describe('read: the path vocabulary of src/plan/flatten.ts', () => {
  test('flags: {type} only (definitions cannot be read back); environment values typed by the flag type', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    const live = await provider.read(scope({ feature_flags: true, environment: { feature_flags: true } }));
    expect([...live.featureFlags.entries()]).toEqual([
      ['max_seats', { key: 'max_seats', state: { type: 'int' } }],
      ['new_checkout', { key: 'new_checkout', state: { type: 'bool' } }],
      ['theme', { key: 'theme', state: { type: 'str' } }],
    ]);
    expect(live.settings.environment).toEqual({ 'feature_flags.new_checkout': true, 'feature_flags.max_seats': 5, 'feature_flags.theme': 'blue' });
  });

  test('environment flag values alone do not make the flags live objects', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    const live = await provider.read(scope({ environment: { feature_flags: true } }));
    expect(live.featureFlags.size).toBe(0);
    expect(live.settings.environment).toMatchObject({ 'feature_flags.max_seats': 5 });
  });

  test('organizations: only those with an external id; colours lower-case #rrggbb, domains lower-case and sorted', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    const live = await provider.read(scope({
      organizations: true,
      organization_details: { acme: details({ detail: true, feature_flags: true, passkey: true }), globex: details() },
    }));
    expect([...live.organizations.keys()]).toEqual(['acme', 'globex']);
    expect(live.organizations.get('globex')).toEqual({
      id: 'org_globex', externalId: 'globex', isDefault: false, state: { name: 'Globex', handle: null, 'policies.auto_membership': false },
    });
    const acme = live.organizations.get('acme')!;
    expect(acme).toMatchObject({ id: 'org_acme', externalId: 'acme', isDefault: false });
    expect(acme.state).toEqual({
      name: 'Acme',
      handle: 'acme_corp',
      'policies.auto_membership': true,
      'policies.allowed_domains': ['acme.com', 'acme.io'],
      'colors.background_color': null,
      'colors.button_color': '#0056f1',
      'colors.button_text_color': null,
      'colors.link_color': '#ffffff',
      'colors.background_color_dark': null,
      'colors.button_color_dark': null,
      'colors.button_text_color_dark': null,
      'colors.link_color_dark': null,
      'feature_flags.new_checkout': true,
      'feature_flags.max_seats': 50,
      'feature_flags.theme': 'blue',
      'passkey.policy': 'mandatory',
      'passkey.override_environment': true,
    });
    // What Kinde cannot read back is absent, not false: the planner then compares fingerprints.
    for (const path of ['policies.enforce_mfa', 'policies.auto_join_domains', 'mfa.factors', 'mfa.recovery_codes']) expect(acme.state).not.toHaveProperty(path);
  });

  test('the default organization is marked, so that it is never deleted', async () => {
    const { fake, provider } = await setup();
    fake.tenant.organizations.push(fakeOrg({ code: 'org_default', name: 'Default', is_default: true, external_id: 'default' }));
    const live = await provider.read(scope({ organizations: true }));
    expect(live.organizations.get('default')!.isDefault).toBe(true);
  });

  test('two organizations with one external id are an error', async () => {
    const { fake, provider } = await setup();
    fake.tenant.organizations.push(fakeOrg({ code: 'a', name: 'A', external_id: 'same' }), fakeOrg({ code: 'b', name: 'B', external_id: 'same' }));
    const error = (await provider.read(scope({ organizations: true })).catch((e: unknown) => e)) as IdmError;
    expect(error).toBeInstanceOf(IdmError);
    expect(error.code).toBe('DUPLICATE_KEY');
  });

  test('business in the config names; tracking IDs null when unset; environment passkey', async () => {
    const { fake, provider } = await setup();
    seed(fake);
    const live = await provider.read(scope({ business: true, environment: { details: true, passkey: true } }));
    expect(live.settings.business).toEqual({ name: 'Acme Inc', policy_acceptance: true, terms_url: 'https://acme.com/terms', privacy_url: null });
    expect(live.settings.environment).toEqual({
      'tracking.google_analytics': 'G-123', 'tracking.hotjar_site_id': null, 'tracking.contentsquare': null, 'passkey.policy': 'optional',
    });
    // Environment MFA has no read.
    expect(Object.keys(live.settings.environment!).some((p) => p.startsWith('mfa.'))).toBe(false);
  });

  test('a Hotjar site id sent as a number (as the spec example shows) reads as text', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/environment') return false;
      reply(res, 200, { environment: { hotjar_site_id: 404009, google_analytics_tag: null } });
      return true;
    };
    const live = await provider.read(scope({ environment: { details: true } }));
    expect(live.settings.environment).toEqual({ 'tracking.google_analytics': null, 'tracking.hotjar_site_id': '404009', 'tracking.contentsquare': null });
  });

  test('flag values that do not fit their type are kept as sent, so the plan shows them', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/environment/feature_flags') return false;
      reply(res, 200, { feature_flags: { a: { type: 'int', value: 'lots' }, b: { type: 'bool', value: 'yes' }, c: { type: 'int', value: '-7' }, d: { type: 'bool', value: true } } });
      return true;
    };
    const live = await provider.read(scope({ environment: { feature_flags: true } }));
    expect(live.settings.environment).toEqual({ 'feature_flags.a': 'lots', 'feature_flags.b': 'yes', 'feature_flags.c': -7, 'feature_flags.d': true });
  });

  test('a next_token on the environment flags is followed; one repeated (the operation takes no paging) ends it', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/environment/feature_flags') return false;
      const second = req.query.get('next_token') === 't1';
      reply(res, 200, { feature_flags: second ? { b: { type: 'str', value: 'B' } } : { a: { type: 'str', value: 'A' } }, next_token: 't1' });
      return true;
    };
    const live = await provider.read(scope({ environment: { feature_flags: true } }));
    expect(live.settings.environment).toEqual({ 'feature_flags.a': 'A', 'feature_flags.b': 'B' });
    expect(fake.count('/api/v1/environment/feature_flags')).toBe(2);
  });
});

describe('read: the state record', () => {
  const record = (object: string, fields: Record<string, unknown>) => JSON.stringify({ v: 1, object, fields });

  test('IDM_WO_ variables become Live.writeOnly; other variables and malformed records are ignored', async () => {
    const { fake, provider } = await setup();
    const acme = recordVariableKey('organization:acme');
    fake.tenant.variables.push(
      { id: 'v1', key: acme, value: record('organization:acme', { 'policies.enforce_mfa': 'abcd' }), is_secret: false },
      { id: 'v2', key: 'MY_API_KEY', value: record('organization:acme', {}), is_secret: false },
      { id: 'v3', key: recordVariableKey('organization:globex'), value: '{not json', is_secret: false },
      { id: 'v4', key: recordVariableKey('feature_flag:x'), value: record('feature_flag:x', { name: 7 }), is_secret: false },
      { id: 'v5', key: recordVariableKey('feature_flag:y'), value: JSON.stringify({ v: 2, object: 'feature_flag:y', fields: {} }), is_secret: false },
      // A record copied under another object's name would describe the wrong object.
      { id: 'v6', key: recordVariableKey('feature_flag:z'), value: record('organization:acme', { name: 'x' }), is_secret: false },
      { id: 'v7', key: recordVariableKey('environment:environment'), value: record('environment:environment', { 'mfa.policy': 'f1' }), is_secret: true },
      { id: 'v8', key: recordVariableKey('feature_flag:ok'), value: record('feature_flag:ok', { name: 'n1', description: 'd1' }), is_secret: false },
    );
    const live = await provider.read(scope({ write_only: true }));
    expect(live.writeOnly).toEqual(new Map([
      ['organization:acme', new Map([['policies.enforce_mfa', 'abcd']])],
      ['feature_flag:ok', new Map([['name', 'n1'], ['description', 'd1']])],
    ]));
  });

  test('variable keys: IDM_WO_ and 24 upper-case hex digits of sha256 of the object key', () => {
    expect(recordVariableKey('organization:acme')).toMatch(/^IDM_WO_[0-9A-F]{24}$/);
    expect(recordVariableKey('organization:acme')).not.toBe(recordVariableKey('organization:acme2'));
  });

  test('a listing that says it has more but gives nothing new stops with an error', async () => {
    const { fake, provider } = await setup();
    fake.intercept = (req, res) => {
      if (req.path !== '/api/v1/environment_variables') return false;
      reply(res, 200, { environment_variables: [{ id: 'v1', key: 'A', value: 'a' }], has_more: true });
      return true;
    };
    await expect(provider.read(scope({ write_only: true }))).rejects.toThrow(/has more/);
  });
});
