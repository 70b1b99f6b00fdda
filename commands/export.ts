import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { IdmCommand, connectionFlags, envFlag } from '../src/cli/base-command.js';
import { loadTargetOnly } from '../src/cli/load-desired.js';
import { progressTo } from '../src/cli/progress.js';
import { IdmError, formatDiagnostic } from '../src/errors.js';
import { collections, collectionsOf, parseCollections } from '../src/export/collections.js';
import { exportDocument } from '../src/export/document.js';
import { exportScope } from '../src/export/scope.js';
import { openProvider } from '../src/providers/targets.js';
import { describeTarget } from '../src/render/target.js';

interface TargetFlags {
  readonly config: string;
  readonly env?: string | undefined;
  readonly parallelism: number;
  readonly 'max-rps'?: number | undefined;
}

async function openTarget(flags: TargetFlags) {
  const { target, environment } = await loadTargetOnly(flags);
  return openProvider(target, process.env, process.cwd(), { parallelism: flags.parallelism, maxRps: flags['max-rps'] }, environment);
}

export default class Export extends IdmCommand {
  static override summary = 'Write the live tenant as idm YAML.';
  static override description =
    'Reads the tenant the config names for --env, else the one named by KINDE_DOMAIN, KINDE_MANAGEMENT_CLIENT_ID and KINDE_MANAGEMENT_CLIENT_SECRET (or KRATOS_ADMIN_URL, or the local emulator when none is set), and writes it as an idm config: planned against the same tenant, it shows no changes. What the config cannot hold or the provider cannot return (feature flag definitions, write-only fields idm never wrote, passwords and other secrets, organizations without an external id) is left out and listed in the header comment. A Kratos tenant is exported as its identities, matched on their email trait. The output is sorted and has no timestamps: two exports of one tenant are byte-identical.';
  static override examples = [
    '<%= config.bin %> export > exported.yaml',
    '<%= config.bin %> export --out idm.yaml',
    '<%= config.bin %> export --only roles,permissions',
  ];
  static override flags = {
    config: Flags.string({
      char: 'c',
      description: 'The config whose tenant to export (with --env, that environment\'s). Optional: without a config file, the KINDE_* variables (or the local emulator) choose the tenant.',
      default: 'idm.yaml',
      helpValue: 'FILE',
    }),
    ...envFlag,
    ...connectionFlags,
    only: Flags.string({ description: `Export only these collections, comma-separated: ${collections.join(', ')}.`, helpValue: 'LIST' }),
    out: Flags.string({ description: 'Write the export to FILE instead of standard output.', helpValue: 'FILE' }),
    force: Flags.boolean({ description: 'Replace FILE (--out) if it exists.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Export);
    const asked = flags.only === undefined ? undefined : parseCollections(flags.only);
    if (flags.out && !flags.force && existsSync(flags.out)) {
      throw new IdmError(`${flags.out} exists`, 'EXPORT_OUT_EXISTS', 'pass --force to replace it, or choose another file (an export over a config you wrote would lose it)');
    }
    const provider = await openTarget(flags);
    try {
      if (!provider.readAll) throw new IdmError(`idm cannot export from ${provider.target.provider} yet`, 'EXPORT_UNSUPPORTED');
      const held = collectionsOf(provider.target.provider);
      const foreign = [...(asked ?? [])].filter((c) => !held.has(c));
      if (foreign.length > 0) {
        throw new IdmError(`--only: a ${provider.target.provider} tenant has no ${foreign.join(', ')}`, 'EXPORT_ONLY_UNSUPPORTED', `it holds ${[...held].join(', ')}`);
      }
      const only = asked ?? held;
      const progress = progressTo(process.stderr);
      const read = await provider.readAll((organizations) => exportScope(only, organizations), progress.report);
      progress.done();
      const result = exportDocument(read, provider.target, only, flags.out ?? 'export');
      if (flags.out) await writeFile(flags.out, result.text);
      else process.stdout.write(result.text);

      for (const note of result.notes) if (note.actionable) process.stderr.write(`warning: ${note.text}\n`);
      if (result.dangling.length > 0) {
        process.stderr.write(`note: the export refers to ${result.dangling.join(' and ')}, which --only left out: merge it into a config that declares them.\n`);
      }
      process.stderr.write(`Exported ${result.summary} from ${describeTarget(provider.target).replace(/^Target: /, '')}${flags.out ? ` to ${flags.out}` : ''}.\n`);
      if (result.problems.length > 0) {
        for (const d of result.problems) process.stderr.write(formatDiagnostic(d) + '\n');
        process.stderr.write(`\nThe tenant holds ${result.problems.length === 1 ? 'a value' : 'values'} idm's config cannot express; the export was written anyway: fix the lines above before planning with it.\n`);
        process.exitCode = 1;
      }
    } finally {
      await provider.close();
    }
  }
}
