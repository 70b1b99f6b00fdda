/**
 * Markdown output and GitHub's job summary end to end: the built CLI against the local target, as a workflow runs it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { idm } from '../helpers/cli.js';

const quickstart = fileURLToPath(new URL('../../examples/quickstart/idm.yaml', import.meta.url));
const fresh = () => mkdtempSync(join(tmpdir(), 'idm-md-'));

describe('idm plan --markdown', () => {
  it('prints the plan as markdown, keeps --detailed-exitcode, and no colour', async () => {
    const cwd = fresh();
    const r = await idm(['plan', '-c', quickstart, '--markdown', '--detailed-exitcode'], { cwd, env: { FORCE_COLOR: '1' } });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith('### idm plan\n\nTarget: kinde (local emulator, state in .idm/)\n\n**Plan: 13 to create, 0 to change, 0 to destroy.**\n')).toBe(true);
    expect(r.stdout).toContain('<details><summary>Show the plan</summary>\n\n```diff\n');
    expect(r.stdout).toContain('\n+   role "admin" {\n');
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stdout).not.toContain('Saved this plan');

    await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd });
    const after = await idm(['plan', '-c', quickstart, '--markdown', '--detailed-exitcode'], { cwd });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('**No changes.** The tenant matches the configuration.');
  });

  it('refuses --markdown together with --json', async () => {
    const r = await idm(['plan', '-c', quickstart, '--markdown', '--json'], { cwd: fresh() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--json|--markdown/);
    expect(r.stdout).toBe('');
  });

  it('idm apply --markdown prints the plan and then what the apply did', async () => {
    const r = await idm(['apply', '-c', quickstart, '--auto-approve', '--markdown'], { cwd: fresh() });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('### idm apply\n\nTarget: kinde (local emulator, state in .idm/)\n')).toBe(true);
    expect(r.stdout.endsWith('</details>\n\n✅ **Apply complete: 13 created, 0 changed, 0 destroyed.**\n')).toBe(true);
  });
});

describe('GITHUB_STEP_SUMMARY', () => {
  it('plan and apply append their markdown to the file, whatever they print', async () => {
    const cwd = fresh();
    const summary = join(cwd, 'step-summary.md');
    writeFileSync(summary, 'written by an earlier step\n');
    const env = { GITHUB_STEP_SUMMARY: summary };

    const plan = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env });
    expect(plan.code).toBe(2);
    expect(plan.stdout.startsWith('Target: kinde (local emulator, state in .idm/)')).toBe(true);
    const afterPlan = readFileSync(summary, 'utf8');
    expect(afterPlan.startsWith('written by an earlier step\n### idm plan\n')).toBe(true);
    expect(afterPlan).toContain('**Plan: 13 to create, 0 to change, 0 to destroy.**');

    const json = await idm(['plan', '-c', quickstart, '--json'], { cwd, env });
    expect(JSON.parse(json.stdout).summary.create).toBe(13);

    const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env });
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 13 created');
    expect(apply.stdout).not.toContain('###');
    const afterApply = readFileSync(summary, 'utf8');
    expect(afterApply.split('### idm plan\n')).toHaveLength(3);
    const applySection = afterApply.slice(afterApply.indexOf('### idm apply\n'));
    expect(applySection).toContain('**Plan: 13 to create, 0 to change, 0 to destroy.**');
    expect(applySection).toContain('✅ **Apply complete: 13 created, 0 changed, 0 destroyed.**\n\n');

    const again = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env });
    expect(again.code).toBe(0);
    expect(readFileSync(summary, 'utf8').endsWith('### idm plan\n\nTarget: kinde (local emulator, state in .idm/)\n\n**No changes.** The tenant matches the configuration.\n\n')).toBe(true);
  });

  it('a summary that cannot be written is a warning, and the exit code stays what the plan says', async () => {
    const cwd = fresh();
    const missing = join(cwd, 'no-such-dir', 'summary.md');
    const r = await idm(['plan', '-c', quickstart, '--detailed-exitcode'], { cwd, env: { GITHUB_STEP_SUMMARY: missing } });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Plan: 13 to create, 0 to change, 0 to destroy.');
    expect(r.stderr).toContain(`warning: could not append the job summary to ${missing} (GITHUB_STEP_SUMMARY)`);
    expect(r.stderr).not.toContain('Error');

    const apply = await idm(['apply', '-c', quickstart, '--auto-approve'], { cwd, env: { GITHUB_STEP_SUMMARY: missing } });
    expect(apply.code).toBe(0);
    expect(apply.stderr).toContain('warning: could not append the job summary');
  });
});
