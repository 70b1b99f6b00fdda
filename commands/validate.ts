import { IdmCommand, configFlag, envFlag } from '../src/cli/base-command.js';
import { validateEnvironments } from '../src/cli/validate-environments.js';

export default class Validate extends IdmCommand {
  static override summary = 'Check the config offline: schema, references and key conventions.';
  static override description = 'Reads no tenant. Exits 0 when the config is valid (warnings allowed), 1 when it is not. With --env all, checks every environment and exits 1 if any is invalid.';
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -c examples/quickstart/idm.yaml', '<%= config.bin %> validate -c examples/promotion/idm.yaml --env all'];
  static override flags = { ...configFlag, ...envFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(Validate);
    process.exitCode = await validateEnvironments(flags, (line) => this.log(line));
  }
}
