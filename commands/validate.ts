import { IdmCommand, configFlag } from '../src/cli/base-command.js';
import { loadConfig } from '../src/config/load.js';

export default class Validate extends IdmCommand {
  static override summary = 'Check the config offline: schema, references and key conventions.';
  static override description = 'Reads no tenant. Exits 0 when the config is valid (warnings allowed), 1 when it is not.';
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -c examples/quickstart/idm.yaml'];
  static override flags = { ...configFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate);
    const { desired, warnings } = await loadConfig(flags.config, process.env, { skipInvalid: flags['skip-invalid'] });
    this.printWarnings(warnings);
    const counts = [
      `${desired.permissions.size} permissions`,
      `${desired.roles.size} roles`,
      `${desired.featureFlags.size} feature flags`,
      `${desired.organizations.size} organizations`,
      `${desired.users.size} users (${desired.usersMode} mode)`,
      ...(desired.business ? ['business settings'] : []),
      ...(desired.environment ? ['environment settings'] : []),
    ];
    this.log(`${flags.config} is valid: ${counts.join(', ')}.`);
  }
}
