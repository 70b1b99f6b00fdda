/**
 * Every request the Kratos provider makes, through Prism against Kratos's OpenAPI spec: a read, a create with every
 * credential idm imports, a trait patch, a PUT adding a link, an unlink, a password change, a conflict and a delete.
 * A request valid here is one the real admin API accepts the shape of.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startKratosEmulator, type KratosEmulator } from '../../../src/emulator/kratos/index.js';
import type { IdentityRecordSpec } from '../../../src/model/desired.js';
import type { FieldDiff, IdentityChange, ReadScope } from '../../../src/model/plan.js';
import { createKratosProvider } from '../../../src/providers/kratos/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import { startConformanceProxy, type ConformanceProxy } from '../../helpers/prism.js';
import { kratosSpecForPrism } from '../../helpers/prism-spec.js';

const apiKey = 'ory_pat_conformance0000000000000';
const scope: ReadScope = {
  feature_flags: false, organizations: false, organization_details: {}, business: false,
  environment: { details: false, feature_flags: false, passkey: false }, write_only: false,
  users: { list: false, member_orgs: [], match: {}, permissions: [], properties: [] },
  identities: { match: { by: 'trait', path: ['email'] } },
};

let emulator: KratosEmulator;
let prism: ConformanceProxy;
let provider: Provider;

beforeAll(async () => {
  emulator = await startKratosEmulator({ apiKey });
  prism = await startConformanceProxy(emulator.url, { spec: await kratosSpecForPrism(), direct: () => false });
  provider = createKratosProvider({ adminUrl: prism.url, apiKey }, { baseDelayMs: 1, maxDelayMs: 5 });
}, 120_000);

afterAll(async () => {
  await provider?.close();
  await prism?.close();
  await emulator?.close();
});

const spec = (over: Partial<IdentityRecordSpec> = {}): IdentityRecordSpec => ({
  key: 'ada@acme.com',
  schemaId: 'default',
  state: 'active',
  externalId: 'u-1',
  traits: { email: 'ada@acme.com', name: { first: 'Ada', last: 'Lovelace' } },
  metadataPublic: { plan: 'pro' },
  metadataAdmin: null,
  verifiedAddresses: new Set(['ada@acme.com']),
  credentials: {
    password: { hash: '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq' },
    oidc: [{ provider: 'google', subject: 'g-ada' }],
    saml: [{ provider: 'okta', subject: 'ada' }],
    totp: { url: 'otpauth://totp/Acme:ada@acme.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme' },
  },
  ...over,
});

const change = (action: 'create' | 'update' | 'delete', key: string, ...paths: string[]): IdentityChange =>
  action === 'create'
    ? { action, type: 'identity', key, before: null, after: {}, diff: [] }
    : action === 'delete'
      ? { action, type: 'identity', key, before: {}, after: null, diff: [] }
      : { action, type: 'identity', key, before: {}, after: {}, diff: paths.map((path): FieldDiff => ({ path, before: null, after: null })) as [FieldDiff, ...FieldDiff[]] };

test('the provider speaks the spec: zero violations over a full life cycle', async () => {
  const write = async (c: IdentityChange, s?: IdentityRecordSpec) => provider.writer(await provider.read(scope)).writeIdentity(c, s);
  await write(change('create', 'ada@acme.com'), spec());
  await write(change('update', 'ada@acme.com', 'traits.name.first', 'state'), spec({ state: 'inactive', traits: { email: 'ada@acme.com', name: { first: 'Augusta' } } }));
  const links = { oidc: [{ provider: 'github', subject: '42' }], saml: [{ provider: 'okta', subject: 'ada' }] };
  await write(change('update', 'ada@acme.com', 'credentials.oidc', 'credentials.password', 'metadata_public'), spec({ metadataPublic: undefined, credentials: { ...spec().credentials, ...links, password: { hash: '$2a$10$hOqZ7i6Ga2sZg4YrLyD7ReiEHovk0tiNzeOmoHB0zP/3fDrDbpcbO' } } }));
  await write(change('create', 'bob@acme.com'), spec({ key: 'bob@acme.com', externalId: 'u-2', traits: { email: 'bob@acme.com' }, credentials: {}, verifiedAddresses: new Set() }));
  const conflict = await write(change('update', 'bob@acme.com', 'traits.email'), spec({ key: 'bob@acme.com', externalId: 'u-2', traits: { email: 'ada@acme.com' }, credentials: {} })).catch((e: unknown) => e);
  expect(conflict).toMatchObject({ code: 'IDENTITY_CONFLICT' });
  await write(change('delete', 'bob@acme.com'));

  const live = await provider.read(scope);
  expect([...live.identities.values()].map((i) => i.state['credentials.oidc'])).toEqual([['github:42']]);
  expect(prism.violations()).toEqual([]);
}, 120_000);
