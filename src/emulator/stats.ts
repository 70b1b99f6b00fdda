/** Counters tests and benchmarks read to see what a client cost: requests per route, 429s, faults, tokens. */

export interface EmulatorStats {
  requests: number;
  /** Keyed by method and the spec's path template, e.g. `GET /api/v1/roles/{role_id}`. */
  byRoute: Record<string, number>;
  /**
   * Answers the API computed, keyed by route and status, e.g. `POST /api/v1/permissions 400`, counted even when an
   * injected fault then hides them from the client: a client that re-sends a create it cannot see succeed shows up
   * here as a 400 on a POST.
   */
  replies: Record<string, number>;
  rateLimited: number;
  faults: number;
  tokensIssued: number;
}

export const emptyStats = (): EmulatorStats => ({ requests: 0, byRoute: {}, replies: {}, rateLimited: 0, faults: 0, tokensIssued: 0 });

export function countRequest(stats: EmulatorStats, route: string): void {
  stats.requests++;
  stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
}

export function countReply(stats: EmulatorStats, route: string, status: number): void {
  const key = `${route} ${status}`;
  stats.replies[key] = (stats.replies[key] ?? 0) + 1;
}

export const copyStats = (stats: EmulatorStats): EmulatorStats => ({ ...stats, byRoute: { ...stats.byRoute }, replies: { ...stats.replies } });
