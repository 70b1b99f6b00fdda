import { Flags } from '@oclif/core';
import { IdmCommand, appFlag, configFlag, connectionFlags, envFlag } from '../src/cli/base-command.js';
import { writePlanFile } from '../src/cli/plan-file.js';
import { progressTo } from '../src/cli/progress.js';
import { loadDesired } from '../src/cli/load-desired.js';
import { forProvider } from '../src/cli/provider-part.js';
import { planEnvironments } from '../src/cli/plan-environments.js';
import { ALL_ENVIRONMENTS } from '../src/config/environments.js';
import { IdmError } from '../src/errors.js';
import { hasChanges } from '../src/model/plan.js';
import { plan } from '../src/plan/plan.js';
import { readScope } from '../src/plan/scope.js';
import { openProvider } from '../src/providers/targets.js';
import { renderJson } from '../src/render/json.js';
import { renderPlanMarkdown } from '../src/render/markdown.js';
import { appendStepSummary } from '../src/cli/step-summary.js';
import { colorEnabled } from '../src/render/style.js';
import { renderText } from '../src/render/text.js';

export default class Plan extends IdmCommand {
  static override summary = 'Show what apply would change in the tenant.';
  static override description =
    'Reads the tenant the config names for the environment (--env, target:), else the one named by KINDE_DOMAIN, KINDE_MANAGEMENT_CLIENT_ID and KINDE_MANAGEMENT_CLIENT_SECRET (or KRATOS_ADMIN_URL, or the local emulator when none is set), compares it with the config and prints the differences. With --env all, plans every environment and ends with a summary table (exit 1 if any failed). Exit codes: 0 success (with --detailed-exitcode: no changes), 2 changes present (with --detailed-exitcode), 1 error, 3 tenant unreachable or credentials refused.';
  static override examples = ['<%= config.bin %> plan', '<%= config.bin %> plan --detailed-exitcode', '<%= config.bin %> plan --out plan.json', '<%= config.bin %> plan --env staging', '<%= config.bin %> plan --env all --detailed-exitcode', '<%= config.bin %> plan --json > plan.json', '<%= config.bin %> plan --markdown > plan.md', '<%= config.bin %> plan --app "node dist/examples/cdktf/main.js"'];
  static override flags = {
    ...configFlag,
    ...envFlag,
    ...appFlag,
    ...connectionFlags,
    json: Flags.boolean({ description: 'Print the plan as JSON (schemas/plan.schema.json) instead of text.' }),
    out: Flags.string({ description: 'Also save the plan as JSON, for `idm apply FILE`.', helpValue: 'FILE' }),
    'detailed-exitcode': Flags.boolean({ description: 'Exit 2 when there are changes, 0 when there are none.' }),
    markdown: Flags.boolean({
      description: 'Print the plan as GitHub-flavoured markdown (a pull request comment) instead of text. With GITHUB_STEP_SUMMARY set, the markdown is also appended to that file, with or without this flag.',
      exclusive: ['json'],
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Plan);
    if (flags.env === ALL_ENVIRONMENTS) {
      if (flags.json || flags.out || flags.markdown) {
        throw new IdmError('--env all prints a plan per environment as text; --json, --markdown and --out take one environment', 'FLAGS_CONFLICT', 'run idm plan --env NAME --out plan-NAME.json for each environment');
      }
      process.exitCode = await planEnvironments(flags);
      return;
    }
    const { desired: declared, warnings, target, environment } = await loadDesired(flags);
    this.printWarnings(warnings);
    const provider = await openProvider(target, process.env, process.cwd(), { parallelism: flags.parallelism, maxRps: flags['max-rps'] }, environment);
    try {
      const desired = forProvider(declared, provider.target.provider, (line) => process.stderr.write(line + '\n'));
      const progress = progressTo(process.stderr, flags.json);
      const live = await provider.read(readScope(desired), progress.report);
      progress.done();
      const result = plan(desired, live, provider.target);
      if (flags.out) await writePlanFile(flags.out, result);
      process.stdout.write(flags.json ? renderJson(result) : flags.markdown ? renderPlanMarkdown(result) : renderText(result, { color: colorEnabled(process.stdout, process.env) }));
      await appendStepSummary(process.env, process.stderr, (options) => renderPlanMarkdown(result, options));
      if (flags.out && !flags.json && !flags.markdown && hasChanges(result)) this.log(`\nSaved this plan to ${flags.out}. To apply exactly these changes: idm apply ${flags.out}`);
      if (flags['detailed-exitcode'] && hasChanges(result)) process.exitCode = 2;
    } finally {
      await provider.close();
    }
  }
}
