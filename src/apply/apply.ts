/**
 * Executes a Plan through a provider's Writer: phase by phase, independent steps concurrently within a bound.
 * A failed step stops the run after its phase (later phases may depend on it); an interrupt stops it after the
 * steps in flight. Either way the report says what was applied, what failed and what was not attempted, and
 * re-running `idm apply` finishes the job, because the next plan is computed from the tenant as it now is.
 */
import type { UsersMode } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import type { Progress, Writer } from '../providers/provider.js';
import { mapLimit } from '../util/map-limit.js';
import { stepsOf, type IdentityLookup, type UserLookup } from './steps.js';

export interface ApplyOptions {
  readonly parallelism: number;
  readonly progress?: Progress;
  /** Aborted on Ctrl-C: no new step starts; steps in flight finish. */
  readonly signal?: AbortSignal;
  /** Users as the config declares them (password hashes, identity details), for user changes. */
  readonly users?: UserLookup;
  readonly identities?: IdentityLookup;
  /** The config's users mode: in seed mode the writer is told which user creates and updates are coming. */
  readonly usersMode?: UsersMode;
}

export interface FailedStep {
  readonly step: string;
  readonly error: unknown;
}

export interface ApplyReport {
  readonly applied: readonly string[];
  readonly failed: readonly FailedStep[];
  readonly notAttempted: readonly string[];
  readonly interrupted: boolean;
}

export const succeeded = (r: ApplyReport): boolean => r.failed.length === 0 && r.notAttempted.length === 0;

export async function applyPlan(plan: Plan, writer: Writer, options: ApplyOptions): Promise<ApplyReport> {
  const groups = stepsOf(plan.changes, options.users, options.identities);
  if (options.usersMode === 'seed') {
    const users = plan.changes.filter((c) => c.type === 'user');
    writer.trackUserCreates?.(users.filter((c) => c.action === 'create').map((c) => c.key), users.filter((c) => c.action === 'update').map((c) => c.key));
  }
  const total = groups.reduce((n, g) => n + g.length, 0);
  const applied: string[] = [];
  const failed: FailedStep[] = [];
  const notAttempted: string[] = [];
  const stopped = () => failed.length > 0 || options.signal?.aborted === true;

  for (const group of groups) {
    if (stopped()) {
      notAttempted.push(...group.map((s) => s.description));
      continue;
    }
    const outcomes = await mapLimit(group, options.parallelism, async (step) => {
      await step.run(writer);
      applied.push(step.description);
      options.progress?.({ phase: 'apply', done: applied.length, total });
    }, () => options.signal?.aborted === true);
    outcomes.forEach((o, i) => {
      const description = group[i]!.description;
      if (o.status === 'rejected') failed.push({ step: description, error: o.reason });
      if (o.status === 'skipped') notAttempted.push(description);
    });
  }
  try {
    await writer.settle?.();
  } catch (error) {
    failed.push({ step: 'record which user creates finished', error });
  }
  return { applied, failed, notAttempted, interrupted: options.signal?.aborted === true };
}
