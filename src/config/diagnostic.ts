/** Building Diagnostics, and ordering them the way a reader goes through the file. */
import type { Diagnostic, Severity, SourceLocation } from '../errors.js';
import type { ConfigCode } from './codes.js';

export function diagnostic(severity: Severity, code: ConfigCode, message: string, location: SourceLocation, hint?: string): Diagnostic {
  return hint === undefined ? { severity, code, message, location } : { severity, code, message, location, hint };
}

export const error = (code: ConfigCode, message: string, location: SourceLocation, hint?: string): Diagnostic =>
  diagnostic('error', code, message, location, hint);

export const warning = (code: ConfigCode, message: string, location: SourceLocation, hint?: string): Diagnostic =>
  diagnostic('warning', code, message, location, hint);

/**
 * By file (`first` first, then the others in the order they first appear: the config before the users file it names),
 * then by position in the file; stable for diagnostics at the same position.
 */
export function byPosition(list: readonly Diagnostic[], first?: string): Diagnostic[] {
  const files = new Map<string, number>(first === undefined ? [] : [[first, 0]]);
  for (const d of list) if (!files.has(d.location.file)) files.set(d.location.file, files.size);
  return [...list].sort(
    (a, b) => files.get(a.location.file)! - files.get(b.location.file)! || a.location.line - b.location.line || a.location.col - b.location.col,
  );
}

/** Drops repeats of the same problem reported twice at the same place. */
export function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const id = `${d.severity}|${d.location.line}:${d.location.col}|${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Quotes a value for a message, shortened so a long value cannot flood the output. */
export function quote(value: string, max = 60): string {
  const shown = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return JSON.stringify(shown);
}

/** `line 12` of a location, for "first declared at line 12". */
export const lineOf = (l: SourceLocation): string => `line ${l.line}`;
