/**
 * Token-style pagination (`sort`, `page_size`, `next_token`), as Kinde's list endpoints do it. The token is opaque
 * to clients but holds the sort position of the last item served (keyset, not offset), so items created or
 * deleted between two page requests neither repeat nor vanish from the pages that follow.
 */
import { badRequest } from './replies.js';

type SortValue = string | number;

/** How one `sort` value orders items: the field compared and the direction. Ties break on creation order. */
export interface SortOrder<T> {
  readonly value: (item: T) => SortValue;
  readonly descending: boolean;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Absent on the last page. */
  readonly nextToken?: string;
}

type Cursor = readonly [SortValue, number];

/** The spec: "Defaults to 10 if parameter not sent." */
const defaultPageSize = 10;

/** Without `sort`, items come in creation order. */
const creationOrder = '';

const compareValues = (a: SortValue, b: SortValue): number => (a < b ? -1 : a > b ? 1 : 0);

/** One page of `items` as the query asks for it; `page_size` above `cap` is clamped, as Kinde documents. */
export function paginate<T extends { readonly seq: number }>(
  items: Iterable<T>,
  query: URLSearchParams,
  orders: Readonly<Record<string, SortOrder<T>>>,
  cap: number,
): Page<T> {
  const sort = query.get('sort') || creationOrder;
  const order = sort === creationOrder ? { value: (item: T) => item.seq, descending: false } : orders[sort];
  if (!order) throw badRequest('INVALID_SORT', `sort must be one of ${Object.keys(orders).join(', ')}`);
  const pageSize = Math.min(readPageSize(query.get('page_size')), cap);

  const cursorOf = (item: T): Cursor => [order.value(item), item.seq];
  const compare = (a: Cursor, b: Cursor): number => (order.descending ? -compareValues(a[0], b[0]) : compareValues(a[0], b[0])) || a[1] - b[1];
  const sorted = [...items].sort((a, b) => compare(cursorOf(a), cursorOf(b)));
  const token = query.get('next_token');
  const after = token ? decodeToken(token, sort) : undefined;
  const start = after === undefined ? 0 : sorted.findIndex((item) => compare(cursorOf(item), after) > 0);
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, pageSize);
  const last = page.at(-1);
  return rest.length > page.length && last ? { items: page, nextToken: encodeToken(sort, cursorOf(last)) } : { items: page };
}

function readPageSize(raw: string | null): number {
  if (raw === null || raw === '') return defaultPageSize;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1) throw badRequest('INVALID_PAGE_SIZE', 'page_size must be a positive integer');
  return size;
}

const encodeToken = (sort: string, cursor: Cursor): string => Buffer.from(JSON.stringify([sort, ...cursor])).toString('base64url');

/** A token only continues the listing it came from: reused with another sort it would skip or repeat items. */
function decodeToken(token: string, sort: string): Cursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    Array.isArray(decoded) &&
    decoded.length === 3 &&
    decoded[0] === sort &&
    (typeof decoded[1] === 'string' || typeof decoded[1] === 'number') &&
    typeof decoded[2] === 'number'
  ) {
    return [decoded[1], decoded[2]];
  }
  throw badRequest('INVALID_NEXT_TOKEN', 'next_token is not one this listing returned with the same sort');
}

/** One page of a cursor-style listing; `hasMore` says whether items lie beyond it in the direction read. */
export interface CursorPage<T> {
  readonly items: readonly T[];
  readonly hasMore: boolean;
}

/**
 * Cursor-style pagination (`page_size`, `starting_after`, `ending_before`, answered with `has_more`), as Kinde's
 * newer list endpoints do it: items in creation order, a cursor naming the id of an item from the last page.
 */
export function cursorPaginate<T extends { readonly id: string; readonly seq: number }>(items: Iterable<T>, query: URLSearchParams, cap: number): CursorPage<T> {
  const after = query.get('starting_after') || undefined;
  const before = query.get('ending_before') || undefined;
  if (after && before) throw badRequest('INVALID_REQUEST', 'Only one of starting_after or ending_before may be specified');
  const pageSize = Math.min(readPageSize(query.get('page_size')), cap);
  const sorted = [...items].sort((a, b) => a.seq - b.seq);
  const indexOf = (id: string): number => {
    const index = sorted.findIndex((item) => item.id === id);
    if (index < 0) throw badRequest('INVALID_CURSOR', `No item with id ${id} to page from`);
    return index;
  };
  if (before) {
    const end = indexOf(before);
    const start = Math.max(0, end - pageSize);
    return { items: sorted.slice(start, end), hasMore: start > 0 };
  }
  const start = after ? indexOf(after) + 1 : 0;
  return { items: sorted.slice(start, start + pageSize), hasMore: start + pageSize < sorted.length };
}

/**
 * Token-style pagination in creation order, without sorting: `ordered` must already be in seq order. An array is
 * entered by binary search, so a page costs its own size however long the listing is (the user list of a large
 * tenant); any other iterable is walked from its start. `keep` filters without copying. Tokens are those
 * `paginate` gives for the creation order, so either may serve a listing's unsorted pages.
 */
export function keysetPage<T extends { readonly seq: number }>(
  ordered: readonly T[] | Iterable<T>,
  query: URLSearchParams,
  cap: number,
  keep: (item: T) => boolean = () => true,
): Page<T> {
  const pageSize = Math.min(readPageSize(query.get('page_size')), cap);
  const token = query.get('next_token');
  const after = token ? decodeToken(token, creationOrder)[1] : undefined;
  const items: T[] = [];
  const pageOf = (item: T | undefined): Page<T> | undefined => {
    if (item === undefined || !keep(item)) return undefined;
    if (items.length < pageSize) {
      items.push(item);
      return undefined;
    }
    // One more item beyond a full page: there is a next page, which starts after the page's last item.
    const last = items.at(-1)!;
    return { items, nextToken: encodeToken(creationOrder, [last.seq, last.seq]) };
  };
  if (Array.isArray(ordered)) {
    const list = ordered as readonly T[];
    for (let i = after === undefined ? 0 : firstAfterSeq(list, after); i < list.length; i++) {
      const page = pageOf(list[i]);
      if (page) return page;
    }
  } else {
    for (const item of ordered) {
      if (after !== undefined && item.seq <= after) continue;
      const page = pageOf(item);
      if (page) return page;
    }
  }
  return { items };
}

/** Index of the first item whose seq is greater than `seq`, in a seq-ascending array. */
export function firstAfterSeq(ordered: readonly { readonly seq: number }[], seq: number): number {
  let low = 0;
  let high = ordered.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ordered[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
