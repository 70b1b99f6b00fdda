/**
 * The HTTP front of the emulator: counts, rate-limits and delays requests, injects faults, authorizes API calls
 * and runs the route handlers. Everything a client sees on the wire besides the bodies is decided here.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Fault } from '../faults.js';
import { deliver, readBody, send } from '../http.js';
import { matchRoute, type RouteMatch } from '../route-match.js';
import { countReply, countRequest, type EmulatorStats } from '../stats.js';
import { authorize, issueToken, type AuthConfig } from './auth.js';
import { ApiFailure, badRequest, errorBody, routeNotFound, type Reply } from './replies.js';
import type { ApiContext, Route } from './routes.js';

export interface HandlerConfig {
  readonly routes: readonly Route[];
  readonly context: ApiContext;
  readonly auth: AuthConfig;
  readonly latencyMs: number;
  /** Undefined when the request may proceed, otherwise the seconds until the rate-limit window resets. */
  readonly limit: ((now: number) => number | undefined) | undefined;
  readonly nextFault: () => Fault | undefined;
  readonly stats: EmulatorStats;
}

const tokenPath = '/oauth2/token';
const apiPrefix = '/api/v1/';

export function requestHandler(config: HandlerConfig): RequestListener {
  return (req, res) => {
    handle(config, req, res).catch(() => {
      // A bug in a handler or a client gone mid-request: answer if the connection still allows it.
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: errorBody('INTERNAL_SERVER_ERROR', 'Internal server error') });
      else res.destroy();
    });
  };
}

async function handle(config: HandlerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  const body = await readBody(req);

  if (method === 'POST' && pathname === tokenPath) {
    countRequest(config.stats, `POST ${tokenPath}`);
    const reply = issueToken(req.headers['content-type'], body, config.auth);
    if (reply.status === 200) config.stats.tokensIssued++;
    return respond(config, res, reply);
  }

  const match = pathname.startsWith(apiPrefix) ? matchRoute(config.routes, method, pathname) : undefined;
  countRequest(config.stats, match ? `${method} ${match.route.path}` : `${method} (unknown route)`);
  if (!pathname.startsWith(apiPrefix)) return respond(config, res, routeNotFound);

  const reset = config.limit?.(Date.now());
  if (reset !== undefined) {
    config.stats.rateLimited++;
    const reply = { status: 429, body: errorBody('TOO_MANY_REQUESTS', 'Request was throttled'), headers: { 'RateLimit-Reset': String(reset) } };
    return respond(config, res, reply);
  }

  const fault = config.nextFault();
  if (fault) config.stats.faults++;
  if (fault?.when === 'before') return respond(config, res, fault);
  const reply = match ? run(config, match, req, searchParams, body) : routeNotFound;
  if (match) countReply(config.stats, `${method} ${match.route.path}`, reply.status);
  return respond(config, res, fault ?? reply);
}

function run(config: HandlerConfig, { route, params }: RouteMatch<Route>, req: IncomingMessage, query: URLSearchParams, body: string): Reply {
  try {
    authorize(req.headers.authorization, route.scope, config.auth);
    return route.handle({ params, query, body: parseJson(body) }, config.context);
  } catch (error) {
    if (error instanceof ApiFailure) return error.reply;
    throw error;
  }
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest('INVALID_JSON', 'The request body is not valid JSON');
  }
}

const injectedFault: Reply = { status: 500, body: errorBody('INTERNAL_SERVER_ERROR', 'Internal server error (injected fault)') };

function respond(config: HandlerConfig, res: ServerResponse, outcome: Reply | Fault): Promise<void> {
  return deliver(res, outcome, config.latencyMs, injectedFault);
}
