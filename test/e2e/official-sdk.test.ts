/**
 * Kinde's own client reads what idm wrote. The built CLI applies the quickstart to the emulator, then the official
 * SDK, `@kinde/management-api-js` (generated from the spec the emulator follows), lists it back through its public
 * functions, configured the way its docs say.
 *
 * Pointing the SDK at the emulator. Its `init()` takes `KINDE_DOMAIN` (or `kindeDomain`) and puts `https://` in
 * front of any value that does not start with `https://`. The emulator serves plain HTTP, so KINDE_DOMAIN on its own
 * cannot reach it. But `init()` applies the `config` object it is given after that
 * rewrite, so the documented `init({ kindeDomain, clientId, clientSecret })` keeps an `http://` domain as it is.
 * Token requests and API calls then go to the emulator, and the token's audience is `<url>/api`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ApiError, OpenAPI, Permissions, Roles, getToken, init, jwtDecode, type permissions, type roles } from '@kinde/management-api-js';
import { startKindeEmulator, type KindeEmulator } from '../../src/emulator/kinde/index.js';
import { idm } from '../helpers/cli.js';

const quickstartPath = fileURLToPath(new URL('../../examples/quickstart/idm.yaml', import.meta.url));
const clientId = 'sdk-client';
const clientSecret = 'sdk-secret-value-never-printed';

interface QuickstartPermission {
  key: string;
  name: string;
  description?: string;
}
interface QuickstartRole extends QuickstartPermission {
  default?: boolean;
  permissions: string[];
}
const quickstart = parse(readFileSync(quickstartPath, 'utf8')) as { permissions: QuickstartPermission[]; roles: QuickstartRole[] };

/** Every item of a token-paged SDK listing, following `next_token` as an SDK user has to. */
async function all<T>(page: (nextToken?: string) => Promise<{ next_token?: string }>, field: string): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const body = (await page(nextToken)) as { next_token?: string } & Record<string, unknown>;
    items.push(...((body[field] as T[] | undefined) ?? []));
    nextToken = body.next_token || undefined;
  } while (nextToken);
  return items;
}

/** Listings without `sort` come in creation order, which is idm's business: compare them by key. */
const byKey = <T extends { key?: string }>(items: readonly T[]): T[] => [...items].sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));

const listRoles = () => all<roles>((nextToken) => Roles.getRoles({ nextToken }), 'roles');
const listPermissions = (pageSize?: number) => all<permissions>((nextToken) => Permissions.getPermissions({ nextToken, pageSize }), 'permissions');
const listRolePermissions = (roleId: string) => all<permissions>((nextToken) => Roles.getRolePermissions({ roleId, nextToken }), 'permissions');

describe('the official Kinde SDK reads what idm applied', () => {
  let emulator: KindeEmulator;
  const savedEnv: Record<string, string | undefined> = {};
  const cwd = mkdtempSync(join(tmpdir(), 'idm-sdk-'));

  beforeAll(async () => {
    // The SDK reads KINDE_* from process.env before its config object: none may leak in from the developer's shell.
    for (const name of ['KINDE_DOMAIN', 'KINDE_MANAGEMENT_CLIENT_ID', 'KINDE_MANAGEMENT_CLIENT_SECRET']) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
    emulator = await startKindeEmulator({ clientId, clientSecret });
    const env = { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret };
    const apply = await idm(['apply', '-c', quickstartPath, '--auto-approve'], { cwd, env });
    expect(apply.stderr).not.toContain('Error');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 13 created, 0 changed, 0 destroyed.');

    // The SDK's documented set-up, with the values passed to init() rather than read from the environment.
    init({ kindeDomain: emulator.url, clientId, clientSecret });
    emulator.resetStats();
  });

  afterAll(async () => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator?.close();
  });

  it('sends its calls to the emulator over http and gets a token for the <domain>/api audience', async () => {
    expect(OpenAPI.BASE).toBe(emulator.url);
    const claims = jwtDecode(await getToken());
    expect(claims?.aud).toEqual([`${emulator.url}/api`]);
    expect(claims?.iss).toBe(emulator.url);
    expect(emulator.stats().byRoute['POST /oauth2/token']).toBe(1);
  });

  it('lists the four roles with their keys, names, descriptions and default flag', async () => {
    const roles = await listRoles();
    expect(byKey(roles).map((r) => ({ key: r.key, name: r.name, description: r.description, is_default_role: r.is_default_role }))).toEqual(
      byKey(quickstart.roles).map((r) => ({ key: r.key, name: r.name, description: r.description, is_default_role: r.default === true })),
    );
    for (const role of roles) expect(role.id).toEqual(expect.any(String));
    expect(roles.filter((r) => r.is_default_role).map((r) => r.key)).toEqual(['member']);

    const sorted = await Roles.getRoles({ sort: 'key_desc' });
    expect(sorted.roles?.map((r) => r.key)).toEqual(['viewer', 'member', 'billing', 'admin']);
    expect(sorted.next_token).toBeUndefined();
  });

  it('reads one role by id: member is the default role', async () => {
    const member = (await listRoles()).find((r) => r.key === 'member')!;
    const { role } = await Roles.getRole({ roleId: member.id! });
    expect(role).toEqual({ id: member.id, key: 'member', name: 'Member', description: quickstart.roles[1]!.description, is_default_role: true });
  });

  it('lists the nine permissions, across pages when it asks for small ones', async () => {
    const expected = byKey(quickstart.permissions).map((p) => ({ key: p.key, name: p.name, description: p.description }));
    const onePage = await Permissions.getPermissions();
    expect(onePage.next_token).toBeUndefined();
    expect(byKey(onePage.permissions ?? []).map((p) => ({ key: p.key, name: p.name, description: p.description }))).toEqual(expected);

    emulator.resetStats();
    const paged = await listPermissions(4);
    expect(emulator.stats().byRoute['GET /api/v1/permissions']).toBe(3);
    expect(byKey(paged).map((p) => ({ key: p.key, name: p.name, description: p.description }))).toEqual(expected);
    expect(new Set(paged.map((p) => p.id)).size).toBe(9);
  });

  it("lists each role's permissions: admin has all nine", async () => {
    const roles = await listRoles();
    const permissionIds = new Map((await listPermissions()).map((p) => [p.key!, p.id!]));
    for (const expected of quickstart.roles) {
      const role = roles.find((r) => r.key === expected.key)!;
      const granted = await listRolePermissions(role.id!);
      expect({ role: expected.key, permissions: granted.map((p) => p.key).sort() }).toEqual({ role: expected.key, permissions: [...expected.permissions].sort() });
      for (const p of granted) expect(p.id).toBe(permissionIds.get(p.key!));
    }
    const admin = roles.find((r) => r.key === 'admin')!;
    const adminPermissions = await listRolePermissions(admin.id!);
    expect(adminPermissions).toHaveLength(9);
    expect(new Set(adminPermissions.map((p) => p.key))).toEqual(new Set(quickstart.permissions.map((p) => p.key)));
  });

  it('surfaces an emulator error as the SDK ApiError the spec declares', async () => {
    const missing = '01929904-316d-bb2c-069f-99dfea4ac394';
    const error = await Roles.getRole({ roleId: missing }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).body).toEqual({ errors: [{ code: 'ROLE_NOT_FOUND', message: expect.any(String) }] });
  });
});
