/**
 * The bench's tenants, as idm configs: a YAML file for permissions, roles and organizations, and the users in an
 * idm NDJSON users file (the format meant for many users). Deterministic: the same size gives the same files.
 *
 * Shape of a B2B tenant: permissions named action:area; roles holding 5 to 120 permissions each (so that some need
 * two bulk writes of 100), one of them the default role; one organization in ten with a domain policy and enforced
 * MFA (allowed domains are read with a GET per org, enforced MFA is write-only and goes into idm's state record);
 * users with a verified primary email, a name, one organization, and one user in ten an admin of it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const sizes = {
  small: { permissions: 200, roles: 50, organizations: 10, users: 100 },
  large: { permissions: 2_000, roles: 500, organizations: 1_000, users: 100_000 },
};

const permissionKey = (i) => `action${i % 10}:area${Math.floor(i / 10)}`;

/** Everything the configs say, as plain data, for the configs and for the minimum-request formulas. */
export function tenantData(size) {
  const permissions = Array.from({ length: size.permissions }, (_, i) => ({ key: permissionKey(i), name: `Permission ${i}` }));
  const roles = Array.from({ length: size.roles }, (_, i) => {
    const count = Math.min(size.permissions, 5 + ((i * 37) % 116));
    const set = new Set();
    for (let j = 0; set.size < count; j++) set.add(permissionKey((i * 13 + j * 7) % size.permissions));
    return { key: `role-${i}`, name: `Role ${i}`, default: i === 0, permissions: [...set] };
  });
  const organizations = Array.from({ length: size.organizations }, (_, i) => ({
    external_id: `org-${i}`,
    name: `Org ${i}`,
    handle: `org${i}`,
    ...(i % 10 === 0 ? { policies: { auto_membership: true, allowed_domains: [`org-${i}.example`], enforce_mfa: true } } : {}),
  }));
  const users = (from, to) => {
    const out = [];
    for (let i = from; i < to; i++) {
      const org = `org-${i % size.organizations}`;
      out.push({
        id: `u-${i}`,
        first_name: `First${i}`,
        last_name: `Last${i}`,
        identities: [{ type: 'email', value: `user${i}@${org}.example`, verified: true, primary: true }],
        organizations: [{ external_id: org, roles: i % 10 === 0 ? ['role-1'] : [] }],
      });
    }
    return out;
  };
  return { size, permissions, roles, organizations, users };
}

const yamlList = (items) => items.map((item) => `  - ${JSON.stringify(item)}`).join('\n');

/** Writes `dir/name.yaml` with the first `userCount` users in `dir/name-users.ndjson`; returns the config's path. */
export function writeConfig(dir, name, data, userCount) {
  mkdirSync(dir, { recursive: true });
  const usersFile = `${name}-users.ndjson`;
  // JSON is YAML: one flow mapping per line keeps the file small and quick to parse.
  const yaml = [
    'version: 1',
    'permissions:',
    yamlList(data.permissions),
    'roles:',
    yamlList(data.roles),
    'organizations:',
    yamlList(data.organizations),
    ...(userCount > 0 ? [`users_file: ${usersFile}`] : []),
    '',
  ].join('\n');
  writeFileSync(join(dir, `${name}.yaml`), yaml);
  if (userCount > 0) writeFileSync(join(dir, usersFile), data.users(0, userCount).map((u) => JSON.stringify(u)).join('\n') + '\n');
  return join(dir, `${name}.yaml`);
}
