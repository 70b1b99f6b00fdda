/**
 * Where Kratos's admin API is, from the URL the target names: self-hosted Kratos's admin port
 * (`http://127.0.0.1:4434`, `https://kratos-admin.internal`), Ory Network (`https://<slug>.projects.oryapis.com`),
 * or either behind a reverse proxy under a path. The API key only ever travels over TLS, except to loopback.
 */
import { IdmError } from '../../errors.js';
import { isLoopbackHost } from '../../util/loopback.js';

export interface AdminBase {
  /** `https://host:port`: what the connection pool dials. */
  readonly origin: string;
  /** A reverse proxy's prefix, `''` or `/kratos` (no trailing slash): put before `/admin/identities`. */
  readonly basePath: string;
  /** origin + basePath: what the plan header shows. */
  readonly url: string;
}

export function kratosAdminBase(adminUrl: string): AdminBase {
  const text = adminUrl.trim();
  const invalid = (why: string, hint: string): never => {
    throw new IdmError(`Invalid Kratos admin URL ${JSON.stringify(adminUrl)}: ${why}`, 'INVALID_URL', hint);
  };
  if (text === '') invalid('it is empty', 'give the admin API URL, e.g. https://<project>.projects.oryapis.com or http://127.0.0.1:4434');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return invalid('it is not a URL', 'give the admin API URL, e.g. https://<project>.projects.oryapis.com or http://127.0.0.1:4434');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalid(`the scheme ${url.protocol} is not supported`, 'use https://');
  if (url.username || url.password) invalid('it contains credentials', 'give the URL only; the API key goes in the environment variable the target names');
  if (url.search || url.hash) invalid('it has a query or fragment', `give the base URL only, e.g. ${url.protocol}//${url.host}`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    invalid(
      'plain http:// would send the API key and every identity unencrypted',
      `use https://${url.host}${url.pathname === '/' ? '' : url.pathname}; http:// is accepted only for loopback addresses (127.0.0.1, ::1, localhost), such as the local emulator`,
    );
  }
  // People paste the admin routes' own prefix too; idm adds it to every call.
  const basePath = url.pathname.replace(/\/+$/, '').replace(/\/admin$/, '');
  return { origin: url.origin, basePath, url: `${url.origin}${basePath}` };
}
