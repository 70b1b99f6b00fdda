/**
 * Reading the fields of one JSON record of a foreign users file (Kinde NDJSON, Auth0) with type checks: a value of
 * the wrong type is reported where it is written, and read as absent.
 */
import type { Diagnostic } from '../../errors.js';
import { ConfigCode } from '../codes.js';
import type { Describer } from '../describe.js';
import { error, quote } from '../diagnostic.js';
import type { Path } from '../source.js';
import { closest } from '../suggest.js';
import type { JsonLocator } from './json.js';

const kinds = { string: 'a string', boolean: 'a boolean (true or false)', array: 'a list', object: 'an object' } as const;
type Kind = keyof typeof kinds;

export const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export class RecordReader {
  constructor(
    readonly value: unknown,
    readonly locator: JsonLocator,
    readonly describe: Describer,
    readonly problems: Diagnostic[],
  ) {}

  at(path: Path, options?: { key?: boolean }) {
    return this.locator.locate(path, options);
  }

  /** The value at `path` if it has the type; undefined (and an error) if it has another; undefined if absent or null. */
  get(path: Path, kind: 'string'): string | undefined;
  get(path: Path, kind: 'boolean'): boolean | undefined;
  get(path: Path, kind: 'array'): unknown[] | undefined;
  get(path: Path, kind: 'object'): Record<string, unknown> | undefined;
  get(path: Path, kind: Kind): unknown {
    let v: unknown = this.value;
    for (const segment of path) v = isMapping(v) || Array.isArray(v) ? (v as Record<string, unknown>)[segment as string] : undefined;
    if (v === undefined || v === null) return undefined;
    const ok = kind === 'array' ? Array.isArray(v) : kind === 'object' ? isMapping(v) : typeof v === kind;
    if (ok) return v;
    const hint =
      kind === 'boolean' && typeof v === 'string' && /^(true|false)$/i.test(v)
        ? `write ${v.toLowerCase()} without quotes`
        : kind === 'string' && (typeof v === 'number' || typeof v === 'boolean')
          ? `put the value in quotes: "${String(v)}"`
          : `write ${kinds[kind]}`;
    this.problems.push(error(ConfigCode.WrongType, `${this.describe.subject(path)} must be ${kinds[kind]}, got ${this.describe.value(path, v)}`, this.at(path), hint));
    return undefined;
  }

  /** A string that must be one of `choices` (compared without case); the choice, or undefined and an error. */
  choice<T extends string>(path: Path, choices: readonly T[]): T | undefined {
    const v = this.get(path, 'string');
    if (v === undefined) return undefined;
    const found = choices.find((c) => c === v.toLowerCase());
    if (found) return found;
    const meant = closest(v.toLowerCase(), choices);
    this.problems.push(
      error(
        ConfigCode.InvalidChoice,
        `${this.describe.subject(path)} must be one of ${choices.join(', ')}, got ${quote(v)}`,
        this.at(path),
        meant ? `did you mean ${quote(meant)}?` : `write one of: ${choices.join(', ')}`,
      ),
    );
    return undefined;
  }

  missing(path: Path, field: string, hint: string): void {
    this.problems.push(error(ConfigCode.MissingField, `${this.describe.subject(path)} is missing required field ${quote(field)}`, this.at(path), hint));
  }
}
