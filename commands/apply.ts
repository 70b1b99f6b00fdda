import { Args, Flags } from '@oclif/core';
import { applyPlan, succeeded } from '../src/apply/apply.js';
import { IdmCommand, appFlag, configFlag, connectionFlags, envFlag } from '../src/cli/base-command.js';
import { confirm } from '../src/cli/confirm.js';
import { interruptible } from '../src/cli/interrupt.js';
import { applyLock, lockTimeoutFlag } from '../src/cli/lock.js';
import { readPlanFile } from '../src/cli/plan-file.js';
import { progressTo } from '../src/cli/progress.js';
import type { LoadedConfig } from '../src/config/load.js';
import { loadDesired, loadTargetOf, type SourceFlags } from '../src/cli/load-desired.js';
import { forProvider } from '../src/cli/provider-part.js';
import type { IdentityLookup, UserLookup } from '../src/apply/steps.js';
import { IdmError } from '../src/errors.js';
import type { Live } from '../src/model/live.js';
import { isDestructive, isManual, type Plan } from '../src/model/plan.js';
import { requireEnvironmentOf, targetMismatch } from '../src/cli/plan-target.js';
import { fingerprint } from '../src/plan/fingerprint.js';
import { plan } from '../src/plan/plan.js';
import { readScope } from '../src/plan/scope.js';
import type { Provider } from '../src/providers/provider.js';
import { openProvider } from '../src/providers/targets.js';
import { renderApplyReport, renderManualSteps } from '../src/render/report.js';
import { renderApplyMarkdown, renderApplyReportMarkdown, renderPlanMarkdown } from '../src/render/markdown.js';
import { appendStepSummary } from '../src/cli/step-summary.js';
import { colorEnabled } from '../src/render/style.js';
import { renderText } from '../src/render/text.js';

export default class Apply extends IdmCommand {
  static override summary = 'Make the tenant match the config (or apply a saved plan).';
  static override description =
    'Plans, shows the plan, asks for confirmation on a terminal, then writes. Deletes need --allow-delete. With a PLAN file from `idm plan --out`, applies exactly that plan and refuses if the tenant changed since it was made. One apply at a time per tenant: while another holds the tenant lock it fails at once (or waits, with --lock-timeout). Exit codes: 0 applied (or nothing to do), 1 error or partial apply, 3 tenant unreachable or credentials refused.';
  static override examples = ['<%= config.bin %> apply', '<%= config.bin %> apply --auto-approve', '<%= config.bin %> apply plan.json --auto-approve', '<%= config.bin %> apply --env staging --auto-approve', '<%= config.bin %> apply --auto-approve --app "node dist/examples/cdktf/main.js"'];
  static override args = { plan: Args.string({ description: 'A plan saved by `idm plan --out FILE`.', required: false }) };
  static override flags = {
    ...configFlag,
    ...envFlag,
    ...appFlag,
    ...connectionFlags,
    ...lockTimeoutFlag,
    'auto-approve': Flags.boolean({ description: 'Apply without asking for confirmation (for CI).' }),
    'allow-delete': Flags.boolean({ description: 'Allow the plan to delete objects (only collections with prune: true ever plan deletes).' }),
    markdown: Flags.boolean({
      description: 'Print the plan and the apply report as GitHub-flavoured markdown instead of text. With GITHUB_STEP_SUMMARY set, the markdown is also appended to that file, with or without this flag.',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Apply);
    const saved = args.plan ? await readPlanFile(args.plan) : undefined;
    if (saved) requireEnvironmentOf(saved, args.plan!, flags.env);
    const config = saved ? undefined : await loadDesired(flags);
    if (config) this.printWarnings(config.warnings);
    const { target, environment } = config ?? (await loadTargetOf(flags));
    const provider = await openProvider(target, process.env, process.cwd(), { parallelism: flags.parallelism, maxRps: flags['max-rps'] }, environment);
    const lock = applyLock(provider, { timeoutMs: flags['lock-timeout'], stderr: process.stderr });
    try {
      await lock.acquire();
      const progress = progressTo(process.stderr);
      const desired = config && forProvider(config.desired, provider.target.provider, (line) => process.stderr.write(line + '\n'));
      const live = await provider.read(saved ? saved.read_scope : readScope(desired!), progress.report);
      progress.done();
      const result = saved ? checkSavedPlan(saved, args.plan!, provider, live) : plan(desired!, live, provider.target);
      process.stdout.write(flags.markdown ? renderPlanMarkdown(result, { title: 'idm apply' }) : renderText(result, { color: colorEnabled(process.stdout, process.env) }));
      const manualSteps = renderManualSteps(result);
      if (result.changes.every(isManual)) {
        process.stdout.write(flags.markdown ? renderApplyReportMarkdown(result, undefined) : manualSteps);
        await appendStepSummary(process.env, process.stderr, (options) => renderApplyMarkdown(result, undefined, options));
        return;
      }
      const destructive = result.changes.filter(isDestructive).length;
      if (destructive > 0 && !flags['allow-delete']) {
        throw new IdmError(
          `the plan destroys ${destructive} ${destructive === 1 ? 'object' : 'objects'} or credential links, and deletes are off by default`,
          'DELETE_NOT_ALLOWED',
          'review the deletes above, then run again with --allow-delete (or set prune to false for that collection)',
        );
      }
      if (!flags['auto-approve'] && !(await confirm('\nDo you want to apply these changes?'))) {
        this.log('Apply cancelled; nothing was changed.');
        process.exitCode = 1;
        return;
      }
      const specs = config ?? (await loadConfigForSecrets(result, flags));
      const users = await usersFor(result, specs);
      const identities: IdentityLookup = (key) => specs?.desired.identities.get(key);
      const report = await interruptible((signal) =>
        applyPlan(result, provider.writer(live), { parallelism: flags.parallelism, progress: progress.report, signal, users, identities, usersMode: specs?.desired.usersMode }),
      );
      progress.done();
      process.stdout.write(flags.markdown ? renderApplyReportMarkdown(result, report) : '\n' + renderApplyReport(report, result.summary) + manualSteps);
      await appendStepSummary(process.env, process.stderr, (options) => renderApplyMarkdown(result, report, options));
      if (!succeeded(report)) process.exitCode = 1;
    } finally {
      await lock.release();
      await provider.close();
    }
  }
}

const writesUsers = (plan: Plan): boolean => plan.changes.some((c) => c.type === 'user' && c.action !== 'delete');
const writesSecrets = (plan: Plan): boolean => plan.changes.some((c) => (c.type === 'user' || c.type === 'identity') && c.action !== 'delete');

/**
 * A saved plan never holds password hashes or identity details: when it creates or updates users or identities, they
 * are read from the config it was made from (-c, or --app).
 */
async function loadConfigForSecrets(plan: Plan, flags: SourceFlags): Promise<LoadedConfig | undefined> {
  if (!writesSecrets(plan)) return undefined;
  return loadDesired({ ...flags, 'skip-invalid': true });
}

async function usersFor(plan: Plan, config: LoadedConfig | undefined): Promise<UserLookup> {
  if (!writesUsers(plan) || !config) return () => undefined;
  return (key) => config.desired.users.get(key);
}

function checkSavedPlan(saved: Plan, file: string, provider: Provider, live: Live): Plan {
  const mismatch = targetMismatch(saved.target, provider.target, file);
  if (mismatch) throw mismatch;
  if (fingerprint(live) !== saved.live_fingerprint) {
    throw new IdmError(
      `the tenant changed since ${file} was made, so the plan may no longer do what it shows`,
      'PLAN_STALE',
      `make a fresh plan with \`idm plan --out ${file}\`, review it, and apply that`,
    );
  }
  return saved;
}
