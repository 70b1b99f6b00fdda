/**
 * What an API operation is to the Kratos emulator: method, the spec's path template, whether the spec secures it
 * (`oryAccessToken`), and a handler that gets the raw body, since Kratos decodes bodies differently per endpoint.
 */
import type { Reply } from '../http.js';
import type { IdentityStore } from './store.js';
import type { SchemaRegistry } from './schemas.js';

export interface KratosRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The path as requested, for the `Link` headers Kratos builds from it. */
  readonly pathname: string;
  readonly body: string;
  readonly contentType: string | undefined;
}

export interface KratosContext {
  readonly store: IdentityStore;
  readonly schemas: SchemaRegistry;
  /** The emulator's base URL: public (`schema_url`) and admin (`Location`) at once. */
  readonly url: string;
  /** Handlers call this after changing the store, so that it is persisted. */
  changed(): void;
}

export interface KratosRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Whether the spec lists the `oryAccessToken` security scheme for it (the identity admin API, not `/schemas`). */
  readonly secured: boolean;
  handle(request: KratosRequest, context: KratosContext): Reply;
}
