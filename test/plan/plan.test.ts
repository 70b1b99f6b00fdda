import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { desired, live, target } from '../helpers/model.js';

type Row = {
  name: string;
  desired: Parameters<typeof desired>[0];
  live: Parameters<typeof live>[0];
  /** Expected changes as "action type key", in plan order. */
  changes: string[];
  unmanaged?: string[];
  /** Expected diff paths per changed key. */
  diffs?: Record<string, string[]>;
};

const readInvoices = { key: 'read:invoices', name: 'Read invoices' };
const writeInvoices = { key: 'write:invoices', name: 'Write invoices' };

const rows: Row[] = [
  { name: 'empty config, empty tenant: no-op', desired: {}, live: {}, changes: [] },
  {
    name: 'creates permissions before roles',
    desired: { permissions: [writeInvoices, readInvoices], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:invoices'] }] },
    live: {},
    changes: ['create permission read:invoices', 'create permission write:invoices', 'create role admin'],
    diffs: { admin: ['name', 'default', 'permissions'] },
  },
  {
    name: 'identical state: no-op',
    desired: { permissions: [readInvoices], roles: [{ key: 'admin', name: 'Admin', isDefault: true, permissions: ['read:invoices'] }] },
    live: { permissions: [readInvoices], roles: [{ key: 'admin', name: 'Admin', isDefault: true, permissions: ['read:invoices'] }] },
    changes: [],
  },
  {
    name: 'role permissions are a set: order never matters',
    desired: { permissions: [readInvoices, writeInvoices], roles: [{ key: 'admin', name: 'Admin', permissions: ['write:invoices', 'read:invoices'] }] },
    live: { permissions: [readInvoices, writeInvoices], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:invoices', 'write:invoices'] }] },
    changes: [],
  },
  {
    name: 'field-level update of a renamed permission',
    desired: { permissions: [{ key: 'read:invoices', name: 'View invoices' }] },
    live: { permissions: [readInvoices] },
    changes: ['update permission read:invoices'],
    diffs: { 'read:invoices': ['name'] },
  },
  {
    name: 'default flag turned on',
    desired: { roles: [{ key: 'member', name: 'Member', isDefault: true }] },
    live: { roles: [{ key: 'member', name: 'Member', isDefault: false }] },
    changes: ['update role member'],
    diffs: { member: ['default'] },
  },
  {
    name: 'permission dropped from a role behind idm\'s back',
    desired: { permissions: [readInvoices, writeInvoices], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:invoices', 'write:invoices'] }] },
    live: { permissions: [readInvoices, writeInvoices], roles: [{ key: 'admin', name: 'Admin', permissions: ['read:invoices'] }] },
    changes: ['update role admin'],
    diffs: { admin: ['permissions'] },
  },
  {
    name: 'absent description is not managed',
    desired: { permissions: [readInvoices] },
    live: { permissions: [{ ...readInvoices, description: 'set in the admin UI' }] },
    changes: [],
  },
  {
    name: 'declared description is managed; null and empty are the same',
    desired: { permissions: [{ ...readInvoices, description: '' }, { ...writeInvoices, description: 'Create and edit' }] },
    live: { permissions: [{ ...readInvoices, description: null }, { ...writeInvoices, description: null }] },
    changes: ['update permission write:invoices'],
    diffs: { 'write:invoices': ['description'] },
  },
  {
    name: 'prune off: extra objects are reported, not deleted',
    desired: {},
    live: { permissions: [readInvoices], roles: [{ key: 'legacy', name: 'Legacy' }] },
    changes: [],
    unmanaged: ['permission read:invoices', 'role legacy'],
  },
  {
    name: 'prune on: extra objects are deleted, deletes first, roles before permissions',
    desired: { permissions: [writeInvoices], prune: { permissions: true, roles: true } },
    live: { permissions: [readInvoices], roles: [{ key: 'legacy', name: 'Legacy', permissions: ['read:invoices'] }] },
    changes: ['delete role legacy', 'delete permission read:invoices', 'create permission write:invoices'],
  },
  {
    name: 'prune is per collection',
    desired: { prune: { roles: true } },
    live: { permissions: [readInvoices], roles: [{ key: 'legacy', name: 'Legacy' }] },
    changes: ['delete role legacy'],
    unmanaged: ['permission read:invoices'],
  },
  {
    name: 'a changed key is a delete plus a create, never a guessed rename',
    desired: { roles: [{ key: 'administrator', name: 'Admin' }], prune: { roles: true } },
    live: { roles: [{ key: 'admin', name: 'Admin' }] },
    changes: ['delete role admin', 'create role administrator'],
  },
  {
    name: 'matching is on key only, never on name',
    desired: { roles: [{ key: 'billing', name: 'Admin' }] },
    live: { roles: [{ key: 'admin', name: 'Admin' }] },
    changes: ['create role billing'],
    unmanaged: ['role admin'],
  },
];

describe('plan', () => {
  it.each(rows)('$name', (row) => {
    const result = plan(desired(row.desired), live(row.live), target);
    expect(result.changes.map((c) => `${c.action} ${c.type} ${c.key}`)).toEqual(row.changes);
    expect(result.unmanaged.map((u) => `${u.type} ${u.key}`)).toEqual(row.unmanaged ?? []);
    for (const [key, paths] of Object.entries(row.diffs ?? {})) {
      expect(result.changes.find((c) => c.key === key)?.diff.map((d) => d.path)).toEqual(paths);
    }
    expect(result.summary.create + result.summary.update + result.summary.delete).toBe(result.changes.length);
  });

  it('shows added and removed role permissions, sorted', () => {
    const result = plan(
      desired({ roles: [{ key: 'admin', name: 'Admin', permissions: ['c', 'a', 'b'] }] }),
      live({ roles: [{ key: 'admin', name: 'Admin', permissions: ['d', 'b'] }] }),
      target,
    );
    expect(result.changes[0]?.diff).toEqual([{ path: 'permissions', before: ['b', 'd'], after: ['a', 'b', 'c'], added: ['a', 'c'], removed: ['d'] }]);
  });

  it('is deterministic and fingerprints the live state it read', () => {
    const d = desired({ permissions: [readInvoices] });
    const a = plan(d, live({ roles: [{ key: 'r', name: 'R' }] }), target);
    expect(plan(d, live({ roles: [{ key: 'r', name: 'R' }] }), target)).toEqual(a);
    expect(plan(d, live({ roles: [{ key: 'r', name: 'R2' }] }), target).live_fingerprint).not.toBe(a.live_fingerprint);
    expect(a.live_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
