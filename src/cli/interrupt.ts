/**
 * Ctrl-C during an apply: the first one stops new requests and lets those in flight finish, so the report
 * is accurate and the tenant is never left with a half-sent write; a second one quits at once.
 * Outside an apply (while idm reads the tenant, waits for its lock or asks for confirmation), Ctrl-C quits at once.
 * Quitting first runs what `beforeQuit` registered (letting go of the tenant's apply lock), for a few seconds at most.
 */
import { setTimeout as delay } from 'node:timers/promises';

const cleanups = new Set<() => Promise<void>>();
/** Longest a quit waits for its cleanups: Ctrl-C must still quit when the tenant does not answer. */
const cleanupGraceMs = 5000;
let applying = 0;
let quitting = false;

async function quit(): Promise<void> {
  if (quitting) process.exit(130);
  quitting = true;
  await Promise.race([Promise.allSettled([...cleanups].map((cleanup) => cleanup())), delay(cleanupGraceMs)]);
  process.exit(130);
}

/** Runs `cleanup` if idm quits on Ctrl-C (or SIGTERM) before the returned function is called. */
export function beforeQuit(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  const onSignal = () => {
    if (applying === 0) void quit();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    cleanups.delete(cleanup);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

export function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) return void quit();
    process.stderr.write('\nInterrupted: finishing the requests in flight (press Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  applying++;
  return run(controller.signal).finally(() => {
    applying--;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
}
