/** The provider against the Kinde emulator: writes through the Writer, reads back, compares; with faults and 429s too. */
import { describe, expect, test } from 'vitest';
import type { Live } from '../../../src/model/live.js';
import type { Writer } from '../../../src/providers/provider.js';
import { noScope } from './fake-kinde.js';
import { emulatorProvider } from './providers.js';


const setup = emulatorProvider;

const permissionKeys = Array.from({ length: 40 }, (_, i) => `action${i % 4}:area${String(i).padStart(2, '0')}`);
const roles = Array.from({ length: 6 }, (_, i) => ({
  key: `role-${i}`,
  name: `Role ${i}`,
  description: i % 2 ? `Role number ${i}` : undefined,
  default: i === 0,
  permissions: permissionKeys.filter((_, j) => j % (i + 2) === 0),
}));

/** Live without ids, permission sets as sorted arrays: what a round trip must preserve. */
function shape(live: Live) {
  return {
    permissions: [...live.permissions.values()].map(({ id: _, ...p }) => p),
    roles: [...live.roles.values()].map(({ id: _, permissions, ...r }) => ({ ...r, permissions: [...permissions].sort() })),
  };
}

const expected = {
  permissions: [...permissionKeys].sort().map((key) => ({ key, name: `Name of ${key}`, description: key.endsWith('0') ? `About ${key}` : null })),
  roles: roles.map((r) => ({ key: r.key, name: r.name, description: r.description ?? null, isDefault: r.default, permissions: [...r.permissions].sort() })),
};

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Creates everything the way the apply engine does: phase by phase, 4 at a time. */
async function createAll(writer: Writer): Promise<void> {
  await inParallel(permissionKeys, 4, (key) => writer.createPermission(key, { name: `Name of ${key}`, ...(key.endsWith('0') ? { description: `About ${key}` } : {}) }));
  await inParallel(roles, 4, (r) => writer.createRole(r.key, { name: r.name, ...(r.description ? { description: r.description } : {}), default: r.default }));
  await inParallel(roles, 4, (r) => writer.changeRolePermissions(r.key, r.permissions, []));
}

describe('against the emulator', () => {
  test('creates permissions and roles with permissions, and reads back exactly that', async () => {
    const { emulator, provider } = await setup({}, { pageSize: 7 });
    await createAll(provider.writer(await provider.read(noScope)));
    expect(shape(await provider.read(noScope))).toEqual(expected);
    const byRoute = emulator.stats().byRoute;
    expect(byRoute['POST /api/v1/permissions']).toBe(40);
    expect(byRoute['POST /api/v1/roles']).toBe(6);
    // Ids of the created permissions: one shared listing (40 permissions in pages of 7), not one per role.
    expect(byRoute['GET /api/v1/permissions']).toBe(1 + 6 + 6);
    expect(emulator.stats().tokensIssued).toBe(1);
    expect(provider.stats().tokenRequests).toBe(1);
  });

  test('updates, permission changes and deletes converge', async () => {
    const { provider } = await setup();
    await createAll(provider.writer(await provider.read(noScope)));
    const writer = provider.writer(await provider.read(noScope));
    await writer.updatePermission(permissionKeys[0]!, { name: 'Renamed', description: 'Changed' });
    await writer.updateRole('role-1', { name: 'Role one', description: null, default: true });
    await writer.changeRolePermissions('role-2', [permissionKeys[1]!], [permissionKeys[0]!]);
    await writer.deleteRole('role-5');
    await writer.deletePermission(permissionKeys[39]!);
    const live = await provider.read(noScope);
    expect(live.permissions.get(permissionKeys[0]!)).toMatchObject({ name: 'Renamed', description: 'Changed' });
    expect(live.roles.get('role-1')).toMatchObject({ name: 'Role one', isDefault: true });
    expect(live.roles.get('role-1')!.description ?? '').toBe('');
    expect(live.roles.get('role-2')!.permissions.has(permissionKeys[0]!)).toBe(false);
    expect(live.roles.get('role-2')!.permissions.has(permissionKeys[1]!)).toBe(true);
    expect(live.roles.has('role-5')).toBe(false);
    expect(live.permissions.has(permissionKeys[39]!)).toBe(false);
  });

  test('with 20% of requests failing (500s and dropped connections, before or after their effect), the result is exact', async () => {
    const { emulator, provider } = await setup({ faultRate: 0.2, seed: 7 }, { retries: 10, timeoutMs: 5000 });
    await createAll(provider.writer(await provider.read(noScope)));
    expect(emulator.stats().faults).toBeGreaterThan(5);
    expect(shape(await provider.read(noScope))).toEqual(expected);
    expect(provider.stats().retries).toBeGreaterThan(0);
  });

  test('with a tight rate limit, the run slows down but completes', async () => {
    const { emulator, provider } = await setup({ rateLimit: { requests: 25, windowMs: 1000 } });
    await createAll(provider.writer(await provider.read(noScope)));
    expect(shape(await provider.read(noScope))).toEqual(expected);
    expect(emulator.stats().rateLimited).toBeGreaterThan(0);
    expect(provider.stats().rateLimited).toBe(emulator.stats().rateLimited);
  });

  test('--max-rps keeps the client under the limit: no 429 at all', async () => {
    const { emulator, provider } = await setup({ rateLimit: { requests: 30, windowMs: 1000 } }, { maxRps: 25 });
    const live = await provider.read(noScope);
    await inParallel(permissionKeys.slice(0, 20), 4, (key) => provider.writer(live).createPermission(key, { name: key }));
    expect(emulator.stats().rateLimited).toBe(0);
  });
});
