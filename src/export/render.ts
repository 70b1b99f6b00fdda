/**
 * An export as YAML text: a header comment (which tenant, what is left out), then the config's sections in the
 * schema's order, separated by blank lines, styled as the examples are (one line per permission, identity and
 * membership). The text is a function of its input alone: no timestamps, so two exports of one tenant are
 * byte-identical.
 */
import { Document, isCollection, type Node } from 'yaml';
import type { RawConfig } from '../config/schema.js';
import { escapeVariables } from '../config/import/serialise.js';
import type { Target } from '../model/target.js';
import type { Note } from './notes.js';
import type { FoundFlag } from './to-config.js';

export interface ExportHeader {
  readonly target: Target;
  /** The collections exported, when not all were (`--only`). */
  readonly only?: readonly string[];
  /** What the export leaves out (see exportNotes). */
  readonly notes: readonly Note[];
  /** Flags found, written commented out where `feature_flags:` goes. */
  readonly flags: readonly FoundFlag[];
}

const width = 116;

/** `text` as comment lines of at most `width` characters, the first after `first`, the rest after `rest`. */
function comment(text: string, first = '# ', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const start = line === first || line === rest;
    if (!start && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (start ? '' : ' ') + word;
    }
  }
  lines.push(line);
  return lines;
}

const where = (target: Target): string =>
  (target.local ? `${target.provider} (local emulator, state in .idm/)` : `${target.provider} ${target.url}`) +
  (target.environment === undefined ? '' : `, environment ${target.environment}`);

function header(h: ExportHeader): string {
  const lines = [
    ...comment(
      `idm config exported from ${where(h.target)} by \`idm export\`${h.only ? ` (--only ${h.only.join(',')})` : ''}. Planned against that tenant, it shows no changes.`,
    ),
  ];
  if (h.notes.length > 0) {
    lines.push(...comment('What it leaves out, idm leaves alone:'));
    for (const note of h.notes) lines.push(...comment(note.text, '#   - ', '#     '));
  }
  return lines.join('\n') + '\n';
}

/** Sets flow style on the collection at `path` of `doc`, if there is one. */
function flow(doc: Document, path: readonly (string | number)[]): void {
  const node = doc.getIn(path, true) as Node | undefined;
  if (node && isCollection(node)) node.flow = true;
}

function style(doc: Document, section: string, value: unknown): void {
  const items = Array.isArray(value) ? value : [];
  const each = (f: (item: Record<string, unknown>, i: number) => void) => items.forEach((item, i) => f(item as Record<string, unknown>, i));
  switch (section) {
    case 'permissions':
      each((_, i) => flow(doc, [section, i]));
      break;
    case 'roles':
      each((_, i) => flow(doc, [section, i, 'permissions']));
      break;
    case 'organizations':
      each((_, i) => {
        for (const field of ['colors', 'mfa', 'passkey', 'feature_flags', 'properties']) flow(doc, [section, i, field]);
        flow(doc, [section, i, 'policies', 'allowed_domains']);
        // A blank line between organizations, as in the examples: each is a block of its own.
        if (i > 0) (doc.getIn([section, i], true) as Node).spaceBefore = true;
      });
      break;
    case 'environment':
      for (const field of ['feature_flags', 'mfa', 'passkey']) flow(doc, [section, field]);
      break;
    case 'users': {
      const list = (value as { list?: readonly { identities: unknown[]; organizations: unknown[] }[] }).list ?? [];
      list.forEach((u, i) => {
        u.identities.forEach((_, k) => flow(doc, [section, 'list', i, 'identities', k]));
        u.organizations.forEach((_, k) => flow(doc, [section, 'list', i, 'organizations', k]));
      });
      break;
    }
    case 'identities':
      each((identity, i) => {
        // Traits on one line, as in the examples, but metadata (free-form, often larger) as blocks.
        flow(doc, [section, i, 'traits']);
        const credentials = (identity.credentials ?? {}) as Record<string, unknown[] | undefined>;
        for (const type of ['oidc', 'saml']) (credentials[type] ?? []).forEach((_, k) => flow(doc, [section, i, 'credentials', type, k]));
      });
      break;
    case 'target':
    case 'prune':
      flow(doc, [section]);
      break;
  }
}

const yaml = (doc: Document): string => doc.toString({ lineWidth: 0, flowCollectionPadding: true });

function section(name: string, value: unknown): string {
  const doc = new Document({ [name]: escapeVariables(value) }, { aliasDuplicateObjects: false });
  style(doc, name, value);
  return yaml(doc);
}

const todo = 'TODO';

/** The flags found, commented out where `feature_flags:` goes, to complete: unknown fields say TODO. */
function flagTemplates(flags: readonly FoundFlag[]): string {
  const lines = ['# feature_flags:'];
  for (const f of flags) {
    const doc = new Document(
      escapeVariables({
        key: f.key,
        name: todo,
        description: f.description ?? todo,
        type: f.type ?? todo,
        default: f.default ?? todo,
        override_level: f.overrideLevel ?? todo,
      }),
    );
    (doc.contents as Node & { flow: boolean }).flow = true;
    lines.push(`#   - ${yaml(doc).trimEnd()}`);
    const values = [
      ...(f.environment === undefined ? [] : [`environment ${JSON.stringify(f.environment)}`]),
      ...Object.entries(f.organizations).map(([org, v]) => `${org} ${JSON.stringify(v)}`),
    ];
    if (values.length > 0) lines.push(...comment(`values found: ${values.join('; ')}`, '#     # ', '#     #   '));
  }
  return lines.join('\n') + '\n';
}

/** The config as YAML; with `h`, under a header and with the flags found as templates. */
export function renderExport(config: RawConfig, h?: ExportHeader): string {
  const sections = Object.entries(config).map(([name, value]) => section(name, value));
  const flags = h && h.flags.length > 0 ? flagTemplates(h.flags) : undefined;
  if (flags) {
    // Where the schema puts feature_flags: after roles, before the rest.
    const at = Object.keys(config).findIndex((k) => !['version', 'permissions', 'roles'].includes(k));
    sections.splice(at < 0 ? sections.length : at, 0, flags);
  }
  return (h ? header(h) : '') + sections.join('\n');
}
