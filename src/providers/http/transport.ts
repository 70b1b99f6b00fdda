/**
 * The transport: one keep-alive connection pool for the run, and the retry policy. Every request, API or token,
 * passes the shared 429 gate, the rate cap and the bound on requests in flight, and is counted.
 *
 * - 429: wait until the limit resets, pausing every request of the provider meanwhile (rate.ts works out when, from
 *   `RateLimit-Reset` or `Retry-After`). A 429 means the request was not carried out, so it has its own, larger
 *   budget: max(10, 4 x retries).
 * - 5xx, connection resets and timeouts: retried with exponential backoff and full jitter when the request is
 *   idempotent (GET, PUT, DELETE, and PATCHes whose bodies are absolute, unless the caller says otherwise). A POST
 *   is retried only when its caller can check whether the lost attempt took effect (`alreadyDone`), and only if it
 *   did not.
 * - Connection refused: nothing was sent, so anything is retried. A name that does not resolve is not.
 */
import { Pool } from 'undici';
import { classifyNetworkError, type LostRequest, type NetworkFailure } from './network.js';
import { PauseGate, RateCap, Semaphore, type Passage } from './rate.js';
import { backoffMs, rateLimitWaitMs, type Timing } from './timing.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface HttpRequest {
  readonly method: Method;
  /** Path and query, e.g. `/api/v1/roles?page_size=500`. Errors show the path without the query. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The Authorization header, asked for before each attempt (outside the bound, so a token fetch never waits on it). */
  readonly authorization?: () => Promise<string>;
  /** Told which Authorization a 401 refused; the request is then retried once with a fresh one. */
  readonly refused?: (authorization: string) => void;
  /**
   * For a POST: whether an attempt whose answer was lost (5xx, reset, timeout) took effect after all. Asked after
   * such a failure, before trying again, and if the retry is refused with a 4xx ("already exists").
   */
  readonly alreadyDone?: () => Promise<boolean>;
  /**
   * Overrides what the method implies (every method but POST is taken as idempotent): a request whose repetition
   * would do more than the first (Kratos's PUT appends social links) is retried only as a POST is.
   */
  readonly idempotent?: boolean;
  /** Counted as a token request in the stats. */
  readonly token?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** An earlier attempt failed in a way that may have carried the request out (5xx, reset, timeout). */
  readonly afterFault: boolean;
  /** `alreadyDone()` found the effect of an attempt whose answer was lost: there is no real response. */
  readonly recovered: boolean;
}

export interface TransportOptions {
  readonly origin: string;
  readonly parallelism: number;
  readonly maxRps?: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly timing: Timing;
  /** The error for a request given up below HTTP, in the provider's words. */
  readonly unreachable: (lost: LostRequest) => Error;
}

export interface Counters {
  requests: number;
  retries: number;
  rateLimited: number;
  tokenRequests: number;
}

type Attempt = { readonly response: Omit<HttpResponse, 'afterFault' | 'recovered'>; readonly passage: Passage } | { readonly failure: NetworkFailure; readonly error: unknown };

const isFault = (status: number): boolean => status >= 500 || status === 408;

export class Transport {
  readonly counters: Counters = { requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 };
  private readonly pool: Pool;
  private readonly slots: Semaphore;
  private readonly gate: PauseGate;
  private readonly cap: RateCap | undefined;
  /** A 429 means the request was not carried out; a tight limit should slow a run down, not fail it. */
  private readonly maxThrottles: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TransportOptions) {
    this.pool = new Pool(options.origin, { connections: options.parallelism + 1, keepAliveTimeout: 30_000 });
    this.slots = new Semaphore(options.parallelism);
    this.gate = new PauseGate(options.timing);
    this.cap = options.maxRps === undefined ? undefined : new RateCap(options.maxRps, options.timing);
    this.maxThrottles = options.retries === 0 ? 0 : Math.max(10, options.retries * 4);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const { timing, retries, origin } = this.options;
    const idempotent = req.idempotent ?? req.method !== 'POST';
    let faults = 0;
    let throttles = 0;
    let attempts = 0;
    let reauthorized = false;
    let afterFault = false;
    const recovered = (): HttpResponse => ({ status: 0, headers: {}, text: '', afterFault: true, recovered: true });

    for (;;) {
      if (attempts > 0) this.counters.retries++;
      attempts++;
      const authorization = req.authorization ? await req.authorization() : undefined;
      const outcome = await this.attempt(req, authorization);

      if ('failure' in outcome) {
        const { failure, error } = outcome;
        // Only a broken connection or a timeout may hide a request that was carried out.
        const ambiguous = failure === 'reset' || failure === 'timeout';
        faults++;
        afterFault ||= ambiguous;
        const giveUp = failure === 'dns' || failure === 'other' || faults > retries || (ambiguous && !idempotent && !req.alreadyDone);
        if (!giveUp) await timing.sleep(backoffMs(timing, faults));
        // Before a create is sent again, or reported as failed, check whether the lost attempt made it.
        if (ambiguous && !idempotent && req.alreadyDone && (await req.alreadyDone())) return recovered();
        if (giveUp) throw this.options.unreachable({ origin, method: req.method, path: req.path, failure, attempts, cause: error });
        continue;
      }

      const response = { ...outcome.response, afterFault, recovered: false };
      if (response.status === 429) {
        this.counters.rateLimited++;
        throttles++;
        const asked = rateLimitWaitMs(response.headers, timing.now());
        const wait = Math.min(timing.maxRateLimitWaitMs, asked ?? Math.max(timing.baseDelayMs, backoffMs(timing, throttles)));
        if (this.gate.limited(outcome.passage, wait, asked !== undefined && asked > 0 && asked % 1000 === 0)) this.cap?.slowDown();
        if (throttles > this.maxThrottles) return response;
        continue;
      }
      this.gate.answered(outcome.passage);
      if (response.status === 401 && authorization !== undefined && req.refused && !reauthorized) {
        reauthorized = true;
        req.refused(authorization);
        continue;
      }
      if (isFault(response.status)) {
        faults++;
        afterFault = true;
        const giveUp = faults > retries || (!idempotent && !req.alreadyDone);
        if (!giveUp) await timing.sleep(backoffMs(timing, faults));
        if (!idempotent && req.alreadyDone && (await req.alreadyDone())) return recovered();
        if (giveUp) return { ...response, afterFault };
        continue;
      }
      if (!idempotent && afterFault && response.status >= 400 && req.alreadyDone && (await req.alreadyDone())) return recovered();
      return response;
    }
  }

  private async attempt(req: HttpRequest, authorization: string | undefined): Promise<Attempt> {
    const release = await this.slots.acquire();
    try {
      await this.gate.pass();
      await this.cap?.take();
      const passage = this.gate.enter(!req.token);
      this.counters.requests++;
      if (req.token) this.counters.tokenRequests++;
      const { timeoutMs } = this.options;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'idm', ...req.headers };
        if (authorization !== undefined) headers.authorization = authorization;
        const res = await this.pool.request({
          method: req.method,
          path: req.path,
          headers,
          body: req.body ?? null,
          signal: controller.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const text = await res.body.text();
        return { response: { status: res.statusCode, headers: res.headers, text }, passage };
      } catch (error) {
        if (timedOut) return { failure: 'timeout', error };
        const failure = classifyNetworkError(error);
        if (!failure) throw error;
        return { failure, error };
      } finally {
        clearTimeout(timer);
      }
    } finally {
      release();
    }
  }

  close(): Promise<void> {
    return (this.closing ??= this.pool.close().catch(() => this.pool.destroy()));
  }
}
