/**
 * YAML text -> a YAML document with positions. Reports syntax errors and duplicate mapping keys; the document is
 * usable afterwards only when `fatal` is false.
 */
import { LineCounter, isMap, isPair, isScalar, parseDocument, visit, type YAMLError } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error, lineOf, quote, warning } from './diagnostic.js';
import { ConfigSource } from './source.js';

export interface ParsedYaml {
  readonly source: ConfigSource;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** True when the document cannot be read further: syntax errors, or no document at all. */
  readonly fatal: boolean;
}

/** What to do about the YAML parser's errors, by its error code. */
const syntaxHints: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'check the indentation: entries of one list or mapping must start in the same column',
  MISSING_CHAR: 'check the indentation and the punctuation: list items start with "- ", flow lists and mappings need their closing ] or }',
  BLOCK_AS_IMPLICIT_KEY: 'a value containing ": " must be quoted, e.g. name: "Billing: admin"',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or an unclosed quote above',
  MULTIPLE_DOCS: 'an idm config is a single YAML document; remove the extra "---"',
  BAD_SCALAR_START: 'quote a value that starts with a special character (@ ` % | >)',
  UNEXPECTED_TOKEN: 'quote the value if it is meant as text',
  BAD_DQ_ESCAPE: 'in double quotes, write a backslash as \\\\; or use single quotes',
  MULTIPLE_ANCHORS: 'give a value at most one &anchor',
  ALIAS_PROPS: 'an alias (*name) cannot have its own &anchor or !tag',
  KEY_OVER_1024_CHARS: 'shorten the key: YAML keys are limited to 1024 characters',
};

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * `colors: { button_color: #0056F1 }`: the " #" starts a comment, which swallows the closing brace, and the parser
 * reports a missing } a line or two later. Finds such a colour on the error's line or just above it.
 */
function commentedColor(lines: readonly string[], errorLine: number): string | undefined {
  for (let n = errorLine; n >= Math.max(1, errorLine - 2); n--) {
    // The lazy scan below is quadratic in the line's length: a runaway line (10,000 `[`) would hang it.
    if ((lines[n - 1]?.length ?? 0) > 1000) continue;
    const m = /[[{][^#'"]*?([\w-]+):\s+#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})\b/.exec(lines[n - 1] ?? '');
    if (m) return `put the colour on line ${n} in quotes: ${m[1]}: "#${m[2]}" (a # after a space starts a YAML comment, even inside { })`;
  }
  return undefined;
}

export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Duplicate keys are reported below, with the line of the first one.
    uniqueKeys: false,
    strict: true,
    version: '1.2',
    schema: 'core',
    merge: false,
  });
  const source = new ConfigSource(file, text, doc, lineCounter);
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];

  let textLines: string[] | undefined;
  const fromYaml = (e: YAMLError, location = source.location(e.pos[0])): Diagnostic => {
    if (e.code === 'MULTIPLE_DOCS') {
      return error(ConfigCode.YamlSyntax, 'invalid YAML: the file holds more than one document', location, syntaxHints.MULTIPLE_DOCS);
    }
    if (e.message.includes('call stack')) {
      return error(ConfigCode.YamlSyntax, 'invalid YAML: the document is nested too deeply to read', location, 'an idm config needs only a few levels of nesting; look for runaway [ or {');
    }
    const lines = (textLines ??= text.split(/\r?\n/));
    const line = lines[location.line - 1] ?? '';
    const hint = /[[{].*\$\{|\$\{.*[\]}]/.test(line)
      ? 'inside [ ] or { }, a value containing ${...} must be quoted, e.g. ["${env:NAME}"]'
      : (commentedColor(lines, location.line) ?? syntaxHints[e.code] ?? 'fix the YAML syntax at this position');
    return error(ConfigCode.YamlSyntax, `invalid YAML: ${lowerFirst(e.message)}`, location, hint);
  };
  // One error per line: the parser often reports a single mistake several times as it recovers.
  const lines = new Set<number>();
  for (const e of doc.errors) {
    const location = source.location(e.pos[0]);
    if (lines.has(location.line)) continue;
    lines.add(location.line);
    errors.push(fromYaml(e, location));
  }
  for (const w of doc.warnings) {
    const hint = w.code === 'TAG_RESOLVE_FAILED' ? 'idm reads no YAML tags; remove the tag' : undefined;
    warnings.push(warning(ConfigCode.YamlWarning, lowerFirst(w.message), source.location(w.pos[0]), hint));
  }
  if (errors.length > 0) return { source, errors, warnings, fatal: true };

  if (doc.contents === null) {
    errors.push(
      error(
        ConfigCode.Empty,
        'the config file is empty',
        source.location(0),
        'start it with "version: 1", then declare permissions: and roles: (see examples/quickstart/idm.yaml)',
      ),
    );
    return { source, errors, warnings, fatal: true };
  }

  errors.push(...duplicateKeys(source));
  return { source, errors, warnings, fatal: false };
}

/** Every key that appears a second time in the same mapping, located at the repeat. */
function duplicateKeys(source: ConfigSource): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(source.doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const first = new Map<string, number>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const earlier = first.get(name);
        if (earlier === undefined) {
          first.set(name, offset);
          continue;
        }
        found.push(
          error(
            ConfigCode.YamlDuplicateKey,
            `duplicate key ${quote(name)}: it is already set at ${lineOf(source.location(earlier))}`,
            source.location(offset),
            'remove one of the two; YAML would silently keep only the last',
          ),
        );
      }
    },
  });
  return found;
}
