/**
 * `idm plan --env all`: a plan per environment, in the order the config declares them, each under a header naming
 * the environment and its tenant, then a summary table. An environment that fails (an invalid overlay, a tenant out
 * of reach) is reported and the others are still planned.
 */
import { IdmError, formatDiagnostic } from '../errors.js';
import { hasChanges } from '../model/plan.js';
import type { TargetChoice } from '../config/load.js';
import { plan } from '../plan/plan.js';
import { readScope } from '../plan/scope.js';
import { forProvider } from './provider-part.js';
import { openProvider } from '../providers/targets.js';
import { type EnvironmentOutcome, renderEnvironmentSummary, specLabel } from '../render/environments.js';
import { colorEnabled } from '../render/style.js';
import { targetLabel } from '../render/target.js';
import { renderText } from '../render/text.js';
import { errorReport } from './error-report.js';
import { allEnvironments, loadDesired, loadTargetOf, type SourceFlags } from './load-desired.js';
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
  const outcomes: EnvironmentOutcome[] = [];
  let changed = false;
  for (const [i, environment] of names.entries()) {
    if (i > 0) process.stdout.write('\n');
    const { outcome, changes } = await planEnvironment(environment, flags);
    outcomes.push(outcome);
    changed ||= changes;
  }
  process.stdout.write('\n' + renderEnvironmentSummary(outcomes));
  if (outcomes.some((o) => 'error' in o)) return 1;
  return flags['detailed-exitcode'] && changed ? 2 : 0;
}

/** One environment's plan (or error) under its header; never throws. */
async function planEnvironment(environment: string, flags: PlanEnvironmentsFlags): Promise<{ outcome: EnvironmentOutcome; changes: boolean }> {
  const out = process.stdout;
  let label: string | undefined;
  const header = (target: string): void => {
    out.write(`=== Environment ${environment}: ${target} ===\n\n`);
    label = target;
  };
  let choice: TargetChoice | undefined;
  try {
    const config = await loadDesired({ ...flags, env: environment });
    choice = config;
    for (const w of config.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
    const provider = await openProvider(config.target, process.env, process.cwd(), { parallelism: flags.parallelism, maxRps: flags['max-rps'] }, environment);
    try {
      header(targetLabel(provider.target));
      const progress = progressTo(process.stderr);
      const desired = forProvider(config.desired, provider.target.provider, (line) => process.stderr.write(line + '\n'));
      const live = await provider.read(readScope(desired), progress.report);
      progress.done();
      const result = plan(desired, live, provider.target);
      out.write(renderText(result, { color: colorEnabled(out, process.env) }));
      return { outcome: { environment, target: targetLabel(provider.target), summary: result.summary }, changes: hasChanges(result) };
    } finally {
      await provider.close();
    }
  } catch (error) {
    const report = errorReport(error as Error, flags.debug === true);
    // An invalid config may still say where the environment goes.
    choice ??= await loadTargetOf({ ...flags, env: environment }).catch(() => undefined);
    const target = label ?? (choice ? specLabel(choice.target, environment) : '(not known)');
    if (label === undefined) header(target);
    process.stderr.write(report.text);
    return { outcome: { environment, target, error: report.brief }, changes: false };
  }
}
