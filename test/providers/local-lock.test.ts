/**
 * The local target's lock file (`kinde.json.lock`): one winner among racing runs, stale locks taken over, a release
 * that removes only its own lock and writes the tenant first, and a winner that catches up with the state file.
 */
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateFileLock, stateVersion, type LocalState } from '../../src/providers/local-lock.js';

const hour = 3_600_000;

interface FakeState extends LocalState {
  reloads: number;
  /** Whether the lock file still existed when the tenant was saved. */
  savedUnderLock: boolean[];
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'idm-local-lock-'));
  const stateFile = join(dir, 'kinde.json');
  writeFileSync(stateFile, '{"tenant":1}');
  const loadedVersion = await stateVersion(stateFile);
  const lockFile = `${stateFile}.lock`;
  const open = (now?: () => number): { lock: StateFileLock; state: FakeState } => {
    const state: FakeState = {
      loadedVersion,
      reloads: 0,
      savedUnderLock: [],
      reload: async () => void state.reloads++,
      save: async () => void state.savedUnderLock.push(existsSync(lockFile)),
    };
    return { lock: new StateFileLock(stateFile, state, now), state };
  };
  const record = (owner: string, startedAgoMs: number) => {
    const started = Date.now() - startedAgoMs;
    return JSON.stringify({ owner, started: new Date(started).toISOString(), expires: new Date(started + hour).toISOString() });
  };
  return { dir, stateFile, lockFile, open, record };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('acquire', () => {
  test('of eight runs racing for the lock, exactly one wins; the others are told who holds it', async () => {
    const { dir, lockFile, open } = await setup();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => open().lock.acquire(`ana@laptop pid ${i}`, hour)));
    const winners = results.flatMap((r, i) => (r.acquired ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.acquired) expect(r.holder.owner).toBe(`ana@laptop pid ${winners[0]}`);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ owner: `ana@laptop pid ${winners[0]}` });
    // No drafts left behind.
    expect(readdirSync(dir).sort()).toEqual(['kinde.json', 'kinde.json.lock']);
  });

  test('a lock of a process of this host that has ended is taken over, and the takeover says so', async () => {
    const { lockFile, open, record } = await setup();
    const owner = `ana@${hostname()} pid ${await deadPid()}`;
    writeFileSync(lockFile, record(owner, 1000));
    expect(await open().lock.acquire('ana@laptop pid 2', hour)).toMatchObject({ acquired: true, replaced: { reason: 'ended', holder: { owner } } });
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).owner).toBe('ana@laptop pid 2');
  });

  test('an expired lock is taken over; a live one holds', async () => {
    const { lockFile, open, record } = await setup();
    const alive = `ana@${hostname()} pid ${process.pid}`;
    writeFileSync(lockFile, record(alive, 1000));
    expect(await open().lock.acquire('ana@laptop pid 2', hour)).toMatchObject({ acquired: false, holder: { owner: alive } });
    writeFileSync(lockFile, record(alive, 2 * hour));
    expect(await open().lock.acquire('ana@laptop pid 2', hour)).toMatchObject({ acquired: true, replaced: { reason: 'expired' } });
  });

  test('of runs racing to take over one stale lock, exactly one wins', async () => {
    const { dir, lockFile, open, record } = await setup();
    writeFileSync(lockFile, record(`ana@${hostname()} pid ${await deadPid()}`, 1000));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => open().lock.acquire(`ana@laptop pid ${i}`, hour)));
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(['kinde.json', 'kinde.json.lock']);
  });

  test('a lock file idm cannot read holds until removed', async () => {
    const { lockFile, open } = await setup();
    writeFileSync(lockFile, '');
    const result = await open().lock.acquire('ana@laptop pid 2', hour);
    expect(!result.acquired && result.holder.owner).toContain('kinde.json.lock is not a lock record idm can read');
  });

  test('the winner reads the state file again when another run changed it since it was loaded, only then', async () => {
    const { stateFile, open } = await setup();
    const first = open();
    expect((await first.lock.acquire('a@host pid 1', hour)).acquired).toBe(true);
    expect(first.state.reloads).toBe(0);
    await first.lock.release();
    writeFileSync(`${stateFile}.tmp`, '{"tenant":2}');
    // As the emulator writes it: a new file renamed over the old one.
    renameSync(`${stateFile}.tmp`, stateFile);
    const second = open();
    expect((await second.lock.acquire('b@host pid 2', hour)).acquired).toBe(true);
    expect(second.state.reloads).toBe(1);
  });
});

describe('release', () => {
  test('writes the tenant, then removes the lock; nothing when this run holds none', async () => {
    const { lockFile, open } = await setup();
    const a = open();
    const b = open();
    expect((await a.lock.acquire('a@host pid 1', hour)).acquired).toBe(true);
    await b.lock.release();
    expect(existsSync(lockFile)).toBe(true);
    expect(b.state.savedUnderLock).toEqual([]);
    await a.lock.release();
    expect(a.state.savedUnderLock).toEqual([true]);
    expect(existsSync(lockFile)).toBe(false);
  });

  test('never removes the lock of the run that took over its expired one', async () => {
    const { lockFile, open } = await setup();
    const late = open(() => Date.now() - 2 * hour);
    expect((await late.lock.acquire('late@host pid 1', hour)).acquired).toBe(true);
    expect((await open().lock.acquire('next@host pid 2', hour)).acquired).toBe(true);
    await late.lock.release();
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).owner).toBe('next@host pid 2');
  });

  test('holder shows the lock without touching it; forceRelease removes whatever lock is there', async () => {
    const { lockFile, open } = await setup();
    const { lock } = open();
    expect(await lock.holder()).toBeNull();
    expect(await lock.forceRelease()).toBeNull();
    expect((await open().lock.acquire('a@host pid 1', hour)).acquired).toBe(true);
    expect(await lock.holder()).toMatchObject({ owner: 'a@host pid 1' });
    expect(existsSync(lockFile)).toBe(true);
    expect(await lock.forceRelease()).toMatchObject({ owner: 'a@host pid 1' });
    expect(existsSync(lockFile)).toBe(false);
  });
});
