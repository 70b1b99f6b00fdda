/** GET /admin/identities: pagination, filters, credentials on demand (reference §7, §10.10). */
import { describe, expect, test } from 'vitest';
import type { Call } from '../client.js';
import { bcryptHash, kratosEmulators, person } from './emulator.js';

const start = kratosEmulators();

async function seed(call: Call, count: number): Promise<string[]> {
  const identities = Array.from({ length: count }, (_, i) => ({ create: person(`user${i}@example.com`, { credentials: { password: { config: { hashed_password: bcryptHash } } } }) }));
  const answer = await call('PATCH', '/admin/identities', { identities });
  return (answer.body.identities as { identity: string }[]).map((r) => r.identity).sort();
}

const links = (header: string | null): Record<string, string> =>
  Object.fromEntries([...(header ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2]!, m[1]!]));

describe('keyset pagination', () => {
  test('pages by id with Link rel="first" and rel="next", no next on the last page and no total', async () => {
    const { call } = await start();
    const ids = await seed(call, 5);
    const seen: string[] = [];
    let path: string | undefined = '/admin/identities?page_size=2';
    let pages = 0;
    while (path) {
      const page = await call('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-total-count')).toBeNull();
      const rel = links(page.headers.get('link'));
      expect(rel.first).toBe('/admin/identities?page_size=2&page_token=00000000-0000-0000-0000-000000000000');
      seen.push(...page.body.map((i: { id: string }) => i.id));
      path = rel.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  test('page_size defaults to 250 and is clamped to 500; per_page alone stands for page_size', async () => {
    const { call } = await start();
    await seed(call, 501);
    expect((await call('GET', '/admin/identities')).body).toHaveLength(250);
    const clamped = await call('GET', '/admin/identities?page_size=1000');
    expect(clamped.body).toHaveLength(500);
    expect(links(clamped.headers.get('link')).next).toMatch(/page_size=500&page_token=/);
    const alias = await call('GET', '/admin/identities?per_page=3');
    expect(alias.body).toHaveLength(3);
    expect(links(alias.headers.get('link')).next).toMatch(/^\/admin\/identities\?page_size=3&page_token=/);
  });

  test('a page token that is not an id is refused', async () => {
    const { call } = await start();
    const refused = await call('GET', '/admin/identities?page_token=forged');
    expect(refused.body.error).toMatchObject({ code: 400, reason: 'The page token is invalid, do not craft your own page tokens' });
  });

  test('legacy page/per_page answers X-Total-Count and refuses going past 1000 items', async () => {
    const { call } = await start();
    await seed(call, 5);
    const page = await call('GET', '/admin/identities?page=1&per_page=2');
    expect(page.body).toHaveLength(2);
    expect(page.headers.get('x-total-count')).toBe('5');
    expect((await call('GET', '/admin/identities?page=11&per_page=100')).body.error.reason).toBe(
      'Legacy pagination is not supported for enumerating over 1000 items. Please switch to using page_token and page_size.',
    );
  });
});

describe('credentials on demand', () => {
  test('without a filter or include_credential there are no credentials, but admin metadata is there', async () => {
    const { call } = await start();
    await call('POST', '/admin/identities', person('a@example.com', { metadata_admin: { tier: 1 }, credentials: { password: { config: { hashed_password: bcryptHash } } } }));
    const [identity] = (await call('GET', '/admin/identities')).body;
    expect(identity).not.toHaveProperty('credentials');
    expect(identity.metadata_admin).toEqual({ tier: 1 });
  });

  test('include_credential gives config only for the listed types', async () => {
    const { call } = await start();
    await call('POST', '/admin/identities', person('a@example.com', { credentials: { password: { config: { hashed_password: bcryptHash } }, totp: { config: { totp_url: 'otpauth://totp/a' } } } }));
    const [identity] = (await call('GET', '/admin/identities?include_credential=totp')).body;
    expect(identity.credentials.totp.config).toEqual({ totp_url: 'otpauth://totp/a' });
    expect(identity.credentials.password).not.toHaveProperty('config');
    expect((await call('GET', '/admin/identities?include_credential=magic')).body.error.reason).toBe('Invalid value `magic` for parameter `include_credential`.');
  });
});

describe('filters', () => {
  test('credentials_identifier matches a password identifier case-insensitively and OIDC exactly, with credentials', async () => {
    const { call } = await start();
    await seed(call, 3);
    await call('POST', '/admin/identities', person('sso@example.com', { credentials: { oidc: { config: { providers: [{ provider: 'google', subject: 'AbC' }] } } } }));
    const byEmail = (await call('GET', '/admin/identities?credentials_identifier=USER1%40Example.com')).body;
    expect(byEmail.map((i: { traits: { email: string } }) => i.traits.email)).toEqual(['user1@example.com']);
    expect(byEmail[0].credentials.password).not.toHaveProperty('config');
    expect((await call('GET', '/admin/identities?credentials_identifier=google%3AAbC')).body).toHaveLength(1);
    expect((await call('GET', '/admin/identities?credentials_identifier=google%3Aabc')).body).toEqual([]);
    expect((await call('GET', '/admin/identities?credentials_identifier=nobody%40example.com')).body).toEqual([]);
  });

  test('preview_credentials_identifier_similar matches identifier prefixes, normalised like exact matches', async () => {
    const { call } = await start();
    await seed(call, 12);
    const similar = (await call('GET', '/admin/identities?preview_credentials_identifier_similar=USER1')).body;
    expect(similar.map((i: { traits: { email: string } }) => i.traits.email).sort()).toEqual(['user10@example.com', 'user11@example.com', 'user1@example.com']);
    expect((await call('GET', '/admin/identities?preview_credentials_identifier_similar=user1&credentials_identifier=user1%40example.com')).status).toBe(400);
  });

  test('ids selects identities; a non-UUID id is a 400', async () => {
    const { call } = await start();
    const ids = await seed(call, 4);
    const picked = (await call('GET', `/admin/identities?ids=${ids[3]}&ids=${ids[1]}`)).body;
    expect(picked.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[3]]);
    expect((await call('GET', '/admin/identities?ids=nope')).body.error.reason).toBe('Invalid UUID value `nope` for parameter `ids`.');
  });

  test('filters cannot be combined, but include_credential goes with any', async () => {
    const { call } = await start();
    const ids = await seed(call, 1);
    const refused = await call('GET', `/admin/identities?ids=${ids[0]}&credentials_identifier=user0%40example.com`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toContain('cannot combine multiple filters');
    const combined = await call('GET', '/admin/identities?credentials_identifier=user0%40example.com&include_credential=password');
    expect(combined.body[0].credentials.password.config.hashed_password).toBe(bcryptHash);
  });

  test('organization_id filters on the identity\'s organization', async () => {
    const { call } = await start();
    const org = '4b0f5c6e-2a8d-4f43-9a55-3c1a9b3e7d10';
    await call('POST', '/admin/identities', person('a@example.com', { organization_id: org }));
    await call('POST', '/admin/identities', person('b@example.com'));
    expect((await call('GET', `/admin/identities?organization_id=${org}`)).body.map((i: { traits: { email: string } }) => i.traits.email)).toEqual(['a@example.com']);
  });
});
