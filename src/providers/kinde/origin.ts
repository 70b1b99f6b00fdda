/**
 * The tenant's origin, from whatever form `KINDE_DOMAIN` takes: `acme.kinde.com`, `https://acme.kinde.com/` or the
 * emulator's `http://127.0.0.1:8787`. Credentials and tokens only ever travel over TLS, except to loopback.
 */
import { IdmError } from '../../errors.js';
import { isLoopbackHost } from '../../util/loopback.js';

/** Normalises a Kinde domain to an origin (`https://acme.kinde.com`), refusing plain HTTP to anything but loopback. */
export function kindeOrigin(domain: string): string {
  const text = domain.trim();
  const invalid = (why: string, hint: string): never => {
    throw new IdmError(`Invalid Kinde domain ${JSON.stringify(domain)}: ${why}`, 'INVALID_DOMAIN', hint);
  };
  if (text === '') invalid('it is empty', 'set KINDE_DOMAIN to your business domain, e.g. acme.kinde.com');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid('it is not a host name or URL', 'give the business domain, e.g. acme.kinde.com or https://acme.kinde.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`the scheme ${url.protocol} is not supported`, 'use https://');
  if (url.username || url.password) invalid('it contains credentials', 'give the domain only; credentials go in KINDE_MANAGEMENT_CLIENT_ID and KINDE_MANAGEMENT_CLIENT_SECRET');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    invalid('it has a path, query or fragment', `give the domain only, e.g. ${url.protocol}//${url.host}`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    invalid(
      'plain http:// would send the client secret and access tokens unencrypted',
      `use https://${url.host}; http:// is accepted only for loopback addresses (127.0.0.1, ::1, localhost), such as the local emulator`,
    );
  }
  return url.origin;
}
