/** A saved plan goes to the tenant, and the environment, it was made for (`idm apply FILE`). */
import { IdmError } from '../errors.js';
import type { Plan } from '../model/plan.js';
import { sameTarget, type Target } from '../model/target.js';
import { describeTarget } from '../render/target.js';

/** Before anything is opened: a plan made for an environment must be applied with --env naming it again. */
export function requireEnvironmentOf(saved: Plan, file: string, chosen: string | undefined): void {
  const made = saved.target.environment;
  if (made === undefined || chosen !== undefined) return;
  throw new IdmError(`${file} was made for environment ${made}`, 'PLAN_TARGET_MISMATCH', `apply it with --env ${made}`);
}

/** Why the saved plan must not be applied to `now`, or undefined when it was made for it. */
export function targetMismatch(made: Target, now: Target, file: string): IdmError | undefined {
  if (sameTarget(made, now)) return undefined;
  const tenants = `${describeTarget(made)}; now ${describeTarget(now)}`;
  if (made.environment !== now.environment) {
    return new IdmError(
      `${file} was made for environment ${made.environment ?? '(none)'}, not ${now.environment ?? 'the config without environments'} (${tenants})`,
      'PLAN_TARGET_MISMATCH',
      made.environment === undefined
        ? 'make a new plan with the same --env'
        : `apply it with --env ${made.environment}, or make a plan for this one with idm plan${now.environment === undefined ? '' : ` --env ${now.environment}`} --out FILE`,
    );
  }
  return new IdmError(
    `${file} was made for a different tenant (${tenants})`,
    'PLAN_TARGET_MISMATCH',
    'set KINDE_DOMAIN and the credentials of the tenant the plan was made for, or make a new plan',
  );
}
