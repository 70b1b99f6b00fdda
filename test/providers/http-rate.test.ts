/** The 429 gate and the rate cap on a virtual clock: when they let requests go, to the millisecond. */
import { describe, expect, test } from 'vitest';
import { PauseGate, RateCap } from '../../src/providers/http/rate.js';
import { realTiming, type Timing } from '../../src/providers/http/timing.js';
import { virtualTiming } from './kinde/fake-kinde.js';

const start = 1_700_000_000_000;

function clock(): Timing & { sleeps: number[]; advance(ms: number): void } {
  const virtual = virtualTiming(start);
  return { ...realTiming, ...virtual, now: virtual.now!, sleep: virtual.sleep!, random: virtual.random! } as Timing & { sleeps: number[]; advance(ms: number): void };
}

/** Sends `n` requests through the gate now, all answered. */
function sendAnswered(gate: PauseGate, n: number): void {
  for (let i = 0; i < n; i++) gate.answered(gate.enter(true));
}

describe('the 429 gate', () => {
  test('a refusal in whole seconds reopens when the window ends (its first request plus whole seconds), not a second after the refusal', async () => {
    const time = clock();
    const gate = new PauseGate(time);
    const first = gate.enter(true);
    sendAnswered(gate, 19);
    time.advance(300);
    // RateLimit-Reset: 1 at 300 ms into a window of 1 s: the window ends at 1000 ms; the gate adds a 20 ms margin.
    expect(gate.limited(first, 1000, true)).toBe(true);
    await gate.pass();
    expect(time.sleeps).toEqual([720]);
  });

  test('a wait that is not whole seconds (an HTTP date, a backoff) is waited out in full', async () => {
    const time = clock();
    const gate = new PauseGate(time);
    const first = gate.enter(true);
    time.advance(300);
    gate.limited(first, 1234, false);
    await gate.pass();
    expect(time.sleeps).toEqual([1234]);
  });

  test('requests refused after the window closed wait for the same reopening, not a second after their own refusal', async () => {
    const time = clock();
    const gate = new PauseGate(time);
    const [a, b] = [gate.enter(true), gate.enter(true)];
    time.advance(300);
    gate.limited(a, 1000, true);
    time.advance(50);
    expect(gate.limited(b, 1000, true)).toBe(false);
    await gate.pass();
    expect(time.sleeps).toEqual([670]);
  });

  test('a window opened early and refused before letting much through was not over: the gate widens its margin, here to no earlier than told', async () => {
    const time = clock();
    const gate = new PauseGate(time);
    const first = gate.enter(true);
    sendAnswered(gate, 19);
    time.advance(300);
    gate.limited(first, 1000, true);
    await gate.pass(); // reopens at 1020 ms
    const early = gate.enter(true);
    time.advance(5);
    gate.limited(early, 1000, true);
    await gate.pass();
    expect(time.sleeps).toEqual([720, 1000]);
  });

  test('the token request does not start a window: a refusal of it is waited out in full', async () => {
    const time = clock();
    const gate = new PauseGate(time);
    const token = gate.enter(false);
    time.advance(300);
    gate.limited(token, 1000, true);
    await gate.pass();
    expect(time.sleeps).toEqual([1000]);
  });
});

describe('the rate cap (--max-rps)', () => {
  test('spaces requests evenly; each 429 spaces them 2% further apart, down to 90% of the rate asked for', async () => {
    const time = clock();
    const cap = new RateCap(20, time);
    for (let i = 0; i < 3; i++) await cap.take();
    expect(time.sleeps).toEqual([50, 50]);
    cap.slowDown();
    await cap.take(); // reserved at the old spacing
    await cap.take();
    expect(time.sleeps.at(-1)).toBeCloseTo(51, 2);
    for (let i = 0; i < 20; i++) cap.slowDown();
    await cap.take();
    await cap.take();
    expect(time.sleeps.at(-1)).toBeCloseTo(1000 / 18, 2);
  });
});
