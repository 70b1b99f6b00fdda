/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of the items.
 * Stops starting new calls once `shouldStop()` says so; calls already started are awaited, never abandoned.
 * Every outcome is reported, so callers can tell what ran, what failed and what never started.
 */
export type Outcome<R> = { readonly status: 'fulfilled'; readonly value: R } | { readonly status: 'rejected'; readonly reason: unknown } | { readonly status: 'skipped' };

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  shouldStop: () => boolean = () => false,
): Promise<Outcome<R>[]> {
  const outcomes: Outcome<R>[] = items.map(() => ({ status: 'skipped' }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !shouldStop()) {
      const index = next++;
      try {
        outcomes[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        outcomes[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return outcomes;
}

/** Like mapLimit, but rejects with the first error (once in-flight calls settle) and otherwise returns the values. */
export async function mapLimitAll<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  let failed = false;
  const outcomes = await mapLimit(items, limit, (item, i) => fn(item, i).catch((error: unknown) => {
    failed = true;
    throw error;
  }), () => failed);
  const values: R[] = [];
  for (const o of outcomes) {
    if (o.status === 'rejected') throw o.reason;
    if (o.status === 'fulfilled') values.push(o.value);
  }
  return values;
}
