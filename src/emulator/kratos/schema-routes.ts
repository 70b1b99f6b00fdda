/**
 * `GET /schemas` (every schema with its id, page/per_page pagination with `X-Total-Count`) and
 * `GET /schemas/{id}` (the raw schema; the id plain or in the base64url form `schema_url` uses). Public routes in
 * Kratos, so no API key; also served under `/admin`, as Kratos does.
 */
import { notFound } from './errors.js';
import { pageHeaders } from './pagination.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';

const intOr = (text: string | null, fallback: number): number => (text !== null && /^[+-]?\d+$/.test(text) ? Number(text) : fallback);

/** ory/x migrationpagination: `page_token`/`page_size` when either is given, else `page`/`per_page`; 250 per page, at most 1000. */
function pageOf(query: URLSearchParams): { page: number; perPage: number } {
  const clamp = (n: number) => Math.min(Math.max(n, 1), 1000);
  if (query.has('page_token') || query.has('page_size')) {
    const perPage = clamp(intOr(query.get('page_size'), 250));
    let offset = 0;
    try {
      offset = Number(JSON.parse(Buffer.from(query.get('page_token') ?? '', 'base64url').toString('utf8')).offset) || 0;
    } catch {
      offset = 0;
    }
    return { page: Math.max(0, Math.trunc(offset / perPage)), perPage };
  }
  return { page: Math.max(0, intOr(query.get('page'), 0)), perPage: clamp(intOr(query.get('per_page'), 250)) };
}

function listSchemas(request: KratosRequest, context: KratosContext) {
  const all = context.schemas.list();
  const { page, perPage } = pageOf(request.query);
  const body = all.slice(page * perPage, (page + 1) * perPage).map(({ id, schema }) => ({ id, schema }));
  return { status: 200, body, headers: pageHeaders(request.pathname, request.query, all.length, page, perPage) };
}

function getSchema(request: KratosRequest, context: KratosContext) {
  const id = request.params.id!;
  const found = context.schemas.find(id);
  if (!found) throw notFound(`Identity schema \`${id}\` could not be found.`);
  return { status: 200, body: found.schema };
}

export const schemaRoutes: readonly KratosRoute[] = [
  { method: 'GET', path: '/schemas', secured: false, handle: listSchemas },
  { method: 'GET', path: '/schemas/{id}', secured: false, handle: getSchema },
];
