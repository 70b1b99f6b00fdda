/**
 * Fault injection: a share of API requests fail, half with a 500 and half with a dropped connection, and each
 * either before or after its effect is applied. The "after" case is what real networks do to clients: the
 * create happened but the answer was lost, so a client must check before it retries a create.
 */

export interface Fault {
  readonly kind: 'error' | 'drop';
  readonly when: 'before' | 'after';
}

/** mulberry32: small, fast and seedable, so a test gets the same faults on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function faultInjector(rate: number, seed: number = Math.floor(Math.random() * 2 ** 32)): () => Fault | undefined {
  const random = seededRandom(seed);
  return () => {
    if (rate <= 0 || random() >= rate) return undefined;
    return { kind: random() < 0.5 ? 'error' : 'drop', when: random() < 0.5 ? 'before' : 'after' };
  };
}
