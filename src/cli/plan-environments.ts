/**
 * `idm plan --env all`: a plan per environment, in the order the config declares them, each under a header naming
 * the environment and its tenant, then a summary table. An environment that fails (an invalid overlay, a tenant out
 * of reach) is reported and the others are still planned.
 */
import { IdmError, formatDiagnostic } from '../errors.js';
import { hasChanges } from '../model/plan.js';
import type { TargetSpec } from '../model/target.js';
import { plan } from '../plan/plan.js';
import { readScope } from '../plan/scope.js';
import { openProvider } from '../providers/targets.js';
import { type EnvironmentOutcome, renderEnvironmentSummary, specLabel } from '../render/environments.js';
import { colorEnabled } from '../render/style.js';
import { targetLabel } from '../render/target.js';
import { renderText } from '../render/text.js';
import { errorReport } from './error-report.js';
import { allEnvironments, loadDesired, type SourceFlags } from './load-desired.js';
import { progressTo } from './progress.js';

export interface PlanEnvironmentsFlags extends SourceFlags {
  readonly parallelism: number;
  readonly 'max-rps'?: number | undefined;
  readonly 'detailed-exitcode': boolean;
  readonly debug?: boolean;
}

/** Plans every environment; the exit code: 1 if any failed, else 2 with --detailed-exitcode if any has changes, else 0. */
export async function planEnvironments(flags: PlanEnvironmentsFlags): Promise<number> {
  if (flags.app !== undefined) {
    throw new IdmError('--env all plans the environments a YAML config declares; a constructs app (--app) declares none', 'ENVIRONMENT_REQUIRED', 'plan the app with --env NAME');
  }
  const names = await allEnvironments(flags.config);
  const out = process.stdout;
  const color = colorEnabled(out, process.env);
  const outcomes: EnvironmentOutcome[] = [];
  let changed = false;
  for (const [i, environment] of names.entries()) {
    if (i > 0) out.write('\n');
    let spec: TargetSpec | undefined;
    let label: string | undefined;
    const header = (target: string): void => {
      out.write(`=== Environment ${environment}: ${target} ===\n\n`);
      label = target;
    };
    try {
      const config = await loadDesired({ ...flags, env: environment });
      spec = config.target;
      for (const w of config.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
      const provider = await openProvider(spec, process.env, process.cwd(), { parallelism: flags.parallelism, maxRps: flags['max-rps'] }, environment);
      try {
        header(targetLabel(provider.target));
        const progress = progressTo(process.stderr);
        const live = await provider.read(readScope(config.desired), progress.report);
        progress.done();
        const result = plan(config.desired, live, provider.target);
        out.write(renderText(result, { color }));
        outcomes.push({ environment, target: targetLabel(provider.target), summary: result.summary });
        changed ||= hasChanges(result);
      } finally {
        await provider.close();
      }
    } catch (error) {
      const report = errorReport(error as Error, flags.debug === true);
      if (label === undefined) header(specLabel(spec, environment));
      process.stderr.write(report.text);
      outcomes.push({ environment, target: label ?? specLabel(spec, environment), error: report.brief });
    }
  }
  out.write('\n' + renderEnvironmentSummary(outcomes));
  if (outcomes.some((o) => 'error' in o)) return 1;
  return flags['detailed-exitcode'] && changed ? 2 : 0;
}
