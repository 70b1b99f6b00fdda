#!/usr/bin/env node
/**
 * `npm run bench`: request economy and speed of plan and apply against the emulator, on a tenant of
 * realistic size. Prints a table and writes test/bench/results.json. A script, not a test: it asserts nothing.
 *
 * The minimum number of requests is computed from the API's rules: 500 items per list page (Kinde docs),
 * 100 entries per bulk PATCH, one token per run, no endpoint that reads all role permissions at once.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startKindeEmulator } from '../../dist/src/emulator/kinde/index.js';
import { createKindeProvider } from '../../dist/src/providers/kinde/index.js';
import { plan } from '../../dist/src/plan/plan.js';
import { readScope } from '../../dist/src/plan/scope.js';
import { applyPlan } from '../../dist/src/apply/apply.js';

const PAGE = 500;
const BULK = 100;
const pages = (n) => Math.max(1, Math.ceil(n / PAGE));

function tenantOfSize(roleCount, permissionCount) {
  const permissions = new Map();
  for (let i = 0; i < permissionCount; i++) {
    const key = `action${i % 10}:area${Math.floor(i / 10)}`;
    permissions.set(key, { key, name: `Permission ${i}`, description: `Generated permission ${i}` });
  }
  const keys = [...permissions.keys()];
  const roles = new Map();
  for (let i = 0; i < roleCount; i++) {
    // Between 5 and 120 permissions per role, so that some roles need more than one bulk PATCH.
    const size = 5 + ((i * 37) % 116);
    const set = new Set();
    for (let j = 0; j < size; j++) set.add(keys[(i * 13 + j * 7) % keys.length]);
    roles.set(`role-${i}`, { key: `role-${i}`, name: `Role ${i}`, description: `Generated role ${i}`, isDefault: i === 0, permissions: set });
  }
  return { permissions, roles, featureFlags: new Map(), organizations: new Map(), users: new Map(), usersMode: 'seed', prune: { permissions: false, roles: false, organizations: false, feature_flags: false, users: false } };
}

const minimumPlanRequests = (d) => 1 + pages(d.permissions.size) + pages(d.roles.size) + [...d.roles.values()].reduce((n, r) => n + pages(r.permissions.size), 0);
const minimumApplyFromEmptyRequests = (d) =>
  1 + 2 /* read of the empty tenant */ + d.permissions.size + pages(d.permissions.size) /* ids of created permissions */ + d.roles.size +
  [...d.roles.values()].reduce((n, r) => n + Math.ceil(r.permissions.size / BULK), 0);

async function measure(label, emulator, fn) {
  emulator.resetStats();
  const rssBefore = process.memoryUsage().rss;
  const start = performance.now();
  const provider = createKindeProvider({ domain: emulator.url, clientId: 'bench', clientSecret: 'bench-secret', parallelism: 8 });
  try {
    const result = await fn(provider);
    const ms = performance.now() - start;
    return { label, requests: emulator.stats().requests, ms: Math.round(ms), rssMb: Math.round(Math.max(rssBefore, process.memoryUsage().rss) / 2 ** 20), ...result };
  } finally {
    await provider.close();
  }
}

async function run(roles, permissions) {
  const desired = tenantOfSize(roles, permissions);
  const emulator = await startKindeEmulator({ clientId: 'bench', clientSecret: 'bench-secret' });
  try {
    const apply = await measure('apply from empty', emulator, async (provider) => {
      const live = await provider.read(readScope(desired));
      const p = plan(desired, live, provider.target);
      const report = await applyPlan(p, provider.writer(live), { parallelism: 8 });
      if (report.failed.length > 0) throw new Error(`apply failed: ${report.failed[0].step}`);
      return { minimum: minimumApplyFromEmptyRequests(desired) };
    });
    const noop = await measure('plan, no changes', emulator, async (provider) => {
      const p = plan(desired, await provider.read(readScope(desired)), provider.target);
      if (p.changes.length > 0) throw new Error(`expected no changes, got ${p.changes.length}`);
      return { minimum: minimumPlanRequests(desired) };
    });
    return [apply, noop].map((r) => ({ tenant: `${roles} roles, ${permissions} permissions`, ...r, ratio: +(r.requests / r.minimum).toFixed(3) }));
  } finally {
    await emulator.close();
  }
}

/** A seed-mode plan of 10,000 users that all exist already: one bulk list, nothing per user. */
async function runUsers(count) {
  const emulator = await startKindeEmulator({ clientId: 'bench', clientSecret: 'bench-secret' });
  try {
    const seeded = Array.from({ length: count }, (_, i) => ({ provided_id: `u-${i}`, email: `user${i}@bench.example`, first_name: `User${i}` }));
    emulator.admin.seedUsers(seeded);
    const users = new Map(seeded.map((u) => [u.provided_id, {
      key: u.provided_id, id: u.provided_id, firstName: u.first_name,
      identities: [{ type: 'email', value: u.email, verified: true, primary: true }],
      organizations: new Map([['default', { roles: new Set(), permissions: new Set() }]]),
    }]));
    const desired = { ...tenantOfSize(0, 0), users, usersMode: 'seed' };
    const row = await measure(`plan, ${count} users (seed mode)`, emulator, async (provider) => {
      const p = plan(desired, await provider.read(readScope(desired)), provider.target);
      if (p.changes.length > 0) throw new Error(`expected no changes, got ${p.changes.length}`);
      // token + permissions + roles + user pages + org pages (user org codes map to external ids)
      return { minimum: 1 + 1 + 1 + pages(count) + 1 };
    });
    return [{ tenant: `${count} users`, ...row, ratio: +(row.requests / row.minimum).toFixed(3) }];
  } finally {
    await emulator.close();
  }
}

const rows = [...(await run(200, 1000)), ...(await runUsers(10_000))];
console.table(rows.map(({ tenant, label, requests, minimum, ratio, ms, rssMb }) => ({ tenant, run: label, requests, minimum, ratio, 'wall ms': ms, 'rss MB': rssMb })));
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify({ node: process.version, date: new Date().toISOString(), rows }, null, 2) + '\n');
