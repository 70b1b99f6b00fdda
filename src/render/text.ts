/**
 * Plan -> text in Terraform's style. A parent decides the symbol and indentation; each attribute renders only
 * its own value. Colour is the caller's choice (see style.ts).
 */
import type { Change, FieldDiff, Plan, Scalar, Summary, Value } from '../model/plan.js';
import { finishesCreate, isDestructive, isSetDiff, isWriteOnlyDiff, sensitivePaths } from '../model/plan.js';
import { palette, type Palette } from './style.js';
import { describeTarget } from './target.js';

export interface TextOptions {
  readonly color: boolean;
}

type Symbol = '+' | '~' | '-' | '!';

/** Deleting a user also deletes their sign-in history; Kinde cannot undo it. Unlinking a credential is destructive too. */
export const irreversible = (change: Change): string =>
  change.type === 'user' && change.action === 'delete'
    ? ' (irreversible: the user and their data are gone for good)'
    : change.action === 'update' && isDestructive(change)
    ? ' (unlinks a credential: needs --allow-delete)'
    : '';

/** Why seed mode updates a user: see Live.unfinishedUsers. */
const finishingNote = (change: Change): string => (finishesCreate(change) ? ' (its create by an earlier apply did not finish)' : '');

const headline: Record<Change['action'], string> = {
  create: 'will be created',
  update: 'will be updated in-place',
  delete: 'will be destroyed',
  manual: 'needs a manual step',
};

const symbolOf: Record<Change['action'], Symbol> = { create: '+', update: '~', delete: '-', manual: '!' };

const literal = (v: Value): string =>
  Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v as Scalar);

const writeOnlyBefore = { unknown: '(write-only, will be set)', changed: '(write-only, changed)' } as const;

function paint(p: Palette, symbol: Symbol, s: string): string {
  return symbol === '+' ? p.create(s) : symbol === '~' || symbol === '!' ? p.update(s) : p.delete(s);
}

/**
 * Identities cannot be edited: a changed value is a new identity added, then the old one deleted. Pairs of one type
 * show as one `-/+` line so the reader sees a replacement, in the order apply makes it.
 */
function identityReplacements(d: Extract<FieldDiff, { added: unknown }>): { pairs: [string, string][]; added: string[]; removed: string[] } {
  // `email:ada@acme.com` has type `email`; `oauth2:google:1234` has type `oauth2:google`.
  const typeOf = (s: string) => s.slice(0, s.indexOf(':', s.startsWith('oauth2:') ? 'oauth2:'.length : 0));
  const removed = [...d.removed];
  const pairs: [string, string][] = [];
  const added: string[] = [];
  for (const a of d.added) {
    const i = removed.findIndex((r) => typeOf(r) === typeOf(a));
    if (i >= 0) pairs.push([removed.splice(i, 1)[0]!, a]);
    else added.push(a);
  }
  return { pairs, added, removed };
}

function renderList(p: Palette, symbol: Symbol, name: string, d: Extract<FieldDiff, { added: unknown }>, pad: number, indent: string): string[] {
  const head = `${indent}${paint(p, symbol, symbol)} ${name.padEnd(pad)} =`;
  if (symbol === '-' && d.removed.length === 0) return [`${head} []`];
  if (symbol === '+' && d.added.length === 0) return [`${head} []`];
  const lines = [`${head} [`];
  const { pairs, added, removed } = name === 'identities' && symbol === '~' ? identityReplacements(d) : { pairs: [], added: [...d.added], removed: [...d.removed] };
  for (const [old, replacement] of pairs) lines.push(`${indent}  ${p.delete('-')}${p.create('/+')} ${literal(old)} -> ${literal(replacement)},`);
  for (const k of added) lines.push(`${indent}    ${p.create('+')} ${literal(k)},`);
  for (const k of removed) lines.push(`${indent}    ${p.delete('-')} ${literal(k)},`);
  const unchanged = d.after.length - d.added.length;
  if (symbol === '~' && unchanged > 0) lines.push(`${indent}      ${p.dim(`# (${unchanged} unchanged ${unchanged === 1 ? 'element' : 'elements'} hidden)`)}`);
  lines.push(`${indent}  ]`);
  return lines;
}

function renderAttribute(p: Palette, symbol: Symbol, d: FieldDiff, pad: number): string[] {
  const indent = '      ';
  if (isSetDiff(d)) return renderList(p, symbol, d.path, d, pad, indent);
  if (isWriteOnlyDiff(d)) return [`${indent}${paint(p, symbol, symbol)} ${d.path.padEnd(pad)} = ${p.dim(writeOnlyBefore[d.write_only])} -> ${literal(d.after)}`];
  // Fingerprints of secrets tell values apart; showing them would only invite people to paste them around.
  const show = (v: Value) => (sensitivePaths.has(d.path) && v !== null ? p.dim('(sensitive)') : literal(v));
  const value = symbol === '+' ? show(d.after) : symbol === '-' ? show(d.before) : `${show(d.before)} -> ${show(d.after)}`;
  return [`${indent}${paint(p, symbol, symbol)} ${d.path.padEnd(pad)} = ${value}`];
}

/** What a delete shows: every field of the object being destroyed that has a value. */
function deletedFields(change: Extract<Change, { action: 'delete' }>): FieldDiff[] {
  return Object.entries(change.before).flatMap(([path, value]): FieldDiff[] =>
    value === null || value === undefined
      ? []
      : Array.isArray(value)
      ? [{ path, before: value as string[], after: [], added: [], removed: value as string[] }]
      : [{ path, before: value as Scalar, after: null }],
  );
}

function renderChange(p: Palette, change: Change): string[] {
  const symbol = symbolOf[change.action];
  const fields = change.action === 'delete' ? deletedFields(change) : [...change.diff];
  const pad = Math.max(...fields.map((f) => f.path.length));
  // Business and environment settings exist once per tenant; tracking is a part of the environment.
  const address = change.type === change.key ? change.type : `${change.type} ${JSON.stringify(change.key)}`;
  const lines = [
    p.bold(`  # ${address} ${headline[change.action]}${irreversible(change)}${finishingNote(change)}`),
    `  ${paint(p, symbol, symbol)} ${address} {`,
    ...fields.flatMap((f) => renderAttribute(p, symbol, f, pad)),
  ];
  if (change.action === 'update' || change.action === 'manual') {
    const hidden = Object.keys(change.after).length - change.diff.length;
    if (hidden > 0) lines.push(`        ${p.dim(`# (${hidden} unchanged ${hidden === 1 ? 'attribute' : 'attributes'} hidden)`)}`);
  }
  lines.push('    }');
  if (change.action === 'manual') lines.push(`    ${change.instructions}`);
  return lines;
}

export function summaryLine(s: Summary): string {
  const manual = s.manual > 0 ? `, ${s.manual} manual ${s.manual === 1 ? 'step' : 'steps'}` : '';
  return `Plan: ${s.create + s.replace} to create, ${s.update} to change, ${s.delete + s.replace} to destroy${manual}.`;
}

function renderUnmanaged(p: Palette, plan: Plan): string[] {
  if (plan.unmanaged.length === 0) return [];
  return [
    'Not in the configuration, left alone because their collection is not pruned:',
    ...plan.unmanaged.map((u) => `  ${u.type} ${JSON.stringify(u.key)}  ${p.dim(`(set prune.${u.type}s: true to delete it)`)}`),
    '',
  ];
}

export function renderText(plan: Plan, options: TextOptions): string {
  const p = palette(options.color);
  const lines = [describeTarget(plan.target), ''];
  if (plan.changes.length === 0) {
    lines.push(...renderUnmanaged(p, plan), p.bold('No changes.') + ' The tenant matches the configuration.');
    return lines.join('\n') + '\n';
  }
  lines.push('idm will perform the following actions:', '');
  for (const change of plan.changes) lines.push(...renderChange(p, change), '');
  lines.push(...renderUnmanaged(p, plan), p.bold(summaryLine(plan.summary)));
  return lines.join('\n') + '\n';
}
