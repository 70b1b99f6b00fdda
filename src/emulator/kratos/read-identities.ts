/**
 * Reading identities: `GET /admin/identities` (filters, keyset or legacy pagination, credentials only when a filter
 * or `include_credential` asks), `GET /admin/identities/{id}` and `GET /admin/identities/by/external/{externalID}`
 * (credentials always, `config` only for the types in `include_credential`).
 */
import type { Reply } from '../http.js';
import { badRequest, identityNotFound } from './errors.js';
import { identityJson, isCredentialType, isUuid, type CredentialsView, type Identity } from './identity.js';
import { normalizeFor } from './normalize.js';
import { keysetLink, pageHeaders, parseIdentityPagination } from './pagination.js';
import type { KratosContext, KratosRequest, KratosRoute } from './routes.js';

interface ListParameters {
  readonly ids?: readonly string[];
  readonly organizationId?: string;
  readonly identifier?: { readonly value: string; readonly similar: boolean };
  readonly include: readonly string[];
  readonly expand: boolean;
}

function parseListParameters(query: URLSearchParams): ListParameters {
  let filters = 0;
  let ids: string[] | undefined;
  const given = query.getAll('ids');
  if (given.length > 0) {
    filters++;
    for (const id of given) if (!isUuid(id)) throw badRequest(`Invalid UUID value \`${id}\` for parameter \`ids\`.`);
    ids = given.map((id) => id.toLowerCase());
  }
  if (ids && ids.length > 500) throw badRequest('The number of ids to filter must not exceed 500.');
  const organizationId = query.get('organization_id') || undefined;
  if (organizationId !== undefined) {
    filters++;
    if (!isUuid(organizationId)) throw badRequest(`Invalid UUID value \`${organizationId}\` for parameter \`organization_id\`.`);
  }
  let identifier: ListParameters['identifier'];
  const exact = query.get('credentials_identifier');
  if (exact) {
    filters++;
    identifier = { value: exact, similar: false };
  }
  const similar = query.get('preview_credentials_identifier_similar');
  if (similar) {
    filters++;
    identifier ??= { value: similar, similar: true };
  }
  const include = query.getAll('include_credential');
  for (const type of include) if (!isCredentialType(type)) throw badRequest(`Invalid value \`${type}\` for parameter \`include_credential\`.`);
  if (filters > 1) throw badRequest('You cannot combine multiple filters in this API');
  return { ids, organizationId: organizationId?.toLowerCase(), identifier, include, expand: identifier !== undefined || include.length > 0 };
}

/** `preview_credentials_identifier_similar`: a prefix, normalised for password, webauthn and code identifiers as exact matches are. */
function matchesPrefix(identity: Identity, prefix: string): boolean {
  return Object.entries(identity.credentials).some(([type, credential]) => {
    if (!['password', 'webauthn', 'code', 'oidc', 'saml', 'deviceauthn'].includes(type)) return false;
    const target = normalizeFor(type, prefix);
    return credential.identifiers.some((identifier) => identifier.startsWith(target));
  });
}

function listIdentities(request: KratosRequest, context: KratosContext): Reply {
  const parameters = parseListParameters(request.query);
  const pagination = parseIdentityPagination(request.query);
  const identifier = parameters.identifier;
  const candidates = identifier && !identifier.similar ? context.store.findByIdentifier(identifier.value) : context.store.ordered();
  const filtered = candidates.filter(
    (identity) =>
      (!parameters.ids || parameters.ids.includes(identity.id)) &&
      (!parameters.organizationId || identity.organization_id === parameters.organizationId) &&
      (!identifier?.similar || matchesPrefix(identity, identifier.value)),
  );
  const view: CredentialsView = parameters.expand ? { kind: 'declassified', include: parameters.include } : { kind: 'none' };
  const render = (identities: Identity[]) => identities.map((identity) => identityJson(identity, context.url, view));

  if (pagination.kind === 'page') {
    const page = filtered.slice(pagination.page * pagination.perPage, (pagination.page + 1) * pagination.perPage);
    // Kratos counts every identity for the total unless the list was filtered by identifier.
    const total = parameters.identifier ? page.length : context.store.size;
    return { status: 200, body: render(page), headers: pageHeaders(request.pathname, request.query, total, pagination.page, pagination.perPage) };
  }
  if (!isUuid(pagination.token)) throw badRequest('The page token is invalid, do not craft your own page tokens');
  const after = pagination.token.toLowerCase();
  const rest = filtered.filter((identity) => identity.id > after);
  const page = rest.slice(0, pagination.size);
  const next = rest.length > pagination.size ? page[page.length - 1]!.id : undefined;
  return { status: 200, body: render(page), headers: { Link: keysetLink(request.pathname, pagination.linkQuery, pagination.size, next) } };
}

/**
 * `include_credential` on a single identity; an unknown type is a 400 whose reason shows the valid types read so
 * far, as Go's `%s` of the slice prints them (`[password]`): Kratos formats the wrong variable there.
 */
function declassifiedView(query: URLSearchParams): CredentialsView {
  const include: string[] = [];
  for (const type of query.getAll('include_credential')) {
    if (!isCredentialType(type)) throw badRequest(`Invalid value \`[${include.join(' ')}]\` for parameter \`include_credential\`.`);
    include.push(type);
  }
  return { kind: 'declassified', include };
}

export function findIdentity(context: KratosContext, id: string): Identity {
  const identity = isUuid(id) ? context.store.get(id) : undefined;
  if (!identity) throw identityNotFound();
  return identity;
}

export const readRoutes: readonly KratosRoute[] = [
  { method: 'GET', path: '/admin/identities', secured: true, handle: listIdentities },
  {
    method: 'GET',
    path: '/admin/identities/{id}',
    secured: true,
    handle: ({ params, query }, context) => {
      const identity = findIdentity(context, params.id!);
      return { status: 200, body: identityJson(identity, context.url, declassifiedView(query)) };
    },
  },
  {
    method: 'GET',
    path: '/admin/identities/by/external/{externalID}',
    secured: true,
    handle: ({ params, query }, context) => {
      const identity = context.store.findByExternalId(params.externalID!);
      if (!identity) throw identityNotFound();
      return { status: 200, body: identityJson(identity, context.url, declassifiedView(query)) };
    },
  },
];
