/**
 * The conformance harness wired to the Kratos spec must fail loudly too: a deliberately wrong upstream shows each
 * kind of violation reaching `violations()`, so that conformance.test.ts passing means something. (Against the
 * spec as shipped, Prism 5 validated none of these on the identity operations: see test/helpers/prism-spec.ts.)
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { kratosSpecForPrism } from '../../helpers/prism-spec.js';
import { startConformanceProxy, type ConformanceProxy } from '../../helpers/prism.js';
import { caller } from '../client.js';

let upstream: Server;
let proxy: ConformanceProxy;

const id = '0b9e2a40-5f7c-4c4e-9d5b-0a4a39d1c001';

/** Answers every request wrongly in one way chosen by method and path. */
const wrongAnswers: Record<string, { status: number; body: unknown }> = {
  'GET /admin/identities': { status: 200, body: { identities: [] } },
  'POST /admin/identities': { status: 200, body: { id, schema_id: 'default', schema_url: 'x', traits: {} } },
  [`GET /admin/identities/${id}`]: { status: 200, body: { id: 'not-a-uuid', schema_id: 'default', schema_url: 'x', traits: {} } },
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const answer = wrongAnswers[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`] ?? { status: 200, body: {} };
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  proxy = await startConformanceProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, { spec: await kratosSpecForPrism(), direct: () => false });
});

afterAll(async () => {
  await proxy?.close();
  upstream?.close();
});

test('reports wrong bodies, undeclared statuses, bad requests and a missing API key against the Kratos spec', async () => {
  const call = caller(proxy.url, 'ory_pat_any');
  expect((await call('GET', '/admin/identities')).status).toBe(500);
  expect((await call('POST', '/admin/identities', { schema_id: 'default', traits: {} })).status).toBe(500);
  expect((await call('GET', `/admin/identities/${id}`)).status).toBe(500);
  // The spec requires schema_id, traits and state on PUT (Kratos itself does not): Prism refuses before forwarding.
  expect((await call('PUT', `/admin/identities/${id}`, { traits: {} })).status).toBe(422);
  expect((await call('GET', `/admin/identities/${id}?include_credential=magic`)).status).toBe(422);
  expect((await caller(proxy.url, undefined)('GET', '/admin/identities')).status).toBe(401);

  const found = proxy.violations().join('\n');
  expect(found).toMatch(/GET \/admin\/identities -> 500: \[Error\] response\.body .*must be array/);
  // Every Kratos operation declares `default` (errorGeneric): a 200 where 201 is due is checked against it.
  expect(found).toMatch(/POST \/admin\/identities -> 500: \[Error\] response\.body .*required property 'error'/);
  expect(found).toMatch(/GET \/admin\/identities\/\S+ -> 500: \[Error\] response\.body\.id .*must match format "uuid"/);
  expect(found).toMatch(/PUT \/admin\/identities\/\S+ -> 422: \[Error\] body .*required property 'schema_id'/);
  expect(found).toMatch(/include_credential=magic -> 422: \[Error\] query\.include_credential/);
  expect(found).toMatch(/GET \/admin\/identities -> 401: Invalid security scheme used/);
});
