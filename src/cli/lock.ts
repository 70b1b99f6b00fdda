/**
 * apply's hold on the tenant: the provider's lock is taken before the tenant is read, waiting up to --lock-timeout
 * for another run to finish, and let go when the apply ends, on Ctrl-C too. Two applies to one tenant never
 * interleave; plan takes no lock.
 */
import { Flags } from '@oclif/core';
import { setTimeout as delay } from 'node:timers/promises';
import { IdmError } from '../errors.js';
import { lockOwner } from '../providers/lock-record.js';
import type { LockHolder, Provider, ReplacedLock } from '../providers/provider.js';
import { formatDuration, parseDuration } from '../util/duration.js';
import { beforeQuit } from './interrupt.js';

/**
 * How long a lock lasts without its run letting go (a run killed on a machine the next run cannot see into): past
 * it, the next apply takes the lock over. Longer than any apply is expected to take.
 */
export const lockTtlMs = 60 * 60 * 1000;

export const lockTimeoutFlag = {
  'lock-timeout': Flags.custom<number>({
    description: 'How long to wait for another apply to this tenant to finish, e.g. 30s or 2m (default: fail at once). A lock left by a killed run expires after 1 hour.',
    helpValue: 'DURATION',
    default: 0,
    parse: async (input) => parseDuration(input, '--lock-timeout'),
  })(),
};

/** Polls while waiting: quick at first (a run about to finish), then every few seconds. */
const firstPollMs = 500;
const maxPollMs = 5000;

export interface ApplyLock {
  /** Takes the tenant's lock, waiting up to the timeout; throws an IdmError naming the holder when it cannot. */
  acquire(): Promise<void>;
  /** Lets the lock go if this run holds it. A failure is reported on stderr, not thrown: the apply's outcome stands. */
  release(): Promise<void>;
}

export interface ApplyLockOptions {
  readonly timeoutMs: number;
  readonly stderr: NodeJS.WritableStream;
}

export function applyLock(provider: Provider, { timeoutMs, stderr }: ApplyLockOptions): ApplyLock {
  const lock = provider.lock;
  if (!lock) {
    return {
      acquire: async () => void stderr.write(`Warning: ${provider.target.provider} keeps no apply lock, so concurrent applies to this tenant are not prevented.\n`),
      release: async () => {},
    };
  }
  let releasing: Promise<void> | undefined;
  const release = (): Promise<void> =>
    (releasing ??= lock.release().catch((error: unknown) => {
      stderr.write(
        `Warning: could not release the apply lock: ${(error as Error).message}\n  hint: once no apply is running, remove it with \`idm unlock\` (it expires by itself after ${formatDuration(lockTtlMs)})\n`,
      );
    }));
  let stopGuard: (() => void) | undefined;

  return {
    async acquire() {
      // From the first attempt: a Ctrl-C right after the lock was won must still let it go.
      stopGuard = beforeQuit(() => {
        stderr.write('\nInterrupted: releasing the apply lock...\n');
        return release();
      });
      const owner = lockOwner();
      const start = Date.now();
      let reported: string | undefined;
      for (let attempt = 0; ; attempt++) {
        const result = await lock.acquire(owner, lockTtlMs);
        if (result.acquired) {
          if (result.replaced) stderr.write(tookOver(result.replaced));
          if (reported !== undefined) stderr.write(`Took the apply lock after waiting ${formatDuration(Date.now() - start)}.\n`);
          return;
        }
        const left = start + timeoutMs - Date.now();
        if (left <= 0) throw refused(result.holder, timeoutMs);
        if (reported !== result.holder.owner) {
          stderr.write(`Waiting up to ${formatDuration(left)} for the apply lock, held by ${describeHolder(result.holder)}...\n`);
          reported = result.holder.owner;
        }
        const pollMs = Math.min(maxPollMs, firstPollMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        await delay(Math.min(left, pollMs));
      }
    },
    async release() {
      stopGuard?.();
      await release();
    },
  };
}

/** `ana@ci-7 pid 4242, since 2025-01-01T10:00:00.000Z (3m ago), expires 2025-01-01T11:00:00.000Z (in 57m)` */
export function describeHolder(holder: LockHolder, now: number = Date.now()): string {
  const relative = (iso: string, past: string, future: string): string => {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return '';
    return at <= now ? ` (${formatDuration(now - at)} ${past})` : ` (${future} ${formatDuration(at - now)})`;
  };
  return `${holder.owner}, since ${holder.started}${relative(holder.started, 'ago', 'in')}, expires ${holder.expires}${relative(holder.expires, 'ago', 'in')}`;
}

function refused(holder: LockHolder, timeoutMs: number): IdmError {
  return new IdmError(
    `another apply to this tenant holds its lock${timeoutMs > 0 ? ` (waited ${formatDuration(timeoutMs)})` : ''}: ${describeHolder(holder)}`,
    'TENANT_LOCKED',
    'let that apply finish, or wait for it with --lock-timeout (e.g. --lock-timeout 5m); if no apply is running (it was killed), remove the stuck lock with `idm unlock`',
  );
}

function tookOver({ holder, reason }: ReplacedLock): string {
  const why = reason === 'expired' ? `it expired at ${holder.expires}` : 'that process is no longer running';
  return `Took over the apply lock of ${holder.owner} (since ${holder.started}): ${why}.\n`;
}
