/**
 * Authenticated JSON calls to `/api/v1`, and token-style pagination. Turns every answer idm does not accept into an
 * ApiError naming the call; a DELETE refused as "not found" after a lost attempt counts as done.
 */
import { ApiError, IdmError } from '../../errors.js';
import { apiError, parseApiProblem } from './errors.js';
import { isRecord, parseJsonBody } from '../http/json.js';
import type { Method, Transport } from '../http/transport.js';
import type { TokenSource } from './auth.js';

export const apiPrefix = '/api/v1';

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface CallOptions {
  readonly query?: Query;
  readonly body?: unknown;
  /** For a POST: whether it took effect after all when its answer was lost; see HttpRequest.alreadyDone. */
  readonly alreadyDone?: () => Promise<boolean>;
}

export interface CallResult {
  readonly status: number;
  /** The parsed JSON body; undefined when the body is empty, not JSON, or there was no answer (recovered). */
  readonly body: unknown;
  /** The call took effect, but its answer was lost (a create found by `alreadyDone`, a DELETE already done). */
  readonly recovered: boolean;
}

export { isRecord };

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export class KindeClient {
  constructor(
    private readonly transport: Transport,
    private readonly tokens: TokenSource,
  ) {}

  /** `path` is below `/api/v1`, e.g. `/roles`. */
  async call(method: Method, path: string, options: CallOptions = {}): Promise<CallResult> {
    const fullPath = withQuery(`${apiPrefix}${path}`, options.query);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const response = await this.transport.request({
      method,
      path: fullPath,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      authorization: () => this.tokens.authorization(),
      refused: (authorization) => this.tokens.refused(authorization),
      ...(options.alreadyDone ? { alreadyDone: options.alreadyDone } : {}),
    });
    if (response.recovered) return { status: 0, body: undefined, recovered: true };
    const { status, text } = response;
    if (status >= 200 && status < 300) return { status, body: parseJsonBody(text), recovered: false };
    if (method === 'DELETE' && response.afterFault) {
      // The attempt whose answer was lost deleted it: the object is gone, which is what was asked.
      const { code } = parseApiProblem(status, text);
      if (status === 404 || (status === 400 && code !== undefined && /NOT_FOUND$/.test(code))) return { status, body: undefined, recovered: true };
    }
    throw apiError(method, fullPath, status, text);
  }

  /** The body as an object, or an ApiError saying the API answered something it does not document. */
  async object(method: Method, path: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const result = await this.call(method, path, options);
    if (!isRecord(result.body)) throw unexpected(method, path, result.status, 'the response body is not a JSON object');
    return result.body;
  }

  /**
   * Every item of a token-paged list: `page_size` as given, `next_token` followed until it is empty or absent
   * (Kinde silently returns only the first page to a client that does not follow it). `query` goes on every page
   * (filters and `expand` must stay the same across pages).
   */
  list(path: string, field: string, pageSize: number, onPage?: (itemsSoFar: number) => void, query: Query = {}): Promise<unknown[]> {
    return this.listMapped(path, field, pageSize, (item) => item, onPage, query);
  }

  /**
   * As `list`, with each item turned into what the caller keeps as its page arrives: of a long list (the users of a
   * large tenant), only that is ever held, not every page's full JSON.
   */
  async listMapped<T>(path: string, field: string, pageSize: number, map: (item: unknown) => T, onPage?: (itemsSoFar: number) => void, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const body = await this.object('GET', path, { query: { ...query, page_size: pageSize, next_token: nextToken } });
      const page = body[field];
      if (!Array.isArray(page)) {
        // An empty list may come without the field at all.
        if (page !== undefined && page !== null) throw unexpected('GET', path, 200, `"${field}" is not an array`);
      } else {
        for (const item of page) items.push(map(item));
      }
      onPage?.(items.length);
      const token = body.next_token;
      nextToken = typeof token === 'string' && token !== '' ? token : undefined;
      if (nextToken !== undefined) {
        if (seen.has(nextToken)) {
          throw new IdmError(`GET ${apiPrefix}${path} returned a next_token it had returned before`, 'PAGINATION_LOOP', 'the listing would never end; try again later');
        }
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
    return items;
  }

  /**
   * Every item of a cursor-paged list (`page_size`, `starting_after` the last id seen, until `has_more` is false).
   * A page that brings nothing new would repeat forever, so it ends the listing with an error. `pageSize`
   * undefined: the operation takes none (a user's identities), so none is sent.
   */
  async listCursor(path: string, field: string, pageSize: number | undefined): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const body = await this.object('GET', path, { query: { page_size: pageSize, starting_after: after } });
      const page = body[field] ?? [];
      if (!Array.isArray(page)) throw unexpected('GET', path, 200, `"${field}" is not an array`);
      let last: string | undefined;
      for (const item of page) {
        if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') throw unexpected('GET', path, 200, `an item of "${field}" has no id`);
        last = item.id;
        if (seen.has(item.id)) continue;
        seen.add(item.id);
        items.push(item);
      }
      if (body.has_more !== true) return items;
      if (last === undefined || last === after) {
        throw new IdmError(`GET ${apiPrefix}${path} said it has more but gave nothing new`, 'PAGINATION_LOOP', 'the listing would never end; try again later');
      }
      after = last;
    }
  }

  /**
   * Every item of a list whose operation takes no paging parameters yet may answer with a `next_token` (a user's or
   * an org's property values): a token is followed, and one answered again ends the listing, as the server then
   * ignores it.
   */
  async listUnpaged(path: string, field: string): Promise<unknown[]> {
    const items: unknown[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    for (;;) {
      const body = await this.object('GET', path, nextToken === undefined ? {} : { query: { next_token: nextToken } });
      const page = body[field];
      if (Array.isArray(page)) items.push(...page);
      else if (page !== undefined && page !== null) throw unexpected('GET', path, 200, `"${field}" is not an array`);
      const token = body.next_token;
      if (typeof token !== 'string' || token === '' || seen.has(token)) return items;
      if (seen.size >= maxUnpagedPages) {
        throw new IdmError(`GET ${apiPrefix}${path} kept answering with a next_token`, 'PAGINATION_LOOP', 'the listing would never end; try again later');
      }
      seen.add(token);
      nextToken = token;
    }
  }
}

/** Where listUnpaged gives up on new tokens: far beyond any real property list. */
const maxUnpagedPages = 1000;

export const unexpected = (method: string, path: string, status: number, what: string): ApiError =>
  new ApiError(method, `${apiPrefix}${path.split('?')[0]!}`, status, 'UNEXPECTED_RESPONSE', what, 'the API answered in a form idm does not know; please report it');
