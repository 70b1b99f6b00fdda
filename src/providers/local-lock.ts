/**
 * The local target's apply lock. Two local runs each serve the tenant from an emulator of their own, in memory, over
 * one state file, so a record inside the tenant cannot serialise them: the lock is a file beside the state file
 * (`kinde.json.lock`) holding the same record as Kinde's `IDM_LOCK` (src/providers/lock-record.ts). It is created
 * with link(2), which like O_EXCL fails when the name exists, and publishes a file already complete: a crash never
 * leaves an empty lock that nobody can read.
 *
 * Holding the file is not all. A run loads the state file when it starts, before it waits for the lock, and the run
 * it waited for changed the file since: so once the lock is won the tenant is read again if the file changed, and
 * before the lock is let go the tenant is written out, for the next run to read the finished state.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { IdmError } from '../errors.js';
import { decodeHolder, encodeHolder, newHolder, staleReason, thisHost, unreadableHolder, type ThisHost } from './lock-record.js';
import type { LockHolder, ReplacedLock, TenantLock } from './provider.js';

/** The in-process tenant the lock guards. */
export interface LocalState {
  /** `stateVersion` of the state file just before the tenant was loaded from it. */
  readonly loadedVersion: string;
  /** Reads the state file again, in place of what is in memory. */
  reload(): Promise<void>;
  /** Writes the tenant to the state file; the run is over. */
  save(): Promise<void>;
}

/** Tells one content of the state file from another: it is replaced by a rename on every write. */
export async function stateVersion(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
}

/** Rounds of create-then-look before giving up on a lock that keeps changing hands while idm tries to take it. */
const maxRounds = 5;

const unique = (): string => `${process.pid}.${randomBytes(6).toString('hex')}`;

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

export class StateFileLock implements TenantLock {
  readonly path: string;
  /** The text of the lock file this process holds. */
  private held: string | undefined;

  constructor(
    private readonly stateFile: string,
    private readonly state: LocalState,
    private readonly now: () => number = Date.now,
    private readonly host: ThisHost = thisHost,
  ) {
    this.path = `${stateFile}.lock`;
  }

  async acquire(owner: string, ttlMs: number): ReturnType<TenantLock['acquire']> {
    let replaced: ReplacedLock | undefined;
    for (let round = 0; round < maxRounds; round++) {
      const text = encodeHolder(newHolder(owner, this.now(), ttlMs));
      if (await this.create(text)) {
        this.held = text;
        await this.catchUp();
        return replaced ? { acquired: true, replaced } : { acquired: true };
      }
      const current = await this.read();
      // Let go between our attempt and our look: try again.
      if (current === undefined) continue;
      const holder = this.decode(current);
      const reason = staleReason(holder, this.now(), this.host);
      if (reason === undefined) return { acquired: false, holder };
      await this.removeIfStill(current);
      replaced ??= { holder, reason };
    }
    throw new IdmError(
      `the local target's apply lock ${this.path} changed hands ${maxRounds} times while idm tried to take it`,
      'LOCK_CONTENDED',
      'other runs in this directory keep taking and letting go of it; try again',
    );
  }

  async release(): Promise<void> {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    try {
      await this.state.save();
    } finally {
      // Only our own lock: had ours expired and been taken over, the file now holds another run's record.
      if ((await this.read()) === held) await unlinkIfThere(this.path);
    }
  }

  async holder(): Promise<LockHolder | null> {
    const text = await this.read();
    return text === undefined ? null : this.decode(text);
  }

  async forceRelease(): Promise<LockHolder | null> {
    const text = await this.read();
    if (text === undefined) return null;
    await unlinkIfThere(this.path);
    this.held = undefined;
    return this.decode(text);
  }

  /** Reads the tenant again if the state file changed since it was loaded; on failure lets the lock go. */
  private async catchUp(): Promise<void> {
    try {
      if ((await stateVersion(this.stateFile)) !== this.state.loadedVersion) await this.state.reload();
    } catch (error) {
      this.held = undefined;
      await unlinkIfThere(this.path);
      throw error;
    }
  }

  private async create(text: string): Promise<boolean> {
    const draft = `${this.path}.${unique()}.tmp`;
    await writeFile(draft, text);
    try {
      await link(draft, this.path);
      return true;
    } catch (error) {
      if (code(error) === 'EEXIST') return false;
      throw error;
    } finally {
      await unlinkIfThere(draft);
    }
  }

  /**
   * Removes the lock file if it still holds `stale`. Moved aside first, so that only one run ever removes a given
   * lock: if what was moved is not `stale` (another run took the lock over in between), it is put back. A new lock
   * made by a third run in that moment keeps its place, and the one moved aside is then lost; the window is the
   * time of a rename and a read.
   */
  private async removeIfStill(stale: string): Promise<void> {
    const aside = `${this.path}.${unique()}.stale`;
    try {
      await rename(this.path, aside);
    } catch (error) {
      if (code(error) === 'ENOENT') return;
      throw error;
    }
    try {
      if ((await readFile(aside, 'utf8')) === stale) return;
      await link(aside, this.path).catch((error: unknown) => {
        if (code(error) !== 'EEXIST') throw error;
      });
    } finally {
      await unlinkIfThere(aside);
    }
  }

  private async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if (code(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  private decode(text: string): LockHolder {
    return decodeHolder(text) ?? unreadableHolder(this.path);
  }
}

async function unlinkIfThere(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}
