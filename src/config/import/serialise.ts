/**
 * Users back to text, for `idm users convert`: idm NDJSON (a users file) and YAML (a `users:` section to paste into a
 * config). Both keep password hashes and salts as they are: the output is the user's own file. The caller writes it
 * only where the user asked, never to an error message.
 *
 * Reading the output back gives the same users: usersToNdjson then convertUsers(_, 'idm') is the identity, and so is
 * pasting usersToYaml into a config.
 */
import { Document, isMap, isSeq, visit } from 'yaml';
import type { PasswordSpec, UserSpec } from '../../model/desired.js';

/** A password in the field names of users.list. */
function password(p: PasswordSpec): Record<string, unknown> {
  return {
    method: p.method,
    hash: p.hash,
    ...(p.salt === undefined ? {} : { salt: p.salt }),
    ...(p.saltPosition === undefined ? {} : { salt_position: p.saltPosition }),
    ...(p.saltFormat === undefined ? {} : { salt_format: p.saltFormat }),
    ...(p.iterations === undefined ? {} : { iterations: p.iterations }),
    ...(p.variant === undefined ? {} : { variant: p.variant }),
    ...(p.signerKey === undefined ? {} : { signer_key: p.signerKey }),
    ...(p.saltSeparator === undefined ? {} : { salt_separator: p.saltSeparator }),
    ...(p.rounds === undefined ? {} : { rounds: p.rounds }),
    ...(p.memCost === undefined ? {} : { mem_cost: p.memCost }),
    ...(p.temporary ? { temporary: true } : {}),
    ...(p.version === 1 ? {} : { version: p.version }),
  };
}

/** A user in the field names of users.list, defaults left out, in the order the docs show them. */
export function rawUser(u: UserSpec): Record<string, unknown> {
  return {
    ...(u.id === undefined ? {} : { id: u.id }),
    ...(u.firstName === undefined ? {} : { first_name: u.firstName }),
    ...(u.lastName === undefined ? {} : { last_name: u.lastName }),
    ...(u.suspended === undefined ? {} : { suspended: u.suspended }),
    identities: u.identities.map((i) => ({
      type: i.type,
      value: i.value,
      ...(i.verified ? { verified: true } : {}),
      // The first of each type is primary by default: written only where another one is.
      ...(i.primary && u.identities.find((x) => x.type === i.type) !== i ? { primary: true } : {}),
      ...(i.connectionId === undefined ? {} : { connection_id: i.connectionId }),
    })),
    ...(u.password ? { password: password(u.password) } : {}),
    ...(u.properties ? { properties: Object.fromEntries(u.properties) } : {}),
    ...(u.featureFlags ? { feature_flags: Object.fromEntries(u.featureFlags) } : {}),
    organizations: [...u.organizations].map(([external_id, m]) => ({
      external_id,
      ...(m.roles.size > 0 ? { roles: [...m.roles] } : {}),
      ...(m.permissions.size > 0 ? { permissions: [...m.permissions] } : {}),
    })),
  };
}

/** idm NDJSON: one user per line, each ending in a newline. */
export function usersToNdjson(users: readonly UserSpec[]): string {
  return users.map((u) => `${JSON.stringify(rawUser(u))}\n`).join('');
}

/** A value as the config reads it: `${` would start a variable reference, so it is written `$${`. */
export const escapeVariables = (value: unknown): unknown => {
  // A function, not a string: in a replacement string "$$" itself means "$".
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${');
  if (Array.isArray(value)) return value.map(escapeVariables);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeVariables(v)]));
  return value;
};

/**
 * A `users:` section for a config, in seed mode, with identities, memberships and passwords on one line each as in
 * the docs.
 */
export function usersToYaml(users: readonly UserSpec[]): string {
  const doc = new Document({ users: { mode: 'seed', list: users.map((u) => escapeVariables(rawUser(u))) } });
  visit(doc, {
    Pair(_, pair) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? '');
      if (key === 'password' || key === 'properties' || key === 'feature_flags' || key === 'roles' || key === 'permissions') {
        if (isMap(pair.value) || isSeq(pair.value)) pair.value.flow = true;
      }
      if ((key === 'identities' || key === 'organizations') && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isMap(item)) item.flow = true;
      }
    },
  });
  const hashes = users.some((u) => u.password);
  const header = hashes
    ? '# Password hashes are secrets: keep this file out of version control, or move each hash to an environment\n# variable (hash: "${env:NAME}") or a file (hash_file: path). idm warns about hashes written in a config.\n'
    : '';
  return header + doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
