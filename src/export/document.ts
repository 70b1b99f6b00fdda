/**
 * One export, start to finish but for the I/O: what was read -> the YAML text, the notes about what it leaves out,
 * and whether the text is a valid config. The command only reads, prints and writes.
 */
import { ConfigError, type Diagnostic } from '../errors.js';
import { parseConfig } from '../config/parse-config.js';
import type { Target } from '../model/target.js';
import type { TenantRead } from '../providers/provider.js';
import type { RawConfig } from '../config/schema.js';
import { collections, collectionsOf, type Collection } from './collections.js';
import { danglingReferences, exportNotes, type Note } from './notes.js';
import { renderExport } from './render.js';
import { exportTenant } from './to-config.js';

export interface ExportDocument {
  readonly text: string;
  readonly notes: readonly Note[];
  /** Collections the export refers to but `only` left out: it is then a fragment, not a config of its own. */
  readonly dangling: readonly Collection[];
  /** Errors loading the text as a config would report (a value the tenant holds that the config cannot express). */
  readonly problems: readonly Diagnostic[];
  /** What was exported, in words: `5 permissions, 3 roles and business settings`. */
  readonly summary: string;
}

const count = (n: number, what: string): string => `${n} ${n === 1 ? what.replace(/s$/, '') : what}`;

function summarise(config: ReturnType<typeof exportTenant>['config']): string {
  const parts = [
    ...(config.permissions ? [count(config.permissions.length, 'permissions')] : []),
    ...(config.roles ? [count(config.roles.length, 'roles')] : []),
    ...(config.organizations ? [count(config.organizations.length, 'organizations')] : []),
    ...(config.business ? ['business settings'] : []),
    ...(config.environment ? ['environment settings'] : []),
    ...(config.users?.list ? [count(config.users.list.length, 'users')] : []),
    ...(config.identities ? [config.identities.length === 1 ? '1 identity' : `${config.identities.length} identities`] : []),
  ];
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * A file without `target:` plans against Kinde (or whatever the KINDE_* / KRATOS_ADMIN_URL variables name, as they
 * did for the export): an export of the local Kratos emulator says so, or planning it would go elsewhere.
 */
function withTarget(config: RawConfig, target: Target): RawConfig {
  if (target.provider !== 'kratos' || !target.local) return config;
  const { version, ...rest } = config;
  return { version, target: { provider: 'kratos', local: true }, ...rest };
}

/** `file` names the output in the problems' locations. */
export function exportDocument(read: TenantRead, target: Target, only: ReadonlySet<Collection> = collectionsOf(target.provider), file = 'export'): ExportDocument {
  const exported = exportTenant(read.live, { only });
  const notes = exportNotes(exported, read.unmatched, only);
  const everything = collectionsOf(target.provider);
  const all = [...everything].every((c) => only.has(c));
  const config = withTarget(exported.config, target);
  const text = renderExport(config, { target, ...(all ? {} : { only: collections.filter((c) => only.has(c)) }), notes, flags: exported.flags });
  const dangling = danglingReferences(exported.config, only);
  let problems: Diagnostic[] = [];
  // A fragment refers to what it leaves out: loading it alone could only say so.
  if (dangling.length === 0) {
    try {
      parseConfig(text, file, {});
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.diagnostics.filter((d) => d.severity === 'error');
    }
  }
  return { text, notes, dangling, problems, summary: summarise(config) };
}
