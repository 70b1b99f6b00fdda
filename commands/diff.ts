import { Flags } from '@oclif/core';
import { IdmCommand, configFlag, connectionFlags } from '../src/cli/base-command.js';
import { loadDesired, loadTargetOnly } from '../src/cli/load-desired.js';
import { progressTo } from '../src/cli/progress.js';
import { forProvider } from '../src/cli/provider-part.js';
import { appendStepSummary } from '../src/cli/step-summary.js';
import { IdmError } from '../src/errors.js';
import { allCollections } from '../src/export/collections.js';
import { promotionDesired } from '../src/export/promote.js';
import { exportScope } from '../src/export/scope.js';
import type { Desired } from '../src/model/desired.js';
import { hasChanges } from '../src/model/plan.js';
import { plan } from '../src/plan/plan.js';
import { readScope } from '../src/plan/scope.js';
import { openProvider, type ConnectionOptions } from '../src/providers/targets.js';
import { renderJson } from '../src/render/json.js';
import { renderPlanMarkdown } from '../src/render/markdown.js';
import { colorEnabled } from '../src/render/style.js';
import { describeTarget } from '../src/render/target.js';
import { renderText } from '../src/render/text.js';

export default class Diff extends IdmCommand {
  static override summary = 'Show what promoting one environment to another would change.';
  static override description =
    'Reads the tenant of environment --from (or, with --from-config, its config) and plans it against the tenant of --to: the plan `idm apply` would make if --to were configured as --from is now. Objects only in --to are listed as not in --from, or planned as deletes with --prune. Feature flags are compared by value (Kinde cannot return their definitions), write-only fields only where idm recorded them. Exit codes as for plan: 0 (with --detailed-exitcode: no difference), 2 differences (with --detailed-exitcode), 1 error, 3 a tenant unreachable or credentials refused.';
  static override examples = [
    '<%= config.bin %> diff --from staging --to prod',
    '<%= config.bin %> diff --from dev --to staging --detailed-exitcode',
    '<%= config.bin %> diff --from staging --to prod --from-config',
  ];
  static override flags = {
    config: configFlag.config,
    ...connectionFlags,
    from: Flags.string({ description: 'The environment to promote from.', required: true, helpValue: 'ENV' }),
    to: Flags.string({ description: 'The environment to promote to.', required: true, helpValue: 'ENV' }),
    'from-config': Flags.boolean({ description: 'Compare the config of --from (its overlay and vars), not its live tenant, with the tenant of --to.' }),
    prune: Flags.boolean({ description: 'Plan what only --to has as deletes (of what the export of --from covers), instead of listing it.' }),
    json: Flags.boolean({ description: 'Print the plan as JSON (schemas/plan.schema.json).', exclusive: ['markdown'] }),
    markdown: Flags.boolean({ description: 'Print the plan as GitHub markdown.' }),
    'detailed-exitcode': Flags.boolean({ description: 'Exit 2 when the environments differ, 0 when they do not.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Diff);
    if (flags.from === flags.to && !flags['from-config']) throw new IdmError(`--from and --to are both ${flags.from}`, 'DIFF_SAME_ENVIRONMENT', 'name two different environments (or compare its config with --from-config, which is idm plan)');
    const connection: ConnectionOptions = { parallelism: flags.parallelism, maxRps: flags['max-rps'] };
    const source = await this.source(flags, connection);
    const { target, environment } = await loadTargetOnly({ config: flags.config, env: flags.to });
    const provider = await openProvider(target, process.env, process.cwd(), connection, environment);
    try {
      const desired = forProvider(source.desired, provider.target.provider, (line) => process.stderr.write(line + '\n'));
      const progress = progressTo(process.stderr, flags.json);
      const live = await provider.read(readScope(desired), progress.report);
      progress.done();
      const result = plan(desired, live, provider.target);
      const heading = `Promoting ${source.label} to ${flags.to}: what applying it would change.`;
      if (flags.json) process.stdout.write(renderJson(result));
      else if (flags.markdown) process.stdout.write(renderPlanMarkdown(result, { title: `idm diff --from ${flags.from} --to ${flags.to}` }));
      else process.stdout.write(`${heading}\n${renderText(result, { color: colorEnabled(process.stdout, process.env) })}`);
      await appendStepSummary(process.env, process.stderr, (options) => renderPlanMarkdown(result, { ...options, title: `idm diff --from ${flags.from} --to ${flags.to}` }));
      if (flags['detailed-exitcode'] && hasChanges(result)) process.exitCode = 2;
    } finally {
      await provider.close();
    }
  }

  /** What --from stands for: its config, or its live tenant read as an export. */
  private async source(
    flags: { config: string; from: string; 'from-config': boolean; prune: boolean; json: boolean },
    connection: ConnectionOptions,
  ): Promise<{ desired: Desired; label: string }> {
    if (flags['from-config']) {
      const loaded = await loadDesired({ config: flags.config, 'skip-invalid': false, env: flags.from });
      this.printWarnings(loaded.warnings);
      return { desired: loaded.desired, label: `the config of ${flags.from}` };
    }
    const { target, environment } = await loadTargetOnly({ config: flags.config, env: flags.from });
    const provider = await openProvider(target, process.env, process.cwd(), connection, environment);
    try {
      if (!provider.readAll) throw new IdmError(`idm cannot read a whole ${provider.target.provider} tenant to compare yet`, 'DIFF_UNSUPPORTED', 'compare its config instead: --from-config');
      process.stderr.write(`Reading ${describeTarget(provider.target).replace(/^Target: /, '')}\n`);
      const progress = progressTo(process.stderr, flags.json);
      const read = await provider.readAll((organizations) => exportScope(allCollections, organizations), progress.report);
      progress.done();
      return { desired: promotionDesired(read.live, { prune: flags.prune, label: flags.from }), label: flags.from };
    } finally {
      await provider.close();
    }
  }
}
