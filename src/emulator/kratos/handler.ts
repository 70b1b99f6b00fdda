/**
 * The HTTP front of the Kratos emulator: counts, rate-limits and delays requests, injects faults, checks the API
 * key Ory Network wants on the admin API (`Authorization: Bearer <key>`; self-hosted Kratos has none, and neither
 * does the emulator unless given one) and runs the route handlers. `/admin/schemas` answers as `/schemas` does.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Fault } from '../faults.js';
import { deliver, readBody, send, type Reply } from '../http.js';
import { matchRoute, type RouteMatch } from '../route-match.js';
import { countReply, countRequest, type EmulatorStats } from '../stats.js';
import { errorReply, kratosError, KratosFailure } from './errors.js';
import type { KratosContext, KratosRoute } from './routes.js';

export interface HandlerConfig {
  readonly routes: readonly KratosRoute[];
  readonly context: KratosContext;
  readonly apiKey: string | undefined;
  readonly latencyMs: number;
  /** Undefined when the request may proceed, otherwise the seconds until the rate-limit window resets. */
  readonly limit: ((now: number) => number | undefined) | undefined;
  readonly nextFault: () => Fault | undefined;
  readonly stats: EmulatorStats;
}

const internalError = (message: string): Reply => errorReply(kratosError(500, { message }));
const routeNotFound: Reply = errorReply(kratosError(404));
const injectedFault = internalError('An internal server error occurred (injected fault)');

export function requestHandler(config: HandlerConfig): RequestListener {
  return (req, res) => {
    handle(config, req, res).catch(() => {
      // A bug in a handler or a client gone mid-request: answer if the connection still allows it.
      if (!res.headersSent && !res.destroyed) send(res, internalError('An internal server error occurred, please contact the system administrator'));
      else res.destroy();
    });
  };
}

async function handle(config: HandlerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const routePath = url.pathname.startsWith('/admin/schemas') ? url.pathname.slice('/admin'.length) : url.pathname;
  const match = matchRoute(config.routes, method, routePath);
  countRequest(config.stats, match ? `${method} ${match.route.path}` : `${method} (unknown route)`);

  const reset = config.limit?.(Date.now());
  if (reset !== undefined) {
    config.stats.rateLimited++;
    return respond(config, res, errorReply(kratosError(429, { message: 'Too many requests, slow down' }), { 'RateLimit-Reset': String(reset) }));
  }

  const fault = config.nextFault();
  if (fault) config.stats.faults++;
  if (fault?.when === 'before') return respond(config, res, fault);
  const reply = match ? run(config, match, req, url, body) : routeNotFound;
  if (match) countReply(config.stats, `${method} ${match.route.path}`, reply.status);
  return respond(config, res, fault ?? reply);
}

function run(config: HandlerConfig, { route, params }: RouteMatch<KratosRoute>, req: IncomingMessage, url: URL, body: string): Reply {
  if (route.secured && config.apiKey !== undefined && req.headers.authorization !== `Bearer ${config.apiKey}`) {
    return errorReply(kratosError(401, { reason: 'The API key is missing or invalid: send it as "Authorization: Bearer <key>".' }));
  }
  try {
    return route.handle({ params, query: url.searchParams, pathname: url.pathname, body, contentType: req.headers['content-type'] }, config.context);
  } catch (error) {
    if (error instanceof KratosFailure) return errorReply(error.error);
    throw error;
  }
}

function respond(config: HandlerConfig, res: ServerResponse, outcome: Reply | Fault): Promise<void> {
  return deliver(res, outcome, config.latencyMs, injectedFault);
}
