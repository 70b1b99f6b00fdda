/**
 * The apply lock's record, the same wherever it is kept (Kinde's `IDM_LOCK` environment variable, the local
 * target's lock file): `{"owner":"ana@ci-7 pid 4242","started":"…","expires":"…"}`, and when a lock is stale, so that
 * the next apply may take it over.
 */
import { hostname, userInfo } from 'node:os';
import type { LockHolder, ReplacedLock } from './provider.js';
import { parseJsonBody } from './http/json.js';

/** How the record tells a person where the run is: `user@host pid N`. */
export function lockOwner(pid: number = process.pid, host: string = hostname()): string {
  return `${userName()}@${host} pid ${pid}`;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    // A container user with no passwd entry.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function encodeHolder(holder: LockHolder): string {
  return JSON.stringify({ owner: holder.owner, started: holder.started, expires: holder.expires });
}

/** The holder a record names, or undefined when it is not a record idm wrote. */
export function decodeHolder(value: unknown): LockHolder | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseJsonBody(value);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { owner, started, expires } = parsed as Record<string, unknown>;
  if (typeof owner !== 'string' || typeof started !== 'string' || typeof expires !== 'string') return undefined;
  return { owner, started, expires };
}

/**
 * What stands for a record idm cannot read (written by hand, or by a later idm): it is treated as held and never
 * expires, since nothing says when its run ends; `idm unlock` removes it.
 */
export const unreadableHolder = (where: string): LockHolder => ({ owner: `unknown (${where} is not a lock record idm can read)`, started: 'unknown', expires: 'never' });

/** A new record for `owner`, from `now` for `ttlMs`. */
export const newHolder = (owner: string, now: number, ttlMs: number): LockHolder => ({
  owner,
  started: new Date(now).toISOString(),
  expires: new Date(now + ttlMs).toISOString(),
});

/** The machine idm runs on, as far as staleness goes: its name and whether a process of it still runs. */
export interface ThisHost {
  readonly name: string;
  isRunning(pid: number): boolean;
}

export const thisHost: ThisHost = {
  name: hostname(),
  isRunning(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

const ownerPattern = /^.*@(?<host>.+) pid (?<pid>\d+)$/;

/**
 * Why `holder`'s lock no longer guards a run, or undefined while it does. A holder on another host is only ever
 * stale by expiry: idm cannot see that host's processes.
 */
export function staleReason(holder: LockHolder, now: number, host: ThisHost): ReplacedLock['reason'] | undefined {
  const expires = Date.parse(holder.expires);
  if (!Number.isNaN(expires) && expires <= now) return 'expired';
  const where = ownerPattern.exec(holder.owner)?.groups;
  if (where?.host === host.name && !host.isRunning(Number(where.pid))) return 'ended';
  return undefined;
}
