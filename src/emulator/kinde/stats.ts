/** Counters tests and benchmarks read to see what a client cost: requests per route, 429s, faults, tokens. */

export interface EmulatorStats {
  requests: number;
  /** Keyed by method and the spec's path template, e.g. `GET /api/v1/roles/{role_id}`. */
  byRoute: Record<string, number>;
  rateLimited: number;
  faults: number;
  tokensIssued: number;
}

export const emptyStats = (): EmulatorStats => ({ requests: 0, byRoute: {}, rateLimited: 0, faults: 0, tokensIssued: 0 });

export function countRequest(stats: EmulatorStats, route: string): void {
  stats.requests++;
  stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
}

export const copyStats = (stats: EmulatorStats): EmulatorStats => ({ ...stats, byRoute: { ...stats.byRoute } });
