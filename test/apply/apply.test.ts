import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { plan } from '../../src/plan/plan.js';
import type { Writer } from '../../src/providers/provider.js';
import { desired, live, target } from '../helpers/model.js';

/** A writer that records the calls it gets, and fails the ones named in `failOn`. */
function recordingWriter(failOn: string[] = []) {
  const calls: string[] = [];
  const record = (call: string) => async () => {
    await new Promise((r) => setTimeout(r, 1));
    if (failOn.includes(call)) throw new Error(`boom: ${call}`);
    calls.push(call);
  };
  const writer: Writer = {
    createPermission: (key) => record(`createPermission ${key}`)(),
    updatePermission: (key) => record(`updatePermission ${key}`)(),
    deletePermission: (key) => record(`deletePermission ${key}`)(),
    createRole: (key) => record(`createRole ${key}`)(),
    updateRole: (key) => record(`updateRole ${key}`)(),
    changeRolePermissions: (key, add, remove) => record(`changeRolePermissions ${key} +${add.join(',')} -${remove.join(',')}`)(),
    deleteRole: (key) => record(`deleteRole ${key}`)(),
  };
  return { writer, calls };
}

const p = plan(
  desired({
    permissions: [{ key: 'a:x', name: 'A' }, { key: 'b:x', name: 'B' }],
    roles: [
      { key: 'new', name: 'New', permissions: ['a:x'] },
      { key: 'kept', name: 'Kept renamed', permissions: ['b:x'] },
      { key: 'perms-only', name: 'Perms only', permissions: ['a:x', 'b:x'] },
    ],
    prune: { roles: true, permissions: true },
  }),
  live({
    permissions: [{ key: 'b:x', name: 'B' }, { key: 'old:x', name: 'Old' }],
    roles: [
      { key: 'kept', name: 'Kept', permissions: ['b:x'] },
      { key: 'perms-only', name: 'Perms only', permissions: ['old:x'] },
      { key: 'gone', name: 'Gone', permissions: ['old:x'] },
    ],
  }),
  target,
);

describe('applyPlan', () => {
  it('writes in dependency order and only what changed', async () => {
    const { writer, calls } = recordingWriter();
    const report = await applyPlan(p, writer, { parallelism: 1 });
    expect(calls).toEqual([
      'createPermission a:x',
      'updateRole kept',
      'createRole new',
      'changeRolePermissions new +a:x -',
      'changeRolePermissions perms-only +a:x,b:x -old:x',
      'deleteRole gone',
      'deletePermission old:x',
    ]);
    expect(report).toMatchObject({ failed: [], notAttempted: [], interrupted: false });
    expect(report.applied).toHaveLength(7);
  });

  it('stops after the phase of a failed step and reports what was not attempted', async () => {
    const { writer, calls } = recordingWriter(['createRole new']);
    const report = await applyPlan(p, writer, { parallelism: 4 });
    expect(calls).toContain('updateRole kept');
    expect(calls.some((c) => c.startsWith('delete'))).toBe(false);
    expect(report.failed.map((f) => f.step)).toEqual(['create role "new"']);
    expect(report.notAttempted).toEqual([
      'add 1 permissions to role "new"',
      'change permissions of role "perms-only" (+2 -1)',
      'delete role "gone"',
      'delete permission "old:x"',
    ]);
  });

  it('starts nothing new once interrupted, and says so', async () => {
    const controller = new AbortController();
    const { writer, calls } = recordingWriter();
    const report = await applyPlan(p, { ...writer, createPermission: async (key) => { await writer.createPermission(key, { name: '' }); controller.abort(); } }, { parallelism: 1, signal: controller.signal });
    expect(calls).toEqual(['createPermission a:x']);
    expect(report.interrupted).toBe(true);
    expect(report.notAttempted).toHaveLength(6);
  });
});
