/**
 * Bad-input corpus: every malformed or hostile input must fail with a ConfigError whose diagnostics are located
 * inside the file they name, carry no stack trace, and come back quickly. Big inputs are generated at run time.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError, formatLocation, type Diagnostic } from '../../src/errors.js';
import { idm } from '../helpers/cli.js';

const dir = 'test/fixtures/bad';
const root = resolve(new URL('../..', import.meta.url).pathname);
const env = { IDM_A: '${env:IDM_A}', IDM_B: '${env:IDM_A}' };
let tmp = '';

const usersCfg = (file: string): string =>
  `version: 1\nroles:\n  - { key: viewer, name: Viewer }\norganizations:\n  - { external_id: acme, name: Acme }\nusers_file: ${file}\n`;

/** Big inputs, written into a temp dir so no megabytes are committed. */
const generated: Record<string, () => Record<string, string>> = {
  'gen/huge-5mb.yaml': () => {
    const perms = Array.from({ length: 60_000 }, (_, i) => `  - { key: "read:area${i}", name: "Read area number ${i} of the big file" }`);
    return { 'huge-5mb.yaml': `version: 1\npermissions:\n${perms.join('\n')}\nroles:\n  - { key: viewer, name: Viewer, permissions: [read:nowhere] }\n` };
  },
  'gen/long-scalar-1mb.yaml': () => ({ 'long-scalar-1mb.yaml': `version: 1\nbusiness:\n  name: "${'x'.repeat(1_048_576)}\n` }),
  'gen/long-scalar-1mb-valid-yaml.yaml': () => ({ 'long-scalar-1mb-valid-yaml.yaml': `version: 1\npermissions:\n  - { key: "${'a'.repeat(1_048_576)}", name: A }\n` }),
  'gen/deep-flow-closed.yaml': () => ({ 'deep-flow-closed.yaml': `version: 1\nroles: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n` }),
  'gen/roles-10000-unknown-perm.yaml': () => ({
    'roles-10000-unknown-perm.yaml': `version: 1\nroles:\n${Array.from({ length: 10_000 }, (_, i) => `  - { key: role${i}, name: Role ${i}, permissions: [ghost:perm${i}] }`).join('\n')}\n`,
  }),
  'gen/csv-200k-lines.yaml': () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `u${i}@acme.com,${i},F,L,viewer,acme,,,`);
    rows[150_000] = 'broken-email,150000,F,L,viewer,acme,,,';
    return {
      'csv-200k-lines.csv': `email,id,first_name,last_name,role_key,external_organization_id,hashed_password,hashing_method,salt\n${rows.join('\n')}\n`,
      'csv-200k-lines.yaml': usersCfg('csv-200k-lines.csv'),
    };
  },
};

const committed = readdirSync(new URL('../fixtures/bad/', import.meta.url))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const cases: string[] = [...committed.map((f) => `${dir}/${f}`), ...Object.keys(generated)];
const path = (c: string): string => (c.startsWith('gen/') ? join(tmp, c.slice(4)) : c);

const texts = new Map<string, string[]>();
function linesOf(file: string): string[] {
  const abs = resolve(root, file);
  let lines = texts.get(abs);
  if (!lines) texts.set(abs, (lines = readFileSync(abs, 'utf8').split(/\r\n|\n|\r/)));
  return lines;
}

/** Loaded once per file: the big cases are checked by more than one test. */
const loaded = new Map<string, Promise<Diagnostic[]>>();
function diagnosticsOf(file: string): Promise<Diagnostic[]> {
  let p = loaded.get(file);
  if (!p) loaded.set(file, (p = load(file)));
  return p;
}

async function load(file: string): Promise<Diagnostic[]> {
  try {
    await loadConfig(file, env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.diagnostics];
    throw e;
  }
  throw new Error(`expected ${file} to fail to load`);
}

const stackTrace = /^\s+at /m;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'idm-bad-'));
  for (const make of Object.values(generated)) for (const [name, text] of Object.entries(make())) writeFileSync(join(tmp, name), text);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bad-input corpus', () => {
  it('has at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  // The timeout only catches a hang (a case that never finishes); speed is measured by benchmarks, not tests.
  it.each(cases)('%s fails with located diagnostics', { timeout: 60_000 }, async (c) => {
    const ds = await diagnosticsOf(path(c));
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.some((d) => d.severity === 'error')).toBe(true);
    // Bounded: one problem per bad line at most, never a flood (the 10,000-role case gives one per role).
    expect(ds.length).toBeLessThanOrEqual(10_000);
    for (const d of ds) {
      const { file, line, col } = d.location;
      expect(file, formatLocation(d.location)).toBeTruthy();
      expect(Number.isInteger(line) && line >= 1, formatLocation(d.location)).toBe(true);
      expect(Number.isInteger(col) && col >= 1, formatLocation(d.location)).toBe(true);
      const lines = linesOf(file);
      expect(line, `${formatLocation(d.location)} past the end of the file`).toBeLessThanOrEqual(lines.length);
      expect(col, `${formatLocation(d.location)} past the end of the line`).toBeLessThanOrEqual((lines[line - 1]?.length ?? 0) + 1);
      expect(d.message).not.toMatch(stackTrace);
      expect(d.message).not.toMatch(/\bat .*\.(js|ts):\d+/);
      if (d.hint) expect(d.hint).not.toMatch(stackTrace);
    }
  });

  const exact: [string, string, string][] = [
    ['alias-bomb.yaml', 'alias-bomb.yaml:6:36', 'alias bomb'],
    ['deep-flow.yaml', 'deep-flow.yaml:2:', 'nested too deeply'],
    ['duplicate-keys.yaml', 'duplicate-keys.yaml:2:1', 'duplicate key "version"'],
    ['empty.yaml', 'empty.yaml:1:1', 'the config file is empty'],
    ['only-comment.yaml', 'only-comment.yaml:1:1', 'the config file is empty'],
    ['control-chars.yaml', 'control-chars.yaml:3:12', 'contains a control character'],
    ['bad-hashes.yaml', 'bad-hashes.csv:2:34', 'is not a bcrypt hash'],
    ['bad-hashes.yaml', 'bad-hashes.csv:3:102', 'which bcrypt does not take'],
    ['csv-injection.yaml', 'csv-injection.csv:2:14', 'starts with "="'],
    ['csv-unclosed-quote.yaml', 'csv-unclosed-quote.csv:2:14', 'a quoted cell is never closed'],
    ['ndjson-truncated.yaml', 'ndjson-truncated.ndjson:2:40', 'is not valid JSON'],
    ['bom-crlf.yaml', 'bom-crlf.yaml:5:48', 'unknown permission "nope"'],
    ['tab-indent.yaml', 'tab-indent.yaml:3:1', 'tabs are not allowed'],
    ['version-2.yaml', 'version-2.yaml:1:10', '"version" must be 1'],
  ];
  it.each(exact)('%s reports %s: %s', async (name, where, phrase) => {
    const ds = await diagnosticsOf(`${dir}/${name}`);
    const hit = ds.find((d) => formatLocation(d.location).startsWith(`${dir}/${where}`) && d.message.includes(phrase));
    expect(hit, ds.map((d) => `${formatLocation(d.location)} ${d.message}`).join('\n')).toBeDefined();
  });

  it('csv-injection flags =, +, @ and - cells', async () => {
    const ds = await diagnosticsOf(`${dir}/csv-injection.yaml`);
    expect(ds.filter((d) => d.code === 'CSV_INJECTION').map((d) => d.location.line)).toEqual([2, 3, 4, 5]);
  });

  it('10,000 roles naming unknown permissions: one diagnostic per role', async () => {
    const ds = await load(path('gen/roles-10000-unknown-perm.yaml'));
    expect(ds.filter((d) => d.code === 'UNKNOWN_PERMISSION')).toHaveLength(10_000);
  });

  it('200,000-line CSV: the one bad row is found on its line', async () => {
    const ds = await diagnosticsOf(path('gen/csv-200k-lines.yaml'));
    expect(ds.map((d) => `${d.code} ${d.location.line}`)).toContain('INVALID_EMAIL 150002');
  });

  // Current behaviour, reported to the lead: confusable keys (Cyrillic "а", U+200D, U+202E) are accepted silently
  // as permission keys. The configs fail only because the role then names the ASCII key, which is "unknown"; no
  // diagnostic points at the confusable key itself.
  it.each(['confusable-cyrillic.yaml', 'confusable-zwj.yaml', 'confusable-rtl.yaml'])('%s: the confusable key itself is not flagged (documents current behaviour)', async (name) => {
    const ds = await diagnosticsOf(`${dir}/${name}`);
    expect(ds.map((d) => `${d.code} ${d.location.line}:${d.location.col}`)).toEqual(['UNKNOWN_PERMISSION 5:48']);
  });

  it('an ${env:X} value that names itself is not expanded recursively', async () => {
    const ds = await diagnosticsOf(`${dir}/env-cycle.yaml`);
    expect(ds.map((d) => d.code)).toEqual(['VAR_UNSET']);
  });

  it.each(['deep-flow.yaml', 'alias-bomb.yaml', 'bad-hashes.yaml'])('CLI: idm validate %s exits 1 without a stack trace', { timeout: 30_000 }, async (name) => {
    const r = await idm(['validate', '-c', `${dir}/${name}`], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).not.toMatch(stackTrace);
    expect(r.stderr + r.stdout).toContain(name.replace('.yaml', ''));
  });
});
