import { describe, expect, test } from 'vitest';
import { IdmError } from '../../../src/errors.js';
import { createKindeProvider, isLoopbackHost, kindeOrigin } from '../../../src/providers/kinde/index.js';

describe('the Kinde domain', () => {
  test('a bare domain means https; the origin is normalised', () => {
    expect(kindeOrigin('acme.kinde.com')).toBe('https://acme.kinde.com');
    expect(kindeOrigin(' https://Acme.Kinde.com/ ')).toBe('https://acme.kinde.com');
    expect(kindeOrigin('https://acme.kinde.com:8443')).toBe('https://acme.kinde.com:8443');
  });

  test('plain http is accepted for loopback only', () => {
    expect(kindeOrigin('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(kindeOrigin('http://127.3.4.5:1')).toBe('http://127.3.4.5:1');
    expect(kindeOrigin('http://[::1]:8787')).toBe('http://[::1]:8787');
    expect(kindeOrigin('http://localhost:8787')).toBe('http://localhost:8787');
    for (const domain of ['http://acme.kinde.com', 'http://10.0.0.1:8787', 'http://128.0.0.1', 'http://localhost.example.com']) {
      let error: unknown;
      try {
        kindeOrigin(domain);
      } catch (e) {
        error = e;
      }
      expect(error, domain).toBeInstanceOf(IdmError);
      expect((error as IdmError).code).toBe('INVALID_DOMAIN');
      expect((error as IdmError).hint).toMatch(/https:\/\//);
    }
  });

  test('paths, credentials, other schemes and empty domains are refused with a hint', () => {
    for (const domain of ['', 'https://acme.kinde.com/api', 'https://user:pw@acme.kinde.com', 'ftp://acme.kinde.com', 'https://acme.kinde.com?x=1']) {
      expect(() => kindeOrigin(domain), domain).toThrow(IdmError);
    }
  });

  test('loopback detection', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('192.168.1.1')).toBe(false);
    expect(isLoopbackHost('127.example.com')).toBe(false);
  });
});

describe('createKindeProvider', () => {
  test('the target is the normalised origin, local only when asked', async () => {
    const remote = createKindeProvider({ domain: 'acme.kinde.com', clientId: 'id', clientSecret: 'secret' });
    expect(remote.target).toEqual({ provider: 'kinde', url: 'https://acme.kinde.com', local: false });
    const local = createKindeProvider({ domain: 'http://127.0.0.1:9', clientId: 'id', clientSecret: 'secret', local: true });
    expect(local.target).toEqual({ provider: 'kinde', url: 'http://127.0.0.1:9', local: true });
    expect(remote.stats()).toEqual({ requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 });
    await Promise.all([remote.close(), local.close()]);
  });

  test('an insecure domain is refused before anything is sent', () => {
    expect(() => createKindeProvider({ domain: 'http://acme.kinde.com', clientId: 'id', clientSecret: 'secret' })).toThrow(/unencrypted/);
  });

  test('options are checked', () => {
    const base = { domain: 'acme.kinde.com', clientId: 'id', clientSecret: 'secret' };
    expect(() => createKindeProvider({ ...base, parallelism: 0 })).toThrow(/parallelism/);
    expect(() => createKindeProvider({ ...base, pageSize: 501 })).toThrow(/pageSize/);
    expect(() => createKindeProvider({ ...base, retries: -1 })).toThrow(/retries/);
    expect(() => createKindeProvider({ ...base, maxRps: 0 })).toThrow(/maxRps/);
    expect(() => createKindeProvider({ ...base, clientSecret: '' })).toThrow(/secret/);
    // Undefined means "use the default", as the CLI passes flags it did not get.
    expect(() => createKindeProvider({ ...base, maxRps: undefined, parallelism: undefined })).not.toThrow();
  });
});
