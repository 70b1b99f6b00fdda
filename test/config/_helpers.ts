/** Shared by the config tests: fixtures, and diagnostics in a form that is easy to compare. */
import { readFileSync } from 'node:fs';
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
