/**
 * Plan and apply report -> GitHub-flavoured markdown, for a job summary (GITHUB_STEP_SUMMARY) or a pull request
 * comment. What a reviewer must not miss (the target, the counts, what gets destroyed, manual steps) is outside the
 * fold; the plan itself is the text renderer's output in a collapsed ```diff block, which GitHub colours.
 */
import type { ApplyReport } from '../apply/apply.js';
import { succeeded } from '../apply/apply.js';
import { IdmError } from '../errors.js';
import type { Change, FieldDiff, FlatState, Plan, Value } from '../model/plan.js';
import { hasChanges, isDestructive, isManual, isSetDiff, sensitivePaths } from '../model/plan.js';
import { completeLine, outcomeLine, reason, rerunAdvice } from './report.js';
import { describeTarget } from './target.js';
import { irreversible, renderText, summaryLine } from './text.js';

export interface MarkdownOptions {
  /** The heading: the command that made the plan. */
  readonly title?: string;
  /**
   * Longest the diff block may be, in UTF-8 bytes. A longer plan is cut at a line and says so (GitHub refuses a job
   * summary over 1 MiB, a comment over 65,536 characters). Everything outside the block is always complete.
   */
  readonly maxDiffBytes?: number;
}

/** Lists longer than this (deletes, steps of a report) show their first entries and a count of the rest. */
const listLimit = 50;

// ---------------------------------------------------------------------------------------------------------------
// Markdown syntax

/**
 * Plain text that renders as itself: markdown's inline syntax, HTML and table pipes are backslash-escaped, and a
 * line that would start a block (heading, list, quote, setext underline) is defused.
 */
export function escapeText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\\`*_[\]<|~&]/g, '\\$&').replace(/^(\s*)([#+=>-]|\d+(?=[.)]))/, (_, space: string, lead: string) => (/\d/.test(lead) ? `${space}${lead}\\` : `${space}\\${lead}`)))
    .join('\n');
}

/** The longest run of backticks in `s`. */
const longestBacktickRun = (s: string): number => Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));

/**
 * A code span that shows `s` exactly: delimited by more backticks than any run inside, and padded when `s` starts or
 * ends with a backtick (CommonMark strips one space from each side). `|` is escaped, as GFM tables need even in code.
 */
export function inlineCode(s: string): string {
  const fence = '`'.repeat(longestBacktickRun(s) + 1);
  const flat = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const pad = /^[` ]|[` ]$/.test(flat) && flat.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block whose fence no line inside can close. */
function fencedBlock(info: string, body: string): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return [fence + info, body, fence];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The first `listLimit` entries as a bulleted list, then how many were left out. */
function bullets(items: readonly string[]): string[] {
  const shown = items.slice(0, listLimit).map((item) => `- ${item}`);
  return items.length > listLimit ? [...shown, `- …and ${items.length - listLimit} more`] : shown;
}

// ---------------------------------------------------------------------------------------------------------------
// Sensitive values

const sensitive = '(sensitive)';

const hide = (value: Value): Value => (value === null ? null : Array.isArray(value) ? value.map(() => sensitive) : sensitive);

function hideState<S>(state: S): S {
  if (state === null) return state;
  const entries = Object.entries(state as FlatState).map(([path, value]) => [path, sensitivePaths.has(path) ? hide(value) : value]);
  return Object.fromEntries(entries) as S;
}

function hideDiff(d: FieldDiff): FieldDiff {
  if (!sensitivePaths.has(d.path)) return d;
  if (isSetDiff(d)) return { ...d, before: d.before.map(() => sensitive), after: d.after.map(() => sensitive), added: d.added.map(() => sensitive), removed: d.removed.map(() => sensitive) };
  return { ...d, before: hide(d.before) as FieldDiff['before'], after: hide(d.after) } as FieldDiff;
}

/** The plan with every value at a sensitive path (fingerprints of credentials) replaced before any renderer sees it. */
function withoutSensitiveValues(plan: Plan): Plan {
  const changes = plan.changes.map((c) => ({ ...c, before: hideState(c.before), after: hideState(c.after), diff: c.diff.map(hideDiff) }) as Change);
  return { ...plan, changes };
}

// ---------------------------------------------------------------------------------------------------------------
// The plan

/**
 * The text renderer's output as a GitHub diff: GitHub colours a line by its first character, so each change symbol
 * moves to column 0 (the indentation follows it, keeping the columns), and `~` becomes `!`, which GitHub colours as a
 * change where it would leave `~` plain.
 */
function asGitHubDiff(text: string): string[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s+)(-\/\+|[-+~!])(?= )/, (_, space: string, symbol: string) => symbol + space)
        .replace(/^~/, '!')
        .replaceAll(JSON.stringify(sensitive), sensitive),
    );
}

/** Cuts the lines to fit `maxBytes` (UTF-8), at a line, with a last line saying what is missing and where to see it. */
function fitted(lines: readonly string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const [i, line] of lines.entries()) {
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > maxBytes) return [...kept, `# … ${plural(lines.length - i, 'more line')} not shown here: run \`idm plan\` for the whole plan, or \`idm plan --out plan.json\` to save it`];
    kept.push(line);
  }
  return kept;
}

const address = (c: Change): string => (c.type === c.key ? c.type : `${c.type.replace('_', ' ')} ${inlineCode(c.key)}`);

/** Why a change counts as destructive when it is not a delete (isDestructive): it unlinks a sign-in credential. */
const destroyedNote = (c: Change): string => (c.action === 'delete' ? irreversible(c) : ' (unlinks a sign-in credential)');

function deletesWarning(plan: Plan): string[] {
  const destructive = plan.changes.filter(isDestructive);
  if (destructive.length === 0) return [];
  return [
    `> ⚠️ **This plan destroys ${plural(destructive.length, 'object')}.** \`idm apply\` refuses to run it without \`--allow-delete\`.`,
    '>',
    ...bullets(destructive.map((c) => `${address(c)}${destroyedNote(c)}`)).map((line) => `> ${line}`),
    '',
  ];
}

function manualStepsSection(plan: Plan): string[] {
  const manual = plan.changes.filter(isManual);
  if (manual.length === 0) return [];
  const lines = [`**${plural(manual.length, 'manual step')}:** idm cannot make ${manual.length === 1 ? 'this change' : 'these changes'} through the API.`, ''];
  for (const change of manual) {
    const diffs = change.diff.map((d) => `${inlineCode(d.path)} ${inlineCode(JSON.stringify(d.before))} → ${inlineCode(JSON.stringify(d.after))}`);
    lines.push(`- ${address(change)}: ${diffs.join(', ')}  `, `  ${escapeText(change.instructions)}`);
  }
  return [...lines, ''];
}

function unmanagedLine(plan: Plan): string[] {
  const n = plan.unmanaged.length;
  if (n === 0) return [];
  return [`${plural(n, 'object')} in the tenant ${n === 1 ? 'is' : 'are'} not in the configuration and ${n === 1 ? 'is' : 'are'} left alone, because ${n === 1 ? 'its collection is' : 'their collections are'} not pruned.`, ''];
}

function planDetails(plan: Plan, options: MarkdownOptions): string[] {
  if (!hasChanges(plan) && plan.unmanaged.length === 0) return [];
  const diff = asGitHubDiff(renderText(withoutSensitiveValues(plan), { color: false }));
  const body = fitted(diff, options.maxDiffBytes ?? Number.POSITIVE_INFINITY).join('\n');
  return ['<details><summary>Show the plan</summary>', '', ...fencedBlock('diff', body), '', '</details>', ''];
}

/**
 * A plan as markdown: heading, target, counts, deletes, manual steps, unmanaged objects, then the plan folded. Ends
 * with one newline; whatever follows it must start after a blank line.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const lines = [`### ${escapeText(options.title ?? 'idm plan')}`, '', escapeText(describeTarget(plan.target)), ''];
  lines.push(hasChanges(plan) ? `**${summaryLine(plan.summary)}**` : '**No changes.** The tenant matches the configuration.', '');
  lines.push(...deletesWarning(plan), ...manualStepsSection(plan), ...unmanagedLine(plan), ...planDetails(plan, options));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The apply report

function failure(error: unknown): string {
  const hint = error instanceof IdmError && error.hint ? `  \n  hint: ${escapeText(error.hint)}` : '';
  return escapeText(reason(error)).replace(/\n/g, '  \n  ') + hint;
}

/**
 * What an apply did, to follow the plan's markdown: one line when it finished; when not, what failed and was not
 * attempted (with what was applied folded) and how to finish. `report` is absent when there was nothing to apply.
 * Starts with a blank line: the plan's last block (an HTML block such as </details>) runs until one.
 */
export function renderApplyReportMarkdown(plan: Plan, report: ApplyReport | undefined): string {
  const manual = plan.changes.filter(isManual).length;
  const remaining = manual > 0 ? ` ${manual === 1 ? 'One manual step remains' : `${manual} manual steps remain`} (above).` : '';
  if (!report) return `\n**Nothing to apply.**${remaining}\n`;
  if (succeeded(report)) return `\n✅ **${completeLine(plan.summary)}**${remaining}\n`;
  const lines = ['', `❌ **${outcomeLine(report)}** ${rerunAdvice}${remaining}`, ''];
  if (report.failed.length > 0) lines.push(`**Failed (${report.failed.length})**`, '', ...bullets(report.failed.map((f) => `${escapeText(f.step)}: ${failure(f.error)}`)), '');
  if (report.notAttempted.length > 0) lines.push(`**Not attempted (${report.notAttempted.length})**`, '', ...bullets(report.notAttempted.map(escapeText)), '');
  if (report.applied.length > 0) lines.push(`<details><summary>Applied (${report.applied.length})</summary>`, '', ...bullets(report.applied.map(escapeText)), '', '</details>', '');
  return lines.join('\n');
}

/** Everything `idm apply` shows, as markdown: the plan under an `idm apply` heading, then what the apply did. */
export const renderApplyMarkdown = (plan: Plan, report: ApplyReport | undefined, options: MarkdownOptions = {}): string =>
  renderPlanMarkdown(plan, { title: 'idm apply', ...options }) + renderApplyReportMarkdown(plan, report);
