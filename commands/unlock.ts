import { Flags } from '@oclif/core';
import { IdmCommand, configFlag, envFlag } from '../src/cli/base-command.js';
import { loadTargetOnly } from '../src/cli/load-desired.js';
import { confirm } from '../src/cli/confirm.js';
import { describeHolder } from '../src/cli/lock.js';
import { openProvider } from '../src/providers/targets.js';
import { describeTarget } from '../src/render/target.js';

export default class Unlock extends IdmCommand {
  static override summary = 'Remove a stuck apply lock from the tenant.';
  static override description =
    'An apply holds a lock on the tenant while it runs, so that two applies never interleave. One killed on another machine leaves its lock behind until it expires (after 1 hour); this shows who holds the lock and removes it, after confirmation on a terminal. Only run it when no apply is running. Exit codes: 0 removed (or there was no lock), 1 error, 3 tenant unreachable or credentials refused.';
  static override examples = ['<%= config.bin %> unlock', '<%= config.bin %> unlock --force'];
  static override flags = {
    config: configFlag.config,
    ...envFlag,
    force: Flags.boolean({ description: 'Remove the lock without asking.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Unlock);
    const { target, environment } = await loadTargetOnly(flags);
    const provider = await openProvider(target, process.env, process.cwd(), {}, environment);
    try {
      this.log(describeTarget(provider.target));
      const lock = provider.lock;
      if (!lock) {
        this.log(`${provider.target.provider} keeps no apply lock: there is nothing to remove.`);
        return;
      }
      const holder = await lock.holder();
      if (!holder) {
        this.log('No apply lock is held on this tenant.');
        return;
      }
      this.log(`The apply lock is held by ${describeHolder(holder)}.`);
      if (!flags.force && process.stdin.isTTY && !(await confirm('\nRemove it? Do so only if that apply is no longer running.'))) {
        this.log('Left the lock in place.');
        process.exitCode = 1;
        return;
      }
      const removed = await lock.forceRelease();
      this.log(removed ? `Removed the apply lock of ${removed.owner}.` : 'The lock was let go in the meantime; there is none now.');
    } finally {
      await provider.close();
    }
  }
}
