/**
 * Feature flag checks the schema cannot express, because they depend on a flag's declaration: unique keys, a
 * default of the flag's type, and the values organizations and the environment set: declared flags only, of the
 * flag's type, and at a level the flag allows.
 *
 * The schema leaves flag values untyped on purpose: only here is the declared type known, so only here can a
 * message say "must be a boolean" rather than "must be a string, a number or a boolean".
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { FlagType, OverrideLevel } from '../model/desired.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, lineOf, quote } from './diagnostic.js';
import { uniqueEntries } from './entries.js';
import type { ReferenceCheck } from './references.js';
import type { ConfigSource, Path } from './source.js';
import { closest } from './suggest.js';
import type { Substitutions } from './variables.js';

export const flagTypes: Readonly<Record<FlagType, string>> = { str: 'a string', int: 'a whole number', bool: 'a boolean' };
export const isFlagType = (t: unknown): t is FlagType => t === 'str' || t === 'int' || t === 'bool';
const isOverrideLevel = (l: unknown): l is OverrideLevel => l === 'env' || l === 'org' || l === 'usr';

/** Why `value` is not of `type`, as the hint; undefined when it is. `fromEnv`: the value came from ${env:...}. */
export function flagTypeHint(type: FlagType, value: unknown, fromEnv: boolean): string | undefined {
  if (value === null || value === undefined) return 'write a value after the colon';
  switch (type) {
    case 'bool':
      if (typeof value === 'boolean') return undefined;
      if (fromEnv) return 'a value from ${env:...} is always a string; write true or false here';
      if (typeof value === 'string' && /^(y|n|yes|no|on|off|true|false)$/i.test(value)) {
        return 'write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)';
      }
      return 'write true or false';
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return undefined;
      if (typeof value === 'number' && Number.isInteger(value)) return 'write a whole number between -9007199254740991 and 9007199254740991';
      if (typeof value === 'number' && Number.isFinite(value)) return `write a whole number, e.g. ${Math.trunc(value)}`;
      if (fromEnv) return 'a value from ${env:...} is always a string; write the number here';
      if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return `write the number without quotes: ${value}`;
      return 'write a whole number, e.g. 10';
    case 'str':
      if (typeof value === 'string') return undefined;
      if (typeof value === 'number' || typeof value === 'boolean') return `put the value in quotes to make it text: "${String(value)}"`;
      return 'write the value as text';
  }
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function checkFeatureFlags(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };

  const typeHint = (type: FlagType, value: unknown, path: Path): string | undefined => flagTypeHint(type, value, describe.secretVars(path) !== undefined);

  const flags = uniqueEntries('feature_flags', data, source, describe, substitutions, errors);
  const flagItems = valueAt(data, ['feature_flags']);

  // Every default, duplicates included: each is wrong on its own.
  if (Array.isArray(flagItems)) {
    flagItems.forEach((item: unknown, f) => {
      const type = valueAt(item, ['type']);
      const path = ['feature_flags', f, 'default'];
      if (!isFlagType(type) || !isMapping(item) || !('default' in item) || unresolved(path)) return;
      const value = item.default;
      const hint = typeHint(type, value, path);
      if (hint === undefined) return;
      errors.push(
        error(
          ConfigCode.FeatureFlagValueType,
          `${describe.entity('feature_flags', f)} has type ${type}, so its default must be ${flagTypes[type]}, got ${describe.value(path, value)}`,
          source.locate(path),
          hint,
        ),
      );
    });
  }

  const suggestions = [...flags.first.values()]
    .filter((e) => !describe.secretVars(['feature_flags', e.index, 'key']))
    .map((e) => e.key);

  /** The values of one `feature_flags:` mapping of an organization (`org`) or of the environment. */
  const checkValues = (at: Path, owner: string, level: 'org' | 'env'): void => {
    const values = valueAt(data, at);
    if (!isMapping(values)) return; // a schema error, or absent
    for (const [key, value] of Object.entries(values)) {
      const path = [...at, key];
      const declared = flags.first.get(key);
      if (!declared) {
        if (!flags.complete) continue; // it might be the flag whose key is broken
        const suggestion = closest(key, suggestions);
        errors.push(
          error(
            ConfigCode.UnknownFeatureFlag,
            `${owner} sets unknown feature flag ${quote(key)}`,
            source.locate(path, { key: true }),
            suggestion
              ? `did you mean ${quote(suggestion)}? If not, declare the flag under feature_flags:`
              : `declare it under feature_flags:, e.g. - { key: ${key}, name: ..., type: bool, default: false }`,
          ),
        );
        continue;
      }
      const flagPath = ['feature_flags', declared.index];
      const flagLine = lineOf(source.locate([...flagPath, 'key']));
      const type = valueAt(data, [...flagPath, 'type']);
      const hint = isFlagType(type) && !unresolved(path) ? typeHint(type, value, path) : undefined;
      if (isFlagType(type) && hint !== undefined) {
        errors.push(
          error(
            ConfigCode.FeatureFlagValueType,
            `feature flag ${quote(key)} has type ${type} (declared at ${flagLine}), so its value in ${owner} must be ${flagTypes[type]}, got ${describe.value(path, value)}`,
            source.locate(path),
            hint,
          ),
        );
      }
      if (level !== 'org') continue;
      const written = valueAt(data, [...flagPath, 'override_level']);
      const overrideLevel = written === undefined ? 'env' : written;
      if (!isOverrideLevel(overrideLevel) || overrideLevel !== 'env') continue; // org and usr allow it; anything else is a schema error
      const where = written === undefined ? `override_level defaults to env; the flag is declared at ${flagLine}` : `override_level: env at ${lineOf(source.locate([...flagPath, 'override_level']))}`;
      errors.push(
        error(
          ConfigCode.FeatureFlagOverrideLevel,
          `${owner} overrides feature flag ${quote(key)}, which only the environment may set (${where})`,
          source.locate(path, { key: true }),
          `to let organizations set it, write override_level: org on the flag (${flagLine}); or remove this line`,
        ),
      );
    }
  };

  const orgs = valueAt(data, ['organizations']);
  if (Array.isArray(orgs)) orgs.forEach((_org: unknown, o) => checkValues(['organizations', o, 'feature_flags'], describe.entity('organizations', o), 'org'));
  checkValues(['environment', 'feature_flags'], 'the environment', 'env');

  return { errors, warnings: [] };
}
