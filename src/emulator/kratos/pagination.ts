/**
 * Kratos' two pagination styles and their headers. Keyset (`page_size`, `page_token`): the token is the last id
 * seen, and `Link` carries `rel="first"` always and `rel="next"` unless this is the last page, with no total.
 * Legacy page (`page`, `per_page`): `X-Total-Count` and a `Link` header built like ory/x's pagination.Header.
 * Link URLs are the request path with Go's `url.Values.Encode` query (keys sorted).
 */
import { badRequest } from './errors.js';

export const nilUuid = '00000000-0000-0000-0000-000000000000';

export type Pagination =
  | {
      readonly kind: 'keyset';
      readonly size: number;
      readonly token: string;
      /** The query the `Link` URLs start from: a lone `per_page` becomes `page_size` there, as Kratos rewrites it. */
      readonly linkQuery: URLSearchParams;
    }
  | { readonly kind: 'page'; readonly page: number; readonly perPage: number };

/** Go's strconv.Atoi, with its error text. */
function atoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw badRequest(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

/** Go's ParseInt fallback in the page paginator: anything unparsable is the default. */
const intOr = (text: string | null, fallback: number): number => (text !== null && /^[+-]?\d+$/.test(text) ? Number(text) : fallback);

/** x.ParseKeysetOrPagePagination with the identity list's defaults (250 per page, at most 500, legacy up to 1000 items). */
export function parseIdentityPagination(query: URLSearchParams): Pagination {
  const keyset = (sizeText: string | null, linkQuery: URLSearchParams): Pagination => {
    const requested = sizeText === null || sizeText === '' ? 0 : atoi(sizeText);
    return { kind: 'keyset', size: requested <= 0 ? 250 : Math.min(requested, 500), token: query.get('page_token') || nilUuid, linkQuery };
  };
  if (query.has('page_token') || query.has('page_size')) return keyset(query.get('page_size'), query);
  if (!query.has('page')) {
    const linkQuery = new URLSearchParams(query);
    if (query.has('per_page')) {
      linkQuery.set('page_size', query.get('per_page')!);
      linkQuery.delete('per_page');
    }
    return keyset(query.get('per_page'), linkQuery);
  }
  const page = Math.max(0, intOr(query.get('page'), 0));
  const perPage = Math.min(Math.max(intOr(query.get('per_page'), 250), 1), 500);
  if (page * perPage > 1000) {
    throw badRequest('Legacy pagination is not supported for enumerating over 1000 items. Please switch to using page_token and page_size.');
  }
  return { kind: 'page', page, perPage };
}

function linkUrl(pathname: string, query: URLSearchParams, set: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(set)) params.set(key, value);
  params.sort();
  return `${pathname}?${params.toString()}`;
}

/** `rel="first"`, and `rel="next"` pointing after `lastId` when there is a next page. */
export function keysetLink(pathname: string, query: URLSearchParams, size: number, nextToken: string | undefined): string {
  const link = (rel: string, token: string) => `<${linkUrl(pathname, query, { page_size: String(size), page_token: token })}>; rel="${rel}"`;
  return [link('first', nilUuid), ...(nextToken === undefined ? [] : [link('next', nextToken)])].join(',');
}

/** ory/x migrationpagination: each link names the page both ways (page/per_page and page_token/page_size). */
export function pageHeaders(pathname: string, query: URLSearchParams, total: number, page: number, perPage: number): Record<string, string> {
  const link = (rel: string, size: number, offset: number) => {
    const params = new URLSearchParams(query);
    params.set('page_size', String(size));
    params.set('page_token', Buffer.from(`{"offset":"${offset}","v":2}`).toString('base64url'));
    params.set('per_page', String(size));
    params.set('page', String(Math.trunc(offset / size)));
    params.sort();
    return `<${pathname}?${params.toString()}>; rel="${rel}"`;
  };
  const offset = page * perPage;
  const lastOffset = total % perPage === 0 ? total - perPage : Math.trunc(total / perPage) * perPage;
  const pageOf = Math.trunc(offset / perPage);
  let links: string[];
  if (offset >= lastOffset) {
    if (total === 0) links = [link('first', perPage, 0), link('next', perPage, (pageOf + 1) * perPage), link('prev', perPage, (pageOf - 1) * perPage)];
    else if (total <= perPage) links = [link('first', total, 0)];
    else links = [link('first', perPage, 0), link('prev', perPage, lastOffset - perPage)];
  } else if (offset < perPage) {
    links = [link('next', perPage, perPage), link('last', perPage, lastOffset)];
  } else {
    links = [link('first', perPage, 0), link('next', perPage, (pageOf + 1) * perPage), link('prev', perPage, (pageOf - 1) * perPage), link('last', perPage, lastOffset)];
  }
  return { 'X-Total-Count': String(total), Link: links.join(',') };
}
