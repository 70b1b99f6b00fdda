/** `idm plan --env all`: the table that closes the output, one row per environment. */
import type { Summary } from '../model/plan.js';
import type { TargetSpec } from '../model/target.js';

export type EnvironmentOutcome =
  | { readonly environment: string; readonly target: string; readonly summary: Summary }
  | { readonly environment: string; readonly target: string; readonly error: string };

/** A target as the config names it, for an environment that failed before idm could reach it. */
export function specLabel(spec: TargetSpec | undefined, environment: string): string {
  if (!spec) return 'default target (KINDE_* variables, else local emulator)';
  switch (spec.kind) {
    case 'local':
      return `${spec.provider} local emulator (.idm/${environment}/)`;
    case 'kinde':
      return `kinde ${spec.domain}`;
    case 'kratos':
      return `kratos ${spec.adminUrl}`;
  }
}

/** The counts of a plan's last line: a replacement is one create and one destroy. */
const counts = (s: Summary): number[] => [s.create + s.replace, s.update, s.delete + s.replace, s.manual];

export function renderEnvironmentSummary(outcomes: readonly EnvironmentOutcome[]): string {
  const heading = ['ENVIRONMENT', 'TARGET', 'CREATE', 'CHANGE', 'DESTROY', 'MANUAL'];
  const rows = outcomes.map((o) => [o.environment, o.target, ...('summary' in o ? counts(o.summary).map(String) : [])]);
  const width = (column: number): number => Math.max(...[heading, ...rows].map((row) => row[column]?.length ?? 0));
  const widths = heading.map((_, i) => width(i));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const body = outcomes.map((o, i) => ('summary' in o ? line(rows[i]!) : [o.environment.padEnd(widths[0]!), o.target.padEnd(widths[1]!), `failed: ${o.error}`].join('  ')));
  const failed = outcomes.filter((o) => 'error' in o).length;
  const changed = outcomes.filter((o) => 'summary' in o && counts(o.summary).some((n) => n > 0)).length;
  const total = `${outcomes.length} ${outcomes.length === 1 ? 'environment' : 'environments'}`;
  const last = `${total}: ${changed} with changes, ${outcomes.length - changed - failed} up to date, ${failed} failed.`;
  return ['Summary', '', line(heading), ...body, '', last, ''].join('\n');
}
