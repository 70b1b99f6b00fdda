/**
 * What an API operation is to the emulator: method, the spec's path template, the scope its token needs (the
 * spec's `x-scope`) and a handler. Paths keep the spec's `{param}` names so stats read like the spec.
 */
import type { Reply } from './replies.js';
import type { Tenant } from './tenant.js';

export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; undefined when the request had none. */
  readonly body: unknown;
}

export interface ApiContext {
  readonly tenant: Tenant;
  readonly pageSizeCap: number;
  /** The emulator's base URL, which stands in for the tenant's Kinde domain. */
  readonly url: string;
  /** Handlers call this after changing the tenant, so that it is persisted. */
  changed(): void;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly scope: string;
  handle(request: ApiRequest, context: ApiContext): Reply;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch | undefined {
  const segments = pathname.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const segment = segments[i]!;
      if (!part.startsWith('{')) return part === segment;
      params[part.slice(1, -1)] = decodeURIComponent(segment);
      return segment !== '';
    });
    if (matches) return { route, params };
  }
  return undefined;
}
