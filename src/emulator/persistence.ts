/**
 * Keeps an emulator's state in a file across restarts. Writes are atomic (temp file, then rename) so a crash never
 * leaves half a file, and coalesced: a burst of mutations, as an apply makes, costs one write per `delayMs` (longer
 * for a large state, see `changed`), not one each.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IdmError } from '../errors.js';

/**
 * Reads a state file with `parse`; undefined when there is none yet. `kind` names the emulator in the error a file
 * of another shape gets, e.g. `Kinde`.
 */
export async function loadState<T>(file: string, kind: string, parse: (text: string) => T): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parse(text);
  } catch (error) {
    throw new IdmError(
      `${file} is not a ${kind} emulator state file: ${(error as Error).message}`,
      'EMULATOR_STATE_INVALID',
      'move the file away (the emulator then starts empty) or point --data at another file',
    );
  }
}

export interface Persister {
  /** Note that the state changed; it is written shortly after. */
  changed(): void;
  /** Writes any pending change and stops. */
  close(): Promise<void>;
}

export function createPersister(file: string, snapshot: () => string, delayMs = 50): Persister {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let sequence = 0;
  /** How long the last snapshot took to make, which grows with the state (10,000 Kinde users: ~10 MB, ~0.1 s). */
  let snapshotMs = 0;

  const write = async (): Promise<void> => {
    dirty = false;
    const started = performance.now();
    const text = snapshot();
    snapshotMs = performance.now() - started;
    const temp = `${file}.${process.pid}.${++sequence}.tmp`;
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, text);
    await rename(temp, file);
  };

  // Writes are chained so that an older snapshot can never land after a newer one.
  const flush = (): Promise<void> => {
    timer = undefined;
    writing = writing.then(() => (dirty ? write() : undefined));
    return writing;
  };

  return {
    changed() {
      dirty = true;
      // A write that fails in the background resurfaces from close(), the one place a caller waits.
      // The wait grows with the snapshot's cost, so that a long burst of changes to a large state spends at most
      // a fifth of its time writing state instead of most of it.
      timer ??= setTimeout(() => void flush().catch(() => (dirty = true)), Math.max(delayMs, 4 * snapshotMs));
    },
    async close() {
      clearTimeout(timer);
      writing = writing.catch(() => undefined);
      await flush();
    },
  };
}
