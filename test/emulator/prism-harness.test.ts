/**
 * The conformance harness must fail loudly, or a green conformance test means nothing: here a deliberately wrong
 * upstream shows each kind of violation Prism reports in proxy mode reaching `violations()`.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startConformanceProxy, type ConformanceProxy } from '../helpers/prism.js';
import { caller } from './client.js';

let upstream: Server;
let proxy: ConformanceProxy;

/** Answers every request wrongly in one way chosen by the path. */
const wrongAnswers: Record<string, { status: number; body: unknown }> = {
  '/api/v1/roles': { status: 200, body: { roles: 'not an array' } },
  '/api/v1/permissions': { status: 202, body: { code: 'OK' } },
  '/api/v1/environment': { status: 404, body: { errors: { code: 'ROUTE_NOT_FOUND' } } },
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const answer = wrongAnswers[new URL(req.url ?? '/', 'http://x').pathname] ?? { status: 200, body: {} };
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  proxy = await startConformanceProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await proxy?.close();
  upstream?.close();
});

test('reports response, status and request violations, and requests Prism refuses itself', async () => {
  const call = caller(proxy.url, 'any.bearer.token');
  // A body that breaks the schema: Prism replaces the answer with 500 problem+json (type VIOLATIONS).
  expect((await call('GET', '/api/v1/roles')).status).toBe(500);
  // An undeclared 2xx status is an error too; an undeclared 4xx only a warning, and the answer passes through.
  expect((await call('GET', '/api/v1/permissions')).status).toBe(500);
  expect((await call('GET', '/api/v1/environment')).status).toBe(404);
  // A request that breaks the spec is refused with 422 before it reaches the upstream.
  expect((await call('GET', '/api/v1/roles?sort=sideways')).status).toBe(422);
  expect((await call('PATCH', '/api/v1/roles/r1', { name: 'No key' })).status).toBe(422);
  // No bearer token: Prism answers 401 itself, so such cases are tested against the emulator directly.
  expect((await caller(proxy.url, undefined)('GET', '/api/v1/roles')).status).toBe(401);

  const found = proxy.violations().join('\n');
  expect(found).toMatch(/GET \/api\/v1\/roles -> 500: \[Error\] response\.body\.roles .*must be array/);
  expect(found).toMatch(/GET \/api\/v1\/permissions -> 500: \[Error\] response Unable to match the returned status code/);
  expect(found).toMatch(/GET \/api\/v1\/environment -> 404: \[Warning\] response Unable to match the returned status code/);
  expect(found).toMatch(/GET \/api\/v1\/roles\?sort=sideways -> 422: \[Error\] query\.sort .*allowed values/);
  expect(found).toMatch(/PATCH \/api\/v1\/roles\/r1 -> 422: \[Error\] body .*required property 'key'/);
  expect(found).toMatch(/GET \/api\/v1\/roles -> 401: Invalid security scheme used/);
});
