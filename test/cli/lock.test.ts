/** apply's side of the tenant lock: what it says while waiting, when refused, when it cannot let go, and with no lock. */
import { describe, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { applyLock, describeHolder, lockTtlMs } from '../../src/cli/lock.js';
import { IdmError } from '../../src/errors.js';
import type { LockHolder, Provider, TenantLock } from '../../src/providers/provider.js';
import { parseDuration } from '../../src/util/duration.js';

const holder: LockHolder = { owner: 'ci@runner-7 pid 4242', started: '2025-01-01T10:00:00.000Z', expires: '2025-01-01T11:00:00.000Z' };

function provider(lock: TenantLock | undefined, name: 'kinde' | 'kratos' = 'kinde'): Provider {
  return {
    target: { provider: name, url: 'http://127.0.0.1:4433', local: false },
    read: () => Promise.reject(new Error('not read here')),
    writer: () => {
      throw new Error('not written here');
    },
    stats: () => ({ requests: 0, retries: 0, rateLimited: 0, tokenRequests: 0 }),
    close: async () => {},
    ...(lock ? { lock } : {}),
  };
}

/** A lock held by `holder` for the first `busy` attempts. */
function busyLock(busy: number, overrides: Partial<TenantLock> = {}): TenantLock & { attempts: number; released: number; ttls: number[] } {
  const lock = {
    attempts: 0,
    released: 0,
    ttls: [] as number[],
    acquire: async (_owner: string, ttlMs: number) => {
      lock.ttls.push(ttlMs);
      return lock.attempts++ < busy ? { acquired: false as const, holder } : { acquired: true as const };
    },
    release: async () => void lock.released++,
    holder: async () => null,
    forceRelease: async () => null,
    ...overrides,
  };
  return lock;
}

function stderr() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('applyLock', () => {
  test('a free lock is taken for an hour and let go once, silently', async () => {
    const lock = busyLock(0);
    const err = stderr();
    const held = applyLock(provider(lock), { timeoutMs: 0, stderr: err.stream });
    await held.acquire();
    await held.release();
    await held.release();
    expect(lock.ttls).toEqual([lockTtlMs]);
    expect(lockTtlMs).toBe(3_600_000);
    expect(lock.released).toBe(1);
    expect(err.text()).toBe('');
  });

  test('refused at once: the error names the holder, its start and expiry, and idm unlock', async () => {
    const err = stderr();
    const held = applyLock(provider(busyLock(Infinity)), { timeoutMs: 0, stderr: err.stream });
    const error = await held.acquire().then(() => undefined, (e: unknown) => e);
    await held.release();
    expect(error).toBeInstanceOf(IdmError);
    expect((error as IdmError).code).toBe('TENANT_LOCKED');
    expect((error as IdmError).exitCode).toBe(1);
    expect((error as IdmError).message).toMatch(/^another apply to this tenant holds its lock: ci@runner-7 pid 4242, since 2025-01-01T10:00:00.000Z \(.+ ago\), expires 2025-01-01T11:00:00.000Z/);
    expect((error as IdmError).hint).toContain('`idm unlock`');
    expect(err.text()).toBe('');
  });

  test('with a timeout it polls until the lock is free, saying once who it waits for', async () => {
    const lock = busyLock(2);
    const err = stderr();
    const held = applyLock(provider(lock), { timeoutMs: 30_000, stderr: err.stream });
    await held.acquire();
    await held.release();
    expect(lock.attempts).toBe(3);
    const lines = err.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Waiting up to (29|30)s for the apply lock, held by ci@runner-7 pid 4242, since /);
    expect(lines[1]).toMatch(/^Took the apply lock after waiting \ds\.$/);
  });

  test('a timeout that runs out fails as a refusal does', async () => {
    const held = applyLock(provider(busyLock(Infinity)), { timeoutMs: 300, stderr: stderr().stream });
    await expect(held.acquire()).rejects.toMatchObject({ code: 'TENANT_LOCKED', message: expect.stringContaining('(waited 0s)') });
    await held.release();
  });

  test('a stale lock taken over is reported', async () => {
    const err = stderr();
    const lock = busyLock(0, { acquire: async () => ({ acquired: true, replaced: { holder, reason: 'ended' } }) });
    const held = applyLock(provider(lock), { timeoutMs: 0, stderr: err.stream });
    await held.acquire();
    await held.release();
    expect(err.text()).toBe('Took over the apply lock of ci@runner-7 pid 4242 (since 2025-01-01T10:00:00.000Z): that process is no longer running.\n');
  });

  test('a release that fails is a warning with the way out, not an error that hides the apply outcome', async () => {
    const err = stderr();
    const lock = busyLock(0, { release: () => Promise.reject(new Error('DELETE /api/v1/environment_variables/x failed with 503')) });
    const held = applyLock(provider(lock), { timeoutMs: 0, stderr: err.stream });
    await held.acquire();
    await held.release();
    expect(err.text()).toContain('Warning: could not release the apply lock: DELETE /api/v1/environment_variables/x failed with 503');
    expect(err.text()).toContain('`idm unlock`');
  });

  test('a provider with nowhere to keep a lock gets one line saying applies are not serialised', async () => {
    const err = stderr();
    const held = applyLock(provider(undefined, 'kratos'), { timeoutMs: 0, stderr: err.stream });
    await held.acquire();
    await held.release();
    expect(err.text()).toBe('Warning: kratos keeps no apply lock, so concurrent applies to this tenant are not prevented.\n');
  });
});

test('describeHolder says how long ago the lock was taken and when it expires', () => {
  const now = Date.parse('2025-01-01T10:03:30.000Z');
  expect(describeHolder(holder, now)).toBe('ci@runner-7 pid 4242, since 2025-01-01T10:00:00.000Z (3m ago), expires 2025-01-01T11:00:00.000Z (in 56m)');
  expect(describeHolder({ owner: 'unknown', started: 'unknown', expires: 'never' }, now)).toBe('unknown, since unknown, expires never');
});

test.each([
  ['0', 0],
  ['0s', 0],
  ['30s', 30_000],
  ['2m', 120_000],
  ['1.5h', 5_400_000],
  ['250ms', 250],
])('--lock-timeout %s is %d ms', (text, ms) => {
  expect(parseDuration(text, '--lock-timeout')).toBe(ms);
});

test.each(['', '30', 'soon', '-1s', '2 weeks', '1d'])('--lock-timeout %j is refused with the forms it takes', (text) => {
  expect(() => parseDuration(text, '--lock-timeout')).toThrow(expect.objectContaining({ code: 'INVALID_DURATION', hint: expect.stringContaining('30s, 2m or 1h') }));
});
