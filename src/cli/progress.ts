/**
 * Progress for long reads and applies, on stderr so stdout stays clean for plans and JSON.
 * On a terminal one line is redrawn in place; elsewhere (CI logs) a line is printed when a phase completes.
 */
import type { Progress } from '../providers/provider.js';

export interface ProgressSink {
  readonly report: Progress;
  /** Clears the redrawn line so the next output starts at column 0. */
  readonly done: () => void;
}

export function progressTo(stream: NodeJS.WriteStream, quiet = false): ProgressSink {
  if (quiet) return { report: () => {}, done: () => {} };
  if (stream.isTTY) {
    let drawn = false;
    return {
      report: ({ phase, done, total }) => {
        stream.write(`\r\u001b[K${phase === 'apply' ? 'applying' : `reading ${phase}`} ${done}${total === undefined ? '' : `/${total}`}`);
        drawn = true;
      },
      done: () => {
        if (drawn) stream.write('\r\u001b[K');
        drawn = false;
      },
    };
  }
  let last = '';
  return {
    report: ({ phase, done, total }) => {
      if (total !== undefined && done === total && last !== phase) {
        stream.write(phase === 'apply' ? `applied ${done} ${done === 1 ? 'step' : 'steps'}\n` : `read ${done} ${phase}\n`);
        last = phase;
      }
    },
    done: () => {},
  };
}
