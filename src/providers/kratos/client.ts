/**
 * JSON calls to Kratos's admin API and its keyset pagination. Every answer idm does not accept becomes an ApiError
 * naming the call; a DELETE answered 404 after a lost attempt counts as done.
 */
import { ApiError, IdmError } from '../../errors.js';
import { isRecord, parseJsonBody } from '../http/json.js';
import type { Method, Transport } from '../http/transport.js';
import { kratosApiError, redactor, type Redact } from './errors.js';

export type Query = Readonly<Record<string, string | number | readonly string[] | undefined>>;

export interface CallOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** For a request that must not simply be repeated: whether it took effect after all when its answer was lost. */
  readonly alreadyDone?: () => Promise<boolean>;
  /** See HttpRequest.idempotent. */
  readonly idempotent?: boolean;
  /** Secrets in this request's body, kept out of any error it ends in (the API key always is). */
  readonly secrets?: readonly string[];
}

export interface CallResult {
  readonly status: number;
  /** The parsed JSON body; undefined when it is empty, not JSON, or there was no answer (recovered). */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The call took effect, but its answer was lost (found by `alreadyDone`, or a DELETE already done). */
  readonly recovered: boolean;
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'object') for (const v of value) params.append(name, v);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * The `page_token` of the `rel="next"` link in a Link header (`<…?page_size=500&page_token=…>; rel="next"`), or
 * undefined when there is none: the last page. Only the token is taken, so a link naming Kratos's own host (not the
 * proxy idm talks to) still works.
 */
export function nextPageToken(link: string | string[] | undefined): string | undefined {
  const text = Array.isArray(link) ? link.join(',') : link;
  if (!text) return undefined;
  for (const [, target, params] of text.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+)*)/g)) {
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params ?? '')?.[1]?.split(/\s+/) ?? [];
    if (!rels.includes('next')) continue;
    const token = new URL(target ?? '', 'http://link.invalid').searchParams.get('page_token');
    if (token === null || token === '') throw new IdmError(`Kratos sent a next-page link without a page_token: ${text}`, 'UNEXPECTED_RESPONSE', 'the API answered in a form idm does not know; please report it');
    return token;
  }
  return undefined;
}

export class KratosClient {
  private readonly redactKey: Redact;
  private readonly authorization: (() => Promise<string>) | undefined;

  constructor(
    private readonly transport: Transport,
    /** A reverse proxy's path prefix, '' for none. */
    private readonly basePath: string,
    private readonly apiKey: string | undefined,
  ) {
    this.redactKey = redactor([apiKey]);
    const header = apiKey === undefined ? undefined : `Bearer ${apiKey}`;
    this.authorization = header === undefined ? undefined : () => Promise.resolve(header);
  }

  /** `path` is Kratos's own, e.g. `/admin/identities`. */
  async call(method: Method, path: string, options: CallOptions = {}): Promise<CallResult> {
    const fullPath = withQuery(`${this.basePath}${path}`, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await this.transport.request({
      method,
      path: fullPath,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      ...(this.authorization ? { authorization: this.authorization } : {}),
      ...(options.alreadyDone ? { alreadyDone: options.alreadyDone } : {}),
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
    });
    if (response.recovered) return { status: 0, body: undefined, headers: {}, recovered: true };
    const { status, text, headers } = response;
    if (status >= 200 && status < 300) return { status, body: parseJsonBody(text), headers, recovered: false };
    // The attempt whose answer was lost deleted it: gone is what was asked.
    if (method === 'DELETE' && response.afterFault && status === 404) return { status, body: undefined, headers, recovered: true };
    const secrets = redactor(options.secrets ?? []);
    throw kratosApiError(method, fullPath, status, text, (t) => secrets(this.redactKey(t)), this.apiKey !== undefined);
  }

  /** The body as an object, or an ApiError saying the API answered something it does not document. */
  async object(method: Method, path: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const result = await this.call(method, path, options);
    if (!isRecord(result.body)) throw unexpected(method, `${this.basePath}${path}`, result.status, 'the response body is not a JSON object');
    return result.body;
  }

  /**
   * Every item of a keyset-paged list: `query` on every page, `page_token` from each `Link: <…>; rel="next"` until
   * there is none. A token Kratos hands out twice would repeat forever, so it ends the listing with an error.
   */
  async list(path: string, query: Query, onPage?: (itemsSoFar: number) => void): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const result = await this.call('GET', path, { query: { ...query, page_token: token } });
      if (!Array.isArray(result.body)) throw unexpected('GET', `${this.basePath}${path}`, result.status, 'the response body is not a JSON array');
      items.push(...(result.body as unknown[]));
      onPage?.(items.length);
      token = nextPageToken(result.headers.link);
      if (token !== undefined) {
        if (seen.has(token)) {
          throw new IdmError(`GET ${this.basePath}${path} returned a page token it had returned before`, 'PAGINATION_LOOP', 'the listing would never end; try again later');
        }
        seen.add(token);
      }
    } while (token !== undefined);
    return items;
  }
}

export const unexpected = (method: string, path: string, status: number, what: string): ApiError =>
  new ApiError(method, path.split('?')[0]!, status, 'UNEXPECTED_RESPONSE', what, 'the API answered in a form idm does not know; please report it');
