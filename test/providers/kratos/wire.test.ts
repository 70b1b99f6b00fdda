/** What the Kratos provider makes of URLs, Link headers and error bodies, before any request is sent. */
import { describe, expect, test } from 'vitest';
import { ApiError, IdmError } from '../../../src/errors.js';
import { nextPageToken } from '../../../src/providers/kratos/client.js';
import { kratosApiError, parseKratosProblem, redactor } from '../../../src/providers/kratos/errors.js';
import { createKratosProvider, kratosAdminBase } from '../../../src/providers/kratos/index.js';

describe('the admin URL', () => {
  test('no scheme means https; a trailing slash or the /admin prefix is dropped; a proxy path is kept', () => {
    expect(kratosAdminBase('acme.projects.oryapis.com')).toEqual({ origin: 'https://acme.projects.oryapis.com', basePath: '', url: 'https://acme.projects.oryapis.com' });
    expect(kratosAdminBase('https://acme.projects.oryapis.com/admin/').url).toBe('https://acme.projects.oryapis.com');
    expect(kratosAdminBase('https://gw.acme.com/kratos/')).toEqual({ origin: 'https://gw.acme.com', basePath: '/kratos', url: 'https://gw.acme.com/kratos' });
    expect(kratosAdminBase('http://127.0.0.1:4434').url).toBe('http://127.0.0.1:4434');
  });

  test('plain http only to loopback, since the API key and every identity would travel in clear', () => {
    for (const url of ['http://kratos-admin.internal:4434', 'http://10.0.0.4:4434']) {
      const error = (() => {
        try {
          kratosAdminBase(url);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, url).toBeInstanceOf(IdmError);
      expect((error as IdmError).message).toMatch(/unencrypted/);
      expect((error as IdmError).hint).toMatch(/^use https:\/\//);
    }
  });

  test('credentials, queries and other schemes are refused', () => {
    for (const url of ['', 'https://user:ory_pat_x@acme.com', 'https://acme.com/?x=1', 'ftp://acme.com']) expect(() => kratosAdminBase(url), url).toThrow(IdmError);
  });

  test('an empty API key is refused before anything is sent', () => {
    expect(() => createKratosProvider({ adminUrl: 'http://127.0.0.1:1', apiKey: ' ' })).toThrow(/API key is empty/);
  });
});

describe('Link pagination', () => {
  test('the next link gives the page token; its host and path are ignored', () => {
    const link = '<https://public.example/admin/identities?page_size=500&page_token=abc%3D%3D>; rel="first",<https://public.example/admin/identities?page_size=500&page_token=n3xt>; rel="next"';
    expect(nextPageToken(link)).toBe('n3xt');
    expect(nextPageToken(['</admin/identities?page_token=a>; rel="first"', '</admin/identities?page_token=b&page_size=2>; rel="next"'])).toBe('b');
  });

  test('no next link is the last page', () => {
    expect(nextPageToken('</admin/identities?page_size=500&page_token=abc>; rel="first"')).toBeUndefined();
    expect(nextPageToken(undefined)).toBeUndefined();
  });

  test('a next link without a token is an error, not a silent last page', () => {
    expect(() => nextPageToken('</admin/identities?page_size=500>; rel="next"')).toThrow(/without a page_token/);
  });
});

describe('error bodies', () => {
  test('herodot: the message and the reason are both quoted', () => {
    const body = JSON.stringify({ error: { code: 409, status: 'Conflict', message: 'The resource could not be created due to a conflict', reason: 'This identity conflicts with another identity that already exists.' } });
    const e = kratosApiError('POST', '/admin/identities?x=1', 409, body, (t) => t, false);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('POST /admin/identities failed with 409: The resource could not be created due to a conflict: This identity conflicts with another identity that already exists.');
    expect(e.exitCode).toBe(1);
  });

  test('401 and 403 exit with 3 and say what to check, with and without a key', () => {
    const body = JSON.stringify({ error: { code: 401, status: 'Unauthorized', message: 'The request could not be authorized' } });
    const withKey = kratosApiError('GET', '/admin/identities', 401, body, (t) => t, true);
    expect(withKey.exitCode).toBe(3);
    expect(withKey.hint).toMatch(/ory_pat_/);
    expect(kratosApiError('GET', '/admin/identities', 403, body, (t) => t, false).hint).toMatch(/admin port/);
  });

  test('a body that is not herodot JSON is quoted, shortened', () => {
    expect(parseKratosProblem(502, '<html>\n bad gateway </html>')).toEqual({ id: undefined, message: '<html> bad gateway </html>', reason: undefined });
    expect(parseKratosProblem(500, '').message).toBe('HTTP 500 with an empty body');
  });

  test('secrets echoed by the server never reach the message', () => {
    const hash = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
    const body = JSON.stringify({ error: { message: 'bad request', reason: `cannot parse ${hash} for key ory_pat_secret123` } });
    const e = kratosApiError('PUT', '/admin/identities/1', 400, body, redactor([hash, 'ory_pat_secret123']), true);
    expect(e.message).not.toContain(hash);
    expect(e.message).not.toContain('ory_pat_secret123');
    expect(e.message).toContain('(sensitive)');
  });
});
