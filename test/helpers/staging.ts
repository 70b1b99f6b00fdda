/**
 * The users example (examples/users: permissions, roles, flags, organizations with write-only policies and MFA,
 * business and environment settings, a dozen managed users with passwords, one suspended, one in two orgs) copied
 * to a scratch directory, with an emulator to apply it to: the tenant the crash, fault and interrupt tests break
 * applies of. And what those tests look for in the emulator's counters.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startKindeEmulator, type EmulatorStats, type KindeEmulator, type KindeEmulatorOptions } from '../../src/emulator/kinde/index.js';
import { idm } from './cli.js';
import { listAll, tenantClient } from './tenant.js';

const example = fileURLToPath(new URL('../../examples/users/', import.meta.url));

export interface Staging {
  readonly emulator: KindeEmulator;
  readonly cwd: string;
  readonly config: string;
  /** KINDE_* for the CLI. */
  readonly env: Readonly<Record<string, string>>;
}

export type EmulatorKnobs = Omit<KindeEmulatorOptions, 'clientId' | 'clientSecret'>;

export async function stagingTenant(knobs: EmulatorKnobs = {}): Promise<Staging> {
  const cwd = mkdtempSync(join(tmpdir(), 'idm-staging-'));
  cpSync(example, cwd, { recursive: true });
  const [clientId, clientSecret] = ['staging', 'staging-secret'];
  // The example's tracking IDs are set as a person would in the admin UI: the API cannot, so otherwise every plan
  // would end with a manual step.
  const emulator = await startKindeEmulator({ clientId, clientSecret, environment: { google_analytics_tag: 'G-LEDGERLY1', hotjar_site_id: '3141592' }, ...knobs });
  return { emulator, cwd, config: join(cwd, 'idm.yaml'), env: { KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: clientId, KINDE_MANAGEMENT_CLIENT_SECRET: clientSecret } };
}

/** The creates a plan (`idm plan --json`) holds, by type. */
export function createsByType(plan: { changes: { action: string; type: string }[] }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of plan.changes) if (c.action === 'create') counts[c.type] = (counts[c.type] ?? 0) + 1;
  return counts;
}

/** The create calls whose success means a new object in the tenant, by the plan type they create. */
export const createRoutes = {
  permission: 'POST /api/v1/permissions',
  feature_flag: 'POST /api/v1/feature_flags',
  role: 'POST /api/v1/roles',
  organization: 'POST /api/v1/organization',
  user: 'POST /api/v1/user',
} as const;

/** How many objects each create call made (its 2xx answers, including those whose answer a fault or a kill lost). */
export function created(stats: EmulatorStats): Record<keyof typeof createRoutes, number> {
  const count = (route: string) => Object.entries(stats.replies).filter(([key]) => key.startsWith(`${route} 2`)).reduce((n, [, v]) => n + v, 0);
  return Object.fromEntries(Object.entries(createRoutes).map(([type, route]) => [type, count(route)])) as Record<keyof typeof createRoutes, number>;
}

/**
 * Creates and joins the API refused as already done: Kinde refuses a second object with the same key, external id,
 * provided id or email, and a second join of a member, so a create sent twice shows up here.
 */
export function refusedCreates(stats: EmulatorStats): string[] {
  const routes = [...Object.values(createRoutes), 'POST /api/v1/organizations/{org_code}/users', 'POST /api/v1/users/{user_id}/identities'];
  return Object.keys(stats.replies).filter((key) => routes.some((route) => key.startsWith(`${route} 4`)));
}

/** Resolves once the emulator has answered `route` (e.g. `POST /api/v1/user 200`) `count` times. */
export async function replied(emulator: KindeEmulator, route: string, count: number): Promise<void> {
  while ((emulator.stats().replies[route] ?? 0) < count) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Switches the example's users to seed mode; returns the managed config's text, for expectSeedUsersComplete. */
export function toSeedMode(config: string): string {
  const managed = readFileSync(config, 'utf8');
  expect(managed).toMatch(/^  mode: managed/m);
  writeFileSync(config, managed.replace(/^  mode: managed/m, '  mode: seed'));
  return managed;
}

/** The next plan is empty, and each object was created once: no create was sent for one that existed. */
export async function expectConverged(staging: Staging, expected: Record<string, number>): Promise<void> {
  const { emulator, cwd, config, env } = staging;
  const plan = await idm(['plan', '-c', config, '--detailed-exitcode'], { cwd, env });
  expect(plan.stdout).toContain('No changes.');
  expect(plan.code).toBe(0);
  expect(created(emulator.stats())).toEqual(expected);
  expect(refusedCreates(emulator.stats())).toEqual([]);
}

/**
 * Seed users are complete when the managed-mode plan of the same config, which compares every user, is empty; and
 * each object was created once, with no record of user creates under way left in the tenant.
 */
export async function expectSeedUsersComplete(staging: Staging, managed: string, expected: Record<string, number>): Promise<void> {
  const { emulator, config } = staging;
  writeFileSync(config, managed);
  await expectConverged(staging, expected);
  const tenant = await tenantClient(emulator.url, 'staging', 'staging-secret');
  const records = (await listAll(tenant, '/environment_variables', 'environment_variables')).map((v) => JSON.parse(String(v.value)).object);
  expect(records).not.toContain('unfinished:users');
}
