/**
 * Checks on organizations and environment settings that the schema cannot express: unique external ids,
 * auto-join that has domains to join from, sets written with repeats, and tracking IDs of an unexpected form.
 * Like the reference checks, they judge only values of the right type, so that one mistake is reported once.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, lineOf, warning } from './diagnostic.js';
import { uniqueEntries } from './entries.js';
import { normaliseDomain, trackingFormats } from './formats.js';
import type { ReferenceCheck } from './references.js';
import type { ConfigSource, Path } from './source.js';
import type { Substitutions } from './variables.js';

export function checkSettings(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };

  /** A warning at each repeat in a list that idm reads as a set; `same` gives the form two items are compared in. */
  const repeats = (at: Path, what: string, owner: string, code: ConfigCode, hint: string, same: (s: string) => string = (s) => s): void => {
    const items = valueAt(data, at);
    if (!Array.isArray(items)) return;
    const seen = new Map<string, number>();
    items.forEach((item: unknown, i) => {
      const path = [...at, i];
      if (typeof item !== 'string' || unresolved(path)) return;
      const earlier = seen.get(same(item));
      if (earlier === undefined) {
        seen.set(same(item), i);
        return;
      }
      warnings.push(
        warning(code, `${owner} lists ${what} ${describe.quoted(path, item)} twice; the first is at ${lineOf(source.locate([...at, earlier]))}`, source.locate(path), hint),
      );
    });
  };
  const factorRepeats = (at: Path, owner: string): void =>
    repeats(at, 'MFA factor', owner, ConfigCode.DuplicateMfaFactor, 'remove the repeat: the factors are a set');

  uniqueEntries('organizations', data, source, describe, substitutions, errors);
  const orgs = valueAt(data, ['organizations']);
  if (Array.isArray(orgs)) {
    orgs.forEach((_org: unknown, o) => {
      const owner = describe.entity('organizations', o);
      const policies = ['organizations', o, 'policies'];
      const domainsPath = [...policies, 'allowed_domains'];
      repeats(domainsPath, 'allowed domain', owner, ConfigCode.DuplicateDomain, 'remove the repeat: allowed domains are a set, compared without regard to case', normaliseDomain);
      factorRepeats(['organizations', o, 'mfa', 'factors'], owner);

      // Auto-join with nothing to join from cannot do anything; it is most likely a forgotten allowed_domains.
      if (valueAt(data, [...policies, 'auto_join_domains']) !== true) return;
      const domains = valueAt(data, domainsPath);
      if (domains !== undefined && !(Array.isArray(domains) && domains.length === 0)) return; // listed, or a schema error
      errors.push(
        error(
          ConfigCode.AutoJoinWithoutDomains,
          domains === undefined
            ? `${owner} sets auto_join_domains: true but lists no allowed_domains`
            : `${owner} sets auto_join_domains: true but its allowed_domains list is empty`,
          source.locate([...policies, 'auto_join_domains']),
          'list the domains whose users may join under policies, e.g. allowed_domains: [acme.com]; or set auto_join_domains: false',
        ),
      );
    });
  }

  factorRepeats(['environment', 'mfa', 'factors'], 'the environment');
  for (const [name, format] of Object.entries(trackingFormats)) {
    const path = ['environment', 'tracking', name];
    const value = valueAt(data, path);
    if (typeof value !== 'string' || value === '' || unresolved(path) || format.pattern.test(value)) continue;
    warnings.push(
      warning(
        ConfigCode.TrackingIdFormat,
        `${describe.subject(path)} does not look like ${format.what}: ${describe.value(path, value)}`,
        source.locate(path),
        format.hint,
      ),
    );
  }

  return { errors, warnings };
}
