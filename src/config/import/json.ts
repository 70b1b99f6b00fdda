/**
 * A JSON parser that remembers where every value (and every key) is written, so that a problem in a users file
 * can be reported at its line and column. JSON.parse gives only a value, and its errors only an offset.
 */
import type { Node, Pair } from 'yaml';
import type { SourceLocation } from '../../errors.js';
import type { Locator, Path } from '../source.js';
import type { LineIndex } from './text.js';

export interface JsonPosition {
  /** Offset of the value's first character. */
  readonly value: number;
  /** Offset of the key's opening quote, for a member of an object. */
  readonly key?: number;
}

export interface ParsedJson {
  readonly value: unknown;
  /** By `pathKey(path)`. */
  readonly positions: ReadonlyMap<string, JsonPosition>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const pathKey = (path: Path): string => JSON.stringify(path);

/** Deeper than any user record needs; a bound so that a hostile file cannot exhaust the stack. */
const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses text[start, end) as one JSON value. Throws JsonSyntaxError with the offset of the problem. `track: false`
 * records no positions (a valid record of a large file never needs them; see jsonRecords).
 *
 * The text is first checked (checkJson: syntax, duplicate keys, depth), then JSON.parse builds the value: the checks
 * accept exactly what JSON.parse does, less duplicate keys and deep nesting, so it never fails after them. Its
 * strings are copies: the values of a large file keep nothing of the file's text alive.
 */
export function parseJson(text: string, start = 0, end = text.length, track = true): ParsedJson {
  const positions = checkJson(text, start, end, track);
  return { value: JSON.parse(text.slice(start, end)), positions };
}

/** The checks of parseJson, and the positions of every value (an empty map with `track: false`). */
export function checkJson(text: string, start = 0, end = text.length, track = true): Map<string, JsonPosition> {
  const positions = new Map<string, JsonPosition>();
  let i = start;

  const describe = (at: number): string => (at >= end ? 'the end of the line' : JSON.stringify(text[at]));
  const fail = (message: string, at = i): never => {
    throw new JsonSyntaxError(message, at);
  };
  const space = (): void => {
    while (i < end) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };

  /** Reads a string; its text is built only for a key (`keep`), the only strings the checks compare. */
  const string = (keep: boolean): string => {
    const open = i;
    i++; // the opening quote
    let out = '';
    while (i < end) {
      // A run of plain characters is taken in one step.
      let run = i;
      for (let code = text.charCodeAt(run); run < end && code !== 34 && code !== 92 && code >= 0x20; code = text.charCodeAt(++run));
      if (run > i) {
        if (keep) out += text.slice(i, run);
        i = run;
        if (i >= end) break;
      }
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          if (keep) out += simple[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
          if (keep) out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail(`invalid escape ${JSON.stringify(text.slice(i, i + 2))} in a string`);
      }
      if (c.charCodeAt(0) < 0x20) fail('a line break or control character inside a string (write it as \\n, \\t, ...)');
    }
    return fail('a string is never closed', open);
  };

  // Without tracking, paths are not built either: `path` stays the empty list.
  const child = (path: Path, step: string | number): Path => (track ? [...path, step] : path);
  const value = (path: Path, depth: number, key?: number): void => {
    space();
    if (depth > MAX_DEPTH) fail(`values are nested more than ${MAX_DEPTH} deep`);
    if (track) positions.set(pathKey(path), key === undefined ? { value: i } : { value: i, key });
    const c = text[i];
    if (c === '{') {
      i++;
      const keys = new Set<string>();
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a key in quotes, found ${describe(i)}`);
        const keyAt = i;
        const name = string(true);
        if (keys.has(name)) fail(`duplicate key ${JSON.stringify(name)} (JSON readers would silently keep only the last)`, keyAt);
        keys.add(name);
        space();
        if (text[i] !== ':') fail(`expected ":" after the key ${JSON.stringify(name)}, found ${describe(i)}`);
        i++;
        value(child(path, name), depth + 1, keyAt);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}" after the value of ${JSON.stringify(name)}, found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(child(path, n), depth + 1);
        space();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]" in a list, found ${describe(i)}`);
      }
    }
    if (c === '"') {
      string(false);
      return;
    }
    const word = c === 't' ? 'true' : c === 'f' ? 'false' : c === 'n' ? 'null' : undefined;
    if (word !== undefined && text.startsWith(word, i) && i + word.length <= end) {
      i += word.length;
      return;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && i + m[0].length <= end) {
      i += m[0].length;
      return;
    }
    if (c === "'") fail('strings must be in double quotes in JSON');
    return fail(i >= end ? 'a value is missing' : `unexpected ${describe(i)}`);
  };

  value([], 0);
  space();
  if (i < end) fail(`unexpected ${describe(i)} after the end of the value`);
  return positions;
}

/**
 * Locates paths into one JSON value of a users file. `prefix` is where that value sits in the parsed document (its
 * index in a JSON list), so that paths relative to one user find positions recorded for the whole list.
 */
export class JsonLocator implements Locator {
  readonly file: string;
  readonly text: string;
  private known: ReadonlyMap<string, JsonPosition> | undefined;

  constructor(
    private readonly lines: LineIndex,
    /** The positions, or how to find them when first asked (by parsing the value again, tracking them). */
    private readonly recorded: ReadonlyMap<string, JsonPosition> | (() => ReadonlyMap<string, JsonPosition>),
    private readonly prefix: Path = [],
  ) {
    this.file = lines.file;
    this.text = lines.text;
  }

  /** A JSON value has no YAML nodes: this is never asked. */
  textOf(): string {
    return this.text;
  }

  private get positions(): ReadonlyMap<string, JsonPosition> {
    return (this.known ??= typeof this.recorded === 'function' ? this.recorded() : this.recorded);
  }

  /** The nearest recorded position: the value's, its key's with `key: true`, else the closest ancestor's. */
  locate(path: Path, options: { key?: boolean } = {}): SourceLocation {
    const full = [...this.prefix, ...path];
    for (let n = full.length; n >= 0; n--) {
      const p = this.positions.get(pathKey(full.slice(0, n)));
      if (!p) continue;
      return this.lines.location(options.key && n === full.length && p.key !== undefined ? p.key : p.value);
    }
    return this.lines.location(0);
  }

  /** The offset of the value at `path` (its key's with `key: true`), or of its nearest recorded ancestor. */
  offset(path: Path, options: { key?: boolean } = {}): number {
    const full = [...this.prefix, ...path];
    for (let n = full.length; n >= 0; n--) {
      const p = this.positions.get(pathKey(full.slice(0, n)));
      if (p) return options.key && n === full.length && p.key !== undefined ? p.key : p.value;
    }
    return 0;
  }

  /** Offsets -> locations, for a PathLocator built over this record. */
  get index(): LineIndex {
    return this.lines;
  }

  nodeAt(): Node | undefined {
    return undefined;
  }

  pairAt(): Pair | undefined {
    return undefined;
  }
}

/** One user's worth of a JSON users file: a line of NDJSON, or an item of a JSON list. */
export interface JsonRecord {
  /** The 1-based line the record starts on. */
  readonly line: number;
  /** The parsed value; absent when the record is not valid JSON (see `syntax`). */
  readonly value?: unknown;
  readonly locator: JsonLocator;
  readonly syntax?: { readonly message: string; readonly location: SourceLocation };
}

export interface JsonRecords {
  readonly records: readonly JsonRecord[];
  /** A JSON list that cannot be read: no record can be trusted then. */
  readonly fatal?: { readonly message: string; readonly location: SourceLocation };
}

const startsList = (text: string, bomLength: number): boolean => {
  const first = /\S/.exec(text.slice(bomLength, bomLength + 4096)) ?? /\S/.exec(text.slice(bomLength));
  return first !== null && text[bomLength + first.index] === '[';
};

/** A JSON list: parsed whole (one bad item spoils it all), its items' positions shared. */
function listRecords(lines: LineIndex, bomLength: number): JsonRecords {
  const text = lines.text;
  try {
    const parsed = parseJson(text, bomLength);
    const items = parsed.value as unknown[];
    const records = items.map((value, index): JsonRecord => {
      const at = parsed.positions.get(pathKey([index]))!.value;
      return { line: lines.location(at).line, value, locator: new JsonLocator(lines, parsed.positions, [index]) };
    });
    return { records };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { records: [], fatal: { message: e.message, location: lines.location(e.offset) } };
  }
}

/** NDJSON, a line at a time, each parsed only when the iteration reaches it. */
function* ndjsonRecords(lines: LineIndex, bomLength: number): Generator<JsonRecord> {
  const text = lines.text;
  let start = bomLength;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    if (/\S/.test(text.slice(start, contentEnd))) {
      try {
        // Positions are found again only for a record with a problem to point at.
        const [from, to] = [start, contentEnd];
        const parsed = parseJson(text, from, to, false);
        yield { line, value: parsed.value, locator: new JsonLocator(lines, () => checkJson(text, from, to)) };
      } catch (e) {
        if (!(e instanceof JsonSyntaxError)) throw e;
        const empty = new JsonLocator(lines, new Map([[pathKey([]), { value: start + (/\S/.exec(text.slice(start, contentEnd))?.index ?? 0) }]]));
        yield { line, locator: empty, syntax: { message: e.message, location: lines.location(e.offset) } };
      }
    }
    if (end >= text.length) break;
    start = end + 1;
    line++;
  }
}

/**
 * The records of NDJSON (one value per line; blank lines skipped) or of a JSON list (a file starting with "[", as
 * the Auth0 Management API returns users). A bad NDJSON line spoils only itself; a bad list spoils the whole file.
 * `untilFirstValue`: NDJSON is read only as far as its first valid record (enough to tell a file's format).
 */
export function jsonRecords(lines: LineIndex, bomLength: number, untilFirstValue = false): JsonRecords {
  if (startsList(lines.text, bomLength)) return listRecords(lines, bomLength);
  const records: JsonRecord[] = [];
  for (const record of ndjsonRecords(lines, bomLength)) {
    records.push(record);
    if (untilFirstValue && record.value !== undefined) break;
  }
  return { records };
}

/**
 * As jsonRecords, but NDJSON records are parsed as the caller iterates them (once): a caller that is done with each
 * record before taking the next never holds a large file's records all at once.
 */
export function streamJsonRecords(lines: LineIndex, bomLength: number): { readonly records: Iterable<JsonRecord>; readonly fatal?: JsonRecords['fatal'] } {
  return startsList(lines.text, bomLength) ? listRecords(lines, bomLength) : { records: ndjsonRecords(lines, bomLength) };
}
