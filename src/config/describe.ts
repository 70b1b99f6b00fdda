/**
 * Words for messages: what a path in the config is called ("role \"admin\"", "\"default\" of role \"admin\"") and
 * what a value is ("string \"yes\"", "a list"). Values that came from the environment are never shown: the message
 * names the variable instead.
 */
import { isScalar, type Scalar } from 'yaml';
import { quote } from './diagnostic.js';
import type { Locator, Path } from './source.js';

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment as string];
  }
  return value;
}

/** The top-level lists whose entries are named after an identifying field, and what one entry is called. */
export const entities: Readonly<Record<string, { readonly kind: string; readonly id: string }>> = {
  permissions: { kind: 'permission', id: 'key' },
  roles: { kind: 'role', id: 'key' },
  feature_flags: { kind: 'feature flag', id: 'key' },
  organizations: { kind: 'organization', id: 'external_id' },
};

/**
 * How a user is named in messages: by its provided id, else by its first email, else by its place in the list
 * (`user #2`). A value from the environment is never shown.
 */
export function userLabel(user: unknown, fallback: string, isSecret: (path: Path) => boolean = () => false): string {
  const id = valueAt(user, ['id']);
  if (typeof id === 'string' && id !== '' && !isSecret(['id'])) return `user ${quote(id)}`;
  const identities = valueAt(user, ['identities']);
  if (Array.isArray(identities)) {
    const i = identities.findIndex((x: unknown) => valueAt(x, ['type']) === 'email' && typeof valueAt(x, ['value']) === 'string');
    const email = i >= 0 ? String(valueAt(identities[i], ['value'])) : '';
    // Only something that looks like an address names the user: a broken one is the subject of an error already.
    if (email.includes('@') && !isSecret(['identities', i, 'value'])) return `user ${quote(email.toLowerCase())}`;
  }
  return fallback;
}

export class Describer {
  /**
   * @param root what the value at the empty path is called: "the config" for the config file, `user "u-1"` for a
   *   user read from a line of a users file.
   */
  constructor(
    private readonly source: Locator,
    private readonly data: unknown,
    private readonly secrets: ReadonlyMap<Scalar, readonly string[]>,
    private readonly root?: string,
  ) {}

  /** The environment variables whose values are at `path`, if any. */
  secretVars(path: Path): readonly string[] | undefined {
    const node = this.source.nodeAt(path);
    return isScalar(node) ? this.secrets.get(node) : undefined;
  }

  /** `"value"`, or `from ${env:NAME}` when it came from the environment. */
  quoted(path: Path, value: string): string {
    const vars = this.secretVars(path);
    return vars ? `from ${vars.map((v) => `\${env:${v}}`).join(' and ')}` : quote(value);
  }

  /** `role "admin"`, or `role #2` when the key (an organization's external_id) is missing, not a string, or secret. */
  entity(collection: string, index: number): string {
    const { kind, id } = entities[collection] ?? { kind: collection, id: 'key' };
    const key = valueAt(this.data, [collection, index, id]);
    if (typeof key === 'string' && key !== '' && !this.secretVars([collection, index, id])) return `${kind} ${quote(key)}`;
    return `${kind} #${index + 1}`;
  }

  /** `user "u-1001"` for the user at `users.list[index]`. */
  user(index: number): string {
    const at = ['users', 'list', index];
    return userLabel(valueAt(this.data, at), `user #${index + 1}`, (path) => this.secretVars([...at, ...path]) !== undefined);
  }

  /** What the value at `path` is called in a sentence. */
  subject(path: Path): string {
    if (path.length === 0) return this.root ?? 'the config';
    const last = path[path.length - 1]!;
    const parent = path.slice(0, -1);
    if (typeof last === 'number') {
      if (parent.length === 2 && parent[0] === 'users' && parent[1] === 'list') return this.user(last);
      const collection = parent.length === 1 ? String(parent[0]) : undefined;
      if (collection && collection in entities) return this.entity(collection, last);
      return `item ${last + 1} of ${this.subject(parent)}`;
    }
    if (parent.length === 1 && parent[0] === 'environments' && this.root === undefined) return `environment ${quote(last)}`;
    if (parent.length === 0) return this.root === undefined ? quote(last) : `${quote(last)} of ${this.root}`;
    return `${quote(last)} of ${this.subject(parent)}`;
  }

  /** Where a field at `path` sits: `at the top level`, `in role "admin"`. */
  container(path: Path): string {
    return path.length === 0 && this.root === undefined ? 'at the top level' : `in ${this.subject(path)}`;
  }

  /** `string "yes"`, `number 5`, `null`, `a list`, `a mapping`; a secret string is `a string from ${env:NAME}`. */
  value(path: Path, value: unknown): string {
    if (value === null || value === undefined) return 'null (an empty value)';
    if (Array.isArray(value)) return 'a list';
    if (typeof value === 'object') return 'a mapping';
    if (typeof value === 'string') {
      const vars = this.secretVars(path);
      return vars ? `a string from ${vars.map((v) => `\${env:${v}}`).join(' and ')}` : `string ${quote(value)}`;
    }
    return `${typeof value} ${String(value)}`;
  }
}
