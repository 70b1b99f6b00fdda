/** ANSI styling, switched off as a whole when output is not a terminal or NO_COLOR is set. */
export interface Palette {
  readonly create: (s: string) => string;
  readonly update: (s: string) => string;
  readonly delete: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const ansi = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export const palette = (color: boolean): Palette =>
  color
    ? { create: ansi(32, 39), update: ansi(33, 39), delete: ansi(31, 39), bold: ansi(1, 22), dim: ansi(2, 22) }
    : { create: plain, update: plain, delete: plain, bold: plain, dim: plain };

/** Colour is on for a TTY unless NO_COLOR is set to anything (https://no-color.org) or FORCE_COLOR=0. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}
