/** Shared by the config tests: fixtures, and diagnostics in a form that is easy to compare. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError, formatLocation, type Diagnostic } from '../../src/errors.js';

export const fixtureDir = 'test/fixtures/config';

/** A fixture's text and the path it is reported under (relative to the repo root, as a user would pass it). */
export function fixture(name: string): { text: string; file: string } {
  return { text: readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8'), file: `${fixtureDir}/${name}` };
}

/** `CODE file:line:col message`: everything about a diagnostic but its hint. */
export const brief = (d: Diagnostic): string => `${d.code} ${formatLocation(d.location)} ${d.message}`;

/** The diagnostics of a config that must fail to load. */
export function failures(text: string, file: string, env: Record<string, string | undefined> = {}, readFile?: (path: string) => string): Diagnostic[] {
  try {
    parseConfig(text, file, env, readFile ? { readFile } : {});
  } catch (e) {
    if (e instanceof ConfigError) return [...e.diagnostics];
    throw e;
  }
  throw new Error(`expected ${file} to fail to load`);
}

/** A config that must fail to load, and every diagnostic it must give. */
export interface BadCase {
  readonly name: string;
  /** A fixture file name, or inline YAML. */
  readonly fixture?: string;
  readonly text?: string;
  readonly env?: Record<string, string>;
  /** Files the config names (users_file, hash_file), by path. */
  readonly files?: Record<string, string>;
  /** Every diagnostic, in order, as `CODE file:line:col message`. */
  readonly expected: readonly string[];
  /** Their hints, where the case is about the hint. */
  readonly hints?: readonly string[];
}

/** Loads a bad case and checks what every such case must give: exactly its errors, each with a hint saying what to do. */
export function expectRejected(c: BadCase): Diagnostic[] {
  const { text, file } = c.fixture ? fixture(c.fixture) : { text: c.text!, file: 'idm.yaml' };
  const files = c.files;
  const readFile = files
    ? (path: string) => {
        const found = files[path];
        if (found === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return found;
      }
    : undefined;
  const found = failures(text, file, c.env ?? {}, readFile);
  expect(found.map(brief)).toEqual(c.expected);
  expect(found.every((d) => d.severity === 'error')).toBe(true);
  if (c.hints) expect(found.map((d) => d.hint)).toEqual(c.hints);
  for (const d of found) expect(d.hint, brief(d)).toBeTruthy();
  return found;
}
