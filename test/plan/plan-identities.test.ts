import { describe, expect, it } from 'vitest';
import type { IdentityRecordSpec } from '../../src/model/desired.js';
import type { LiveIdentity } from '../../src/model/live.js';
import { isDestructive, type FlatState } from '../../src/model/plan.js';
import { writeOnlyFingerprint } from '../../src/plan/fingerprint.js';
import { plan } from '../../src/plan/plan.js';
import { renderJson } from '../../src/render/json.js';
import { renderText } from '../../src/render/text.js';
import { desired, live } from '../helpers/model.js';

const kratos = { provider: 'kratos', url: 'http://127.0.0.1:4434', local: false } as const;
const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';

const ada: IdentityRecordSpec = {
  key: 'ada@ledgerly.example',
  schemaId: 'default',
  state: 'active',
  traits: { email: 'ada@ledgerly.example', name: { first: 'Ada', last: 'Lovelace' } },
  verifiedAddresses: new Set(['ada@ledgerly.example']),
  credentials: { password: { hash }, oidc: [{ provider: 'google', subject: '1098' }] },
};

const adaState: FlatState = {
  schema_id: 'default', state: 'active', 'traits.email': 'ada@ledgerly.example', 'traits.name.first': 'Ada', 'traits.name.last': 'Lovelace',
  'credentials.password': writeOnlyFingerprint(hash), 'credentials.oidc': ['google:1098'],
};
const adaLive = (state: FlatState = {}, drop: string[] = []): LiveIdentity => ({
  id: '0b8f5a52-0000-4000-8000-000000000001', key: 'ada@ledgerly.example',
  state: Object.fromEntries(Object.entries({ ...adaState, ...state }).filter(([p]) => !drop.includes(p))),
});

type Row = {
  name: string; identities: IdentityRecordSpec[]; live: LiveIdentity[]; prune?: boolean;
  changes: string[]; diff?: Record<string, unknown>[]; destructive?: boolean;
};

const rows: Row[] = [
  { name: 'a missing identity is created', identities: [ada], live: [], changes: ['create identity ada@ledgerly.example'] },
  { name: 'the same identity (password by fingerprint) is no change', identities: [ada], live: [adaLive()], changes: [] },
  {
    name: 'a trait change is one path, credentials untouched',
    identities: [{ ...ada, traits: { ...ada.traits, name: { first: 'Augusta', last: 'Lovelace' } } }], live: [adaLive()],
    changes: ['update identity ada@ledgerly.example'], diff: [{ path: 'traits.name.first', before: 'Ada', after: 'Augusta' }], destructive: false,
  },
  {
    name: 'traits are owned whole: an undeclared live trait is removed',
    identities: [ada], live: [adaLive({ 'traits.phone': '+4420' })],
    changes: ['update identity ada@ledgerly.example'], diff: [{ path: 'traits.phone', before: '+4420', after: null }],
  },
  {
    name: 'an added oidc link is an addition, not destructive',
    identities: [{ ...ada, credentials: { ...ada.credentials, oidc: [{ provider: 'google', subject: '1098' }, { provider: 'github', subject: '77' }] } }],
    live: [adaLive()], changes: ['update identity ada@ledgerly.example'],
    diff: [{ path: 'credentials.oidc', before: ['google:1098'], after: ['github:77', 'google:1098'], added: ['github:77'], removed: [] }], destructive: false,
  },
  {
    name: 'a removed oidc link is destructive',
    identities: [{ ...ada, credentials: { password: { hash }, oidc: [] } }], live: [adaLive()],
    changes: ['update identity ada@ledgerly.example'], destructive: true,
  },
  {
    name: 'links not declared are not managed',
    identities: [{ ...ada, credentials: { password: { hash } } }], live: [adaLive({ 'credentials.saml': ['okta:ada'] })], changes: [],
  },
  {
    name: 'a password declared but absent in the tenant is set',
    identities: [ada], live: [adaLive({}, ['credentials.password'])],
    changes: ['update identity ada@ledgerly.example'], diff: [{ path: 'credentials.password', before: null, after: writeOnlyFingerprint(hash) }],
  },
  {
    name: 'recovery codes are one set: the same codes in another order (or repeated) are no change',
    identities: [{ ...ada, credentials: { ...ada.credentials, lookupSecret: { codes: ['b-2', 'a-1', 'b-2'] } } }],
    live: [adaLive({ 'credentials.lookup_secret': writeOnlyFingerprint(['a-1', 'b-2']) })], changes: [],
  },
  {
    name: 'changed recovery codes are one fingerprint path, not destructive',
    identities: [{ ...ada, credentials: { ...ada.credentials, lookupSecret: { codes: ['a-1', 'c-3'] } } }],
    live: [adaLive({ 'credentials.lookup_secret': writeOnlyFingerprint(['a-1', 'b-2']) })], changes: ['update identity ada@ledgerly.example'],
    diff: [{ path: 'credentials.lookup_secret', before: writeOnlyFingerprint(['a-1', 'b-2']), after: writeOnlyFingerprint(['a-1', 'c-3']) }], destructive: false,
  },
  {
    name: 'an initial password is not compared once the identity has one (the user changed it, or Kratos re-hashed it)',
    identities: [{ ...ada, credentials: { ...ada.credentials, password: { hash, initial: true } } }],
    live: [adaLive({ 'credentials.password': writeOnlyFingerprint('$2a$12$rehashedAtSignIn') })], changes: [],
  },
  {
    name: 'an initial password is set on an identity that has none',
    identities: [{ ...ada, credentials: { ...ada.credentials, password: { hash, initial: true } } }], live: [adaLive({}, ['credentials.password'])],
    changes: ['update identity ada@ledgerly.example'], diff: [{ path: 'credentials.password', before: null, after: writeOnlyFingerprint(hash) }],
  },
  {
    name: 'an initial password does not hide the other changes',
    identities: [{ ...ada, traits: { ...ada.traits, name: { first: 'Augusta', last: 'Lovelace' } }, credentials: { ...ada.credentials, password: { hash, initial: true } } }],
    live: [adaLive({ 'credentials.password': writeOnlyFingerprint('$2a$12$rehashedAtSignIn') })],
    changes: ['update identity ada@ledgerly.example'], diff: [{ path: 'traits.name.first', before: 'Ada', after: 'Augusta' }],
  },
  {
    name: 'metadata not declared is not managed; null metadata is none',
    identities: [ada, { ...ada, key: 'bob@x.io', traits: { email: 'bob@x.io' }, metadataPublic: {}, credentials: {} }],
    live: [adaLive({ 'metadata_public.plan': 'pro' }), { id: 'b', key: 'bob@x.io', state: { schema_id: 'default', state: 'active', 'traits.email': 'bob@x.io', metadata_public: 'null' } }],
    changes: [],
  },
  {
    name: 'declared metadata replaces the live object',
    identities: [{ ...ada, metadataAdmin: { tier: 'gold' } }], live: [adaLive({ 'metadata_admin.tier': 'silver', 'metadata_admin.note': 'x' })],
    changes: ['update identity ada@ledgerly.example'],
    diff: [{ path: 'metadata_admin.tier', before: 'silver', after: 'gold' }, { path: 'metadata_admin.note', before: 'x', after: null }],
  },
  {
    name: 'identities not in the config are left alone',
    identities: [], live: [adaLive()], changes: [],
  },
  {
    name: 'with prune they are deleted, keyed by their match value (or id without one)',
    identities: [], live: [adaLive(), { id: 'c0ffee', key: null, state: { schema_id: 'default', state: 'active' } }], prune: true,
    changes: ['delete identity ada@ledgerly.example', 'delete identity c0ffee'], destructive: true,
  },
];

describe('plan: Kratos identities', () => {
  it.each(rows)('$name', (row) => {
    const result = plan(desired({ identities: row.identities, prune: { identities: row.prune ?? false } }), live({ identities: row.live }), kratos);
    expect(result.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual(row.changes);
    if (row.diff) expect(result.changes[0]!.diff).toEqual(row.diff);
    if (row.destructive !== undefined) expect(result.changes.every((c) => isDestructive(c) === row.destructive)).toBe(true);
  });

  it('reads identities only when the config has some, matched as the config says', () => {
    const by = { by: 'external_id' } as const;
    expect(plan(desired({ identities: [ada], identityMatch: by }), live(), kratos).read_scope.identities).toEqual({ match: by });
    expect(plan(desired(), live(), kratos).read_scope.identities).toBeNull();
  });

  it('never shows a password hash or its fingerprint, in text or JSON', () => {
    const result = plan(desired({ identities: [ada] }), live(), kratos);
    const text = renderText(result, { color: false });
    expect(text).toContain('credentials.password');
    expect(text).toContain('(sensitive)');
    expect(text).not.toContain(writeOnlyFingerprint(hash));
    expect(renderJson(result)).not.toContain(hash);
  });

  it('shows recovery codes as (sensitive): never the codes, nor their fingerprint in text', () => {
    const codes = ['k7p2-q9z4-x1', 'm3x8-r5t1-y2'];
    const result = plan(desired({ identities: [{ ...ada, credentials: { lookupSecret: { codes } } }] }), live({ identities: [adaLive()] }), kratos);
    const text = renderText(result, { color: false });
    expect(text).toContain('~ credentials.lookup_secret = null -> (sensitive)');
    for (const secret of [...codes, writeOnlyFingerprint(codes)]) expect(text).not.toContain(secret);
    for (const code of codes) expect(renderJson(result)).not.toContain(code);
  });

  it('says in the plan that removing a link needs --allow-delete', () => {
    const result = plan(desired({ identities: [{ ...ada, credentials: { oidc: [] } }] }), live({ identities: [adaLive()] }), kratos);
    expect(renderText(result, { color: false })).toContain('unlinks a credential: needs --allow-delete');
  });
});
