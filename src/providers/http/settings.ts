/** The transport settings every provider takes, with their defaults, checked once for all providers. */
import { IdmError } from '../../errors.js';

export interface TransportOptions {
  /** Bound on requests in flight, for reads and writes. Default 4. */
  parallelism?: number;
  /** Client-side cap on requests per second. Default: none. */
  maxRps?: number;
  /** Per request, until the whole answer is in. Default 30000. */
  timeoutMs?: number;
  /** Most retries of a request after 5xx, resets and timeouts. Default 5. */
  retries?: number;
  /** Items per list page. Default: the provider's most. */
  pageSize?: number;
}

export interface TransportSettings {
  readonly parallelism: number;
  readonly maxRps: number | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly pageSize: number;
}

export const defaults = { parallelism: 4, timeoutMs: 30_000, retries: 5 } as const;

/** `provider` names it in errors; `maxPageSize` is the most items a page of that API holds. */
export function transportSettings(provider: string, options: TransportOptions, maxPageSize: number): TransportSettings {
  const check = (name: string, value: number, ok: boolean, hint: string): void => {
    if (!ok) throw new IdmError(`Invalid ${provider} provider option ${name}: ${value}`, 'INVALID_OPTION', hint);
  };
  const settings = {
    parallelism: options.parallelism ?? defaults.parallelism,
    maxRps: options.maxRps ?? undefined,
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    retries: options.retries ?? defaults.retries,
    pageSize: options.pageSize ?? maxPageSize,
  };
  const { parallelism, maxRps, timeoutMs, retries, pageSize } = settings;
  check('parallelism', parallelism, Number.isInteger(parallelism) && parallelism >= 1, 'give a whole number, 1 or more');
  check('timeoutMs', timeoutMs, timeoutMs > 0, 'give milliseconds, more than 0');
  check('retries', retries, Number.isInteger(retries) && retries >= 0, 'give a whole number, 0 or more');
  check('pageSize', pageSize, Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= maxPageSize, `give a whole number from 1 to ${maxPageSize}`);
  if (maxRps !== undefined) check('maxRps', maxRps, maxRps > 0 && Number.isFinite(maxRps), 'give requests per second, more than 0');
  return settings;
}
