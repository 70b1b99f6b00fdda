/** Character offsets in a users file -> 1-based line and column, for diagnostics. */
import type { SourceLocation } from '../../errors.js';

export class LineIndex {
  /** The offset at which each line starts. */
  private readonly starts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // \r\n counts once; a lone \r (old Mac files) ends a line too, as CSV readers treat it.
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  location(offset: number): SourceLocation {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: at - this.starts[lo]! + 1 };
  }

}

/** The length of a byte-order mark at the start of `text`: it is not part of the first heading or JSON value. */
export const skipBom = (text: string): number => (text.startsWith('\uFEFF') ? 1 : 0);
