import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { applyPlan } from '../../src/apply/apply.js';
import { ApiError } from '../../src/errors.js';
import type { Plan } from '../../src/model/plan.js';
import type { Writer } from '../../src/providers/provider.js';
import { escapeText, inlineCode, renderApplyMarkdown, renderApplyReportMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';
import { plan } from '../../src/plan/plan.js';
import { expectGolden } from '../helpers/golden.js';
import { desired, live, target } from '../helpers/model.js';
import { cases } from './plans.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

/** A writer that succeeds at everything but the calls `fail` answers with an error for. */
function writerFailing(fail: (call: string, key: string) => Error | undefined): Writer {
  const call = (name: string) => async (key: unknown) => {
    const k = typeof key === 'string' ? key : (key as { key: string }).key;
    const error = fail(name, k);
    if (error) throw error;
  };
  return {
    createPermission: call('createPermission'), updatePermission: call('updatePermission'), deletePermission: call('deletePermission'),
    createRole: call('createRole'), updateRole: call('updateRole'), changeRolePermissions: call('changeRolePermissions'), deleteRole: call('deleteRole'),
    writeFeatureFlag: call('writeFeatureFlag'), writeOrganization: call('writeOrganization'), writeSettings: call('writeSettings'),
    writeUser: call('writeUser'), writeIdentity: call('writeIdentity'),
  };
}

/** The body of the ```diff block (between its fences). */
const diffBlock = (markdown: string): string[] => {
  const lines = markdown.split('\n');
  const open = lines.findIndex((l) => /^`{3,}diff$/.test(l));
  const fence = lines[open]!.slice(0, -'diff'.length);
  return lines.slice(open + 1, lines.indexOf(fence, open + 1));
};

describe('markdown renderer: plans', () => {
  for (const [name, p] of Object.entries(cases)) {
    it(`renders ${name}`, () => expectGolden(golden(`${name}.md`), renderPlanMarkdown(p)));
  }

  it('puts the target and the counts first, outside the fold', () => {
    const [heading, , targetLine, , counts] = renderPlanMarkdown(cases['mixed-with-deletes']).split('\n');
    expect(heading).toBe('### idm plan');
    expect(targetLine).toBe('Target: kinde https://acme.kinde.com');
    expect(counts).toBe('**Plan: 0 to create, 2 to change, 2 to destroy.**');
  });

  it('calls out deletes before the plan, and the plan itself is folded', () => {
    const md = renderPlanMarkdown(cases['mixed-with-deletes']);
    expect(md.indexOf('⚠️ **This plan destroys 2 objects.**')).toBeGreaterThan(0);
    expect(md.indexOf('⚠️')).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('> - role `legacy`\n> - permission `delete:invoices`');
    expect(renderPlanMarkdown(cases['create-from-empty'])).not.toContain('⚠️');
  });

  it('moves every change symbol to column 0 so GitHub colours the line, ~ as !', () => {
    const lines = diffBlock(renderPlanMarkdown(cases['mixed-with-deletes']));
    expect(lines).toContain('-   role "legacy" {');
    expect(lines).toContain('!       name        = "Admin" -> "Administrator"');
    expect(lines).toContain('-           "delete:invoices",');
    expect(lines.filter((l) => /^\s+[-+~!] /.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith('~'))).toBe(false);
    expect(diffBlock(renderPlanMarkdown(cases.users))).toContain('-/+         "email:ada@acme.com" -> "email:ada@lovelace.dev",');
  });

  it('lists each manual step with where to make it', () => {
    const md = renderPlanMarkdown(cases['manual-steps']);
    expect(md).toContain('**1 manual step:** idm cannot make this change through the API.');
    expect(md).toContain('- environment `tracking`: `tracking.google_analytics` `"G-OLD999"` → `"G-NEW123"`, `tracking.hotjar_site_id` `null` → `"3141592"`');
    expect(md).toContain('Settings > Environment > Details > Third-party analytics.');
  });

  it('counts objects left alone because their collection is not pruned', () => {
    expect(renderPlanMarkdown(cases['no-changes-local-unmanaged'])).toContain('1 object in the tenant is not in the configuration and is left alone');
    expect(renderPlanMarkdown(cases['no-changes'])).not.toContain('<details>');
  });

  it('shows keys holding backticks, angle brackets and pipes exactly, and no fence inside can close the block', () => {
    const odd = 'ops`x``<b>|y';
    const fence = 'role-```-end';
    const p = plan(desired({ prune: { roles: true } }), live({ roles: [{ key: odd, name: '<script>alert(1)</script>' }, { key: fence, name: '```' }] }), target);
    const md = renderPlanMarkdown(p);
    expect(md).toContain('> - role ```ops`x``<b>\\|y```');
    expect(md).toContain('> - role ````role-```-end````');
    const open = md.split('\n').find((l) => l.endsWith('diff'))!;
    expect(open).toBe('````diff');
    expect(diffBlock(md)).toContain('-       name        = "<script>alert(1)</script>"');
    expect(md.split('\n').filter((l) => l === '````')).toHaveLength(1);
  });

  it('never shows a credential fingerprint: sensitive paths render as (sensitive)', () => {
    const fingerprint = 'sha256:4f1c9e0d2b7a6e5f';
    const newFingerprint = 'sha256:9a8b7c6d5e4f3a2b';
    const identity: Plan = {
      ...cases['no-changes'],
      summary: { create: 0, update: 1, delete: 0, replace: 0, manual: 0 },
      changes: [{
        action: 'update', type: 'identity', key: 'ada@acme.com',
        before: { 'traits.name': 'Ada', 'credentials.password': fingerprint, 'credentials.totp': null },
        after: { 'traits.name': 'Ada L.', 'credentials.password': newFingerprint, 'credentials.totp': newFingerprint },
        diff: [
          { path: 'traits.name', before: 'Ada', after: 'Ada L.' },
          { path: 'credentials.password', before: fingerprint, after: newFingerprint },
          { path: 'credentials.totp', before: null, after: newFingerprint, write_only: 'unknown' },
        ],
      }],
    };
    const md = renderPlanMarkdown(identity);
    expect(md).not.toContain('4f1c9e0d2b7a6e5f');
    expect(md).not.toContain('9a8b7c6d5e4f3a2b');
    expect(diffBlock(md)).toContain('!       credentials.password = (sensitive) -> (sensitive)');
    expect(diffBlock(md)).toContain('!       credentials.totp     = (write-only, will be set) -> (sensitive)');
    expect(diffBlock(md)).toContain('!       traits.name          = "Ada" -> "Ada L."');
  });

  it('counts unlinking a sign-in credential among what the plan destroys', () => {
    const unlink: Plan = {
      ...cases['no-changes'],
      summary: { create: 0, update: 1, delete: 0, replace: 0, manual: 0 },
      changes: [{
        action: 'update', type: 'identity', key: 'ada@acme.com',
        before: { 'credentials.oidc': ['github:1234', 'google:5678'] }, after: { 'credentials.oidc': ['google:5678'] },
        diff: [{ path: 'credentials.oidc', before: ['github:1234', 'google:5678'], after: ['google:5678'], added: [], removed: ['github:1234'] }],
      }],
    };
    expect(renderPlanMarkdown(unlink)).toContain('⚠️ **This plan destroys 1 object.**');
    expect(renderPlanMarkdown(unlink)).toContain('> - identity `ada@acme.com` (unlinks a sign-in credential)');
  });

  it('cuts a plan too long for its destination at a line, says so, and keeps everything outside the fold', () => {
    const many = plan(desired({ permissions: Array.from({ length: 400 }, (_, i) => ({ key: `read:area${i}`, name: `Read area ${i}` })) }), live(), target);
    const md = renderPlanMarkdown(many, { maxDiffBytes: 4096 });
    const body = diffBlock(md);
    expect(Buffer.byteLength(body.slice(0, -1).join('\n'))).toBeLessThanOrEqual(4096);
    expect(body.at(-1)).toMatch(/^# … \d+ more lines not shown here: run `idm plan` for the whole plan/);
    expect(md).toContain('**Plan: 400 to create, 0 to change, 0 to destroy.**');
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    expect(diffBlock(renderPlanMarkdown(many)).at(-1)).toBe('Plan: 400 to create, 0 to change, 0 to destroy.');
  });
});

describe('markdown renderer: apply reports', () => {
  const failing = cases['mixed-with-deletes'];

  it('renders a failed apply: what failed and why, what was not attempted, what was applied (folded), how to finish', async () => {
    const writer = writerFailing((call, key) =>
      call === 'updateRole' && key === 'admin'
        ? new ApiError('PATCH', '/roles/0190b0c2', 500, 'INTERNAL_ERROR', 'Something went wrong <retry later>', 'Kinde had a problem; run `idm apply` again')
        : undefined,
    );
    const report = await applyPlan(failing, writer, { parallelism: 1 });
    expect(report.failed).toHaveLength(1);
    const md = renderApplyMarkdown(failing, report);
    expectGolden(golden('apply-failed.md'), md);
    expect(md).toContain('❌ **Apply failed.** Run `idm apply` again to finish');
    expect(md).toContain('- update role "admin": PATCH /roles/0190b0c2 failed with 500 INTERNAL\\_ERROR: Something went wrong \\<retry later>  \n  hint: Kinde had a problem; run \\`idm apply\\` again');
    expect(md).toContain('**Not attempted (3)**');
    expect(md).toContain('<details><summary>Applied (1)</summary>\n\n- update permission "read:invoices"');
    expect(md.startsWith('### idm apply\n')).toBe(true);
    // An HTML block (</details>) swallows markdown up to the next blank line.
    expect(md).toContain('</details>\n\n❌');
  });

  it('renders an interrupted apply as interrupted', () => {
    const md = renderApplyReportMarkdown(failing, { applied: ['update permission "read:invoices"'], failed: [], notAttempted: ['delete role "legacy"'], interrupted: true });
    expect(md.split('\n')[1]).toMatch(/^❌ \*\*Apply interrupted\.\*\*/);
  });

  it('is one line when the apply completed, and says when manual steps remain', () => {
    const done = { applied: ['a'], failed: [], notAttempted: [], interrupted: false };
    expect(renderApplyReportMarkdown(cases['create-from-empty'], done)).toBe('\n✅ **Apply complete: 4 created, 0 changed, 0 destroyed.**\n');
    expect(renderApplyReportMarkdown(cases['organizations-and-settings'], done)).toBe('\n✅ **Apply complete: 1 created, 2 changed, 0 destroyed.** One manual step remains (above).\n');
  });

  it('says there was nothing to apply when the plan holds no writes', () => {
    expect(renderApplyReportMarkdown(cases['no-changes'], undefined)).toBe('\n**Nothing to apply.**\n');
    expect(renderApplyReportMarkdown(cases['manual-steps'], undefined)).toBe('\n**Nothing to apply.** One manual step remains (above).\n');
  });

  it('lists at most 50 steps of a kind and counts the rest', () => {
    const notAttempted = Array.from({ length: 120 }, (_, i) => `create user "u-${i}"`);
    const md = renderApplyReportMarkdown(cases['users'], { applied: [], failed: [{ step: 'create user "u-x"', error: new Error('boom') }], notAttempted, interrupted: false });
    expect(md).toContain('- create user "u-49"\n- …and 70 more');
    expect(md).not.toContain('"u-50"');
  });
});

describe('markdown syntax', () => {
  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['`lead', '`` `lead ``'],
    ['trail``', '``` trail`` ```'],
    ['a|b', '`a\\|b`'],
    ['<img src=x>', '`<img src=x>`'],
  ])('code span for %j is %j', (input, expected) => expect(inlineCode(input)).toBe(expected));

  it.each([
    ['a *b* _c_ [d](e) <f> g|h ~i~ &amp; `j`', 'a \\*b\\* \\_c\\_ \\[d\\](e) \\<f> g\\|h \\~i\\~ \\&amp; \\`j\\`'],
    ['# not a heading', '\\# not a heading'],
    ['- not a list', '\\- not a list'],
    ['> not a quote', '\\> not a quote'],
    ['1. not a list', '1\\. not a list'],
    ['a > b, c - d', 'a > b, c - d'],
  ])('text %j escapes to %j', (input, expected) => expect(escapeText(input)).toBe(expected));
});
