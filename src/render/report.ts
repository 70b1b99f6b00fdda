import type { ApplyReport } from '../apply/apply.js';
import { isManual, type Plan, type Summary } from '../model/plan.js';

export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const completeLine = (summary: Summary): string => `Apply complete: ${summary.create} created, ${summary.update} changed, ${summary.delete} destroyed.`;
export const outcomeLine = (report: ApplyReport): string => (report.interrupted && report.failed.length === 0 ? 'Apply interrupted.' : 'Apply failed.');
export const rerunAdvice = 'Run `idm apply` again to finish: it plans from the tenant as it is now, so nothing is done twice.';

/** What an apply did: one line when it finished, the three lists (applied / failed / not attempted) when not. */
export function renderApplyReport(report: ApplyReport, summary: Summary): string {
  if (report.failed.length === 0 && report.notAttempted.length === 0) return completeLine(summary) + '\n';
  const lines = [outcomeLine(report), ''];
  lines.push(`Applied (${report.applied.length}):`, ...report.applied.map((s) => `  ✓ ${s}`));
  if (report.failed.length > 0) lines.push(`Failed (${report.failed.length}):`, ...report.failed.map((f) => `  ✗ ${f.step}: ${reason(f.error)}`));
  if (report.notAttempted.length > 0) lines.push(`Not attempted (${report.notAttempted.length}):`, ...report.notAttempted.map((s) => `  - ${s}`));
  lines.push('', rerunAdvice);
  return lines.join('\n') + '\n';
}

/** The differences idm cannot make through the API, with where to make them: printed last, never an error. */
export function renderManualSteps(plan: Plan): string {
  const manual = plan.changes.filter(isManual);
  if (manual.length === 0) return '';
  const lines = ['', `${manual.length === 1 ? 'One manual step remains' : `${manual.length} manual steps remain`}: idm cannot make these through the API.`];
  for (const change of manual) {
    for (const d of change.diff) lines.push(`  ! ${d.path}: ${JSON.stringify(d.before)} -> ${JSON.stringify(d.after)}`);
    lines.push(`    ${change.instructions}`);
  }
  return lines.join('\n') + '\n';
}
