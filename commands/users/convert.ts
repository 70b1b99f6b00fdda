import { readFile, writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { IdmCommand } from '../../src/cli/base-command.js';
import { convertUsers, usersFileFormats } from '../../src/config/import/convert.js';
import { usersToNdjson, usersToYaml } from '../../src/config/import/serialise.js';
import { ConfigError, IdmError, formatDiagnostic } from '../../src/errors.js';

export default class UsersConvert extends IdmCommand {
  static override summary = 'Convert a Kinde import file (CSV or NDJSON) or an Auth0 export into idm users.';
  static override description =
    'Reads FILE, checks every user, and writes them as idm YAML (for `users:`) or NDJSON (for `users_file:`). Every bad row is reported with its line; nothing is written unless all rows are valid or --skip-invalid is given. Password hashes are kept, so output that holds any is written only to a file (--out), never to the terminal.';
  static override examples = [
    '<%= config.bin %> users convert export.csv --to yaml --out users.yaml',
    '<%= config.bin %> users convert auth0-users.json --format auth0 --default-organization acme --to ndjson --out users.ndjson',
  ];
  static override args = { file: Args.string({ description: 'The file to convert.', required: true }) };
  static override flags = {
    format: Flags.string({ description: 'The format of FILE (detected when omitted).', options: [...usersFileFormats] }),
    to: Flags.string({ description: 'The output format.', options: ['yaml', 'ndjson'], default: 'yaml' }),
    out: Flags.string({ description: 'Write the result to this file instead of standard output.', helpValue: 'FILE' }),
    'default-organization': Flags.string({ description: 'External id of the organization for users the file puts in none (Auth0 exports name none).' }),
    'skip-invalid': Flags.boolean({ description: 'Leave invalid users out (each is still reported) instead of failing.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(UsersConvert);
    let text: string;
    try {
      text = await readFile(args.file, 'utf8');
    } catch (error) {
      throw new IdmError(`cannot read ${args.file}: ${(error as Error).message}`, 'USERS_FILE_UNREADABLE', 'check the path');
    }
    const result = convertUsers(text, flags.format as (typeof usersFileFormats)[number] | undefined, args.file, {
      ...(flags['default-organization'] ? { defaultOrganization: flags['default-organization'] } : {}),
    });
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 && !flags['skip-invalid']) throw new ConfigError(result.problems);
    for (const p of result.problems) process.stderr.write(formatDiagnostic(p) + '\n');
    const output = flags.to === 'ndjson' ? usersToNdjson(result.users) : usersToYaml(result.users);
    if (flags.out) {
      await writeFile(flags.out, output);
    } else if (result.users.some((u) => u.password)) {
      throw new IdmError('the converted users carry password hashes, and idm never prints secrets', 'SECRETS_TO_TERMINAL', 'write them to a file with --out FILE');
    } else {
      process.stdout.write(output);
    }
    const skipped = errors.length > 0 ? `; ${new Set(errors.map((e) => e.location.line)).size} invalid rows left out` : '';
    process.stderr.write(`Converted ${result.users.length} users${flags.out ? ` to ${flags.out}` : ''}${skipped}.\n`);
  }
}
