/**
 * Checks across permissions and roles that a schema cannot express: unique keys, roles granting declared
 * permissions, and the `action:area` key convention. Runs on data that may have failed the schema, and then judges
 * only the entries whose keys are well-formed, so that one mistake is not reported twice.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, lineOf, quote, warning } from './diagnostic.js';
import { uniqueEntries } from './entries.js';
import type { ConfigSource, Path } from './source.js';
import { closest } from './suggest.js';
import type { Substitutions } from './variables.js';

export interface ReferenceCheck {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

/** What the schema's key pattern and maxLength reject (schemas/idm.schema.json, $defs/key). */
export const MALFORMED = /[\s\u0000-\u001F\u007F-\u009F]/;
const MAX_KEY_LENGTH = 128;

/** Kinde's convention for permission keys: exactly one colon, with text on both sides. */
export const isActionArea = (key: string): boolean => {
  const parts = key.split(':');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
};

export function checkReferences(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };

  const permissions = uniqueEntries('permissions', data, source, describe, substitutions, errors);
  const declared = permissions.first;
  for (const { index, key } of declared.values()) {
    if (MALFORMED.test(key) || key.length > MAX_KEY_LENGTH || isActionArea(key)) continue; // malformed: a schema error already
    const path = ['permissions', index, 'key'];
    warnings.push(
      warning(
        ConfigCode.PermissionKeyConvention,
        `permission key ${describe.quoted(path, key)} is not in action:area form`,
        source.locate(path),
        'the convention is an action and an area joined by one colon, e.g. "read:invoices"; renaming a key later replaces the permission in the tenant',
      ),
    );
  }

  uniqueEntries('roles', data, source, describe, substitutions, errors);

  // Role -> permission references. Every role is checked, whatever its key, since a reference is wrong regardless.
  const roleItems = valueAt(data, ['roles']);
  if (!Array.isArray(roleItems)) return { errors, warnings };
  const suggestions = [...declared.values()]
    .filter((e) => !MALFORMED.test(e.key) && !describe.secretVars(['permissions', e.index, 'key']))
    .map((e) => e.key);
  roleItems.forEach((_role: unknown, r) => {
    const granted = valueAt(data, ['roles', r, 'permissions']);
    if (!Array.isArray(granted)) return;
    const seen = new Map<string, number>();
    granted.forEach((key: unknown, p) => {
      const path = ['roles', r, 'permissions', p];
      if (typeof key !== 'string' || key === '' || MALFORMED.test(key) || unresolved(path)) return; // schema errors
      const role = describe.entity('roles', r);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        warnings.push(
          warning(
            ConfigCode.DuplicateRolePermission,
            `${role} lists permission ${describe.quoted(path, key)} twice; the first is at ${lineOf(source.locate(['roles', r, 'permissions', earlier]))}`,
            source.locate(path),
            "remove the repeat: a role's permissions are a set",
          ),
        );
        return;
      }
      seen.set(key, p);
      // With a permission whose key is missing or broken, an unknown reference might be that one: do not guess.
      if (declared.has(key) || !permissions.complete) return;
      const secret = describe.secretVars(path) !== undefined;
      const suggestion = secret ? undefined : closest(key, suggestions);
      errors.push(
        error(
          ConfigCode.UnknownPermission,
          `${role} grants unknown permission ${describe.quoted(path, key)}`,
          source.locate(path),
          suggestion
            ? `did you mean ${quote(suggestion)}? If not, declare it under permissions:`
            : `declare it under permissions:` + (secret ? '' : `, e.g. - { key: ${key}, name: ... }`),
        ),
      );
    });
  });
  return { errors, warnings };
}
