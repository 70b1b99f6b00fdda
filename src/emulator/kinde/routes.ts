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
