import { randomBytes } from 'node:crypto';
import { Flags } from '@oclif/core';
import { IdmCommand } from '../src/cli/base-command.js';
import { parseRateLimit, startKindeEmulator, type RateLimit } from '../src/emulator/kinde/index.js';

export default class Emulator extends IdmCommand {
  static override summary = 'Run the Kinde Management API emulator as a local server.';
  static override description =
    'Serves the parts of the Kinde Management API that idm uses (roles, permissions, organizations and their policies, feature flags, business and environment settings, environment variables), with Kinde\'s quirks, on a loopback address. Point any Kinde client at the printed KINDE_* values. Runs until Ctrl-C, then saves its state (with --data) and exits 0.';
  static override examples = [
    '<%= config.bin %> emulator',
    '<%= config.bin %> emulator --data .idm/dev-tenant.json',
    '<%= config.bin %> emulator --port 0 --latency 50 --rate-limit 10/1s --fault-rate 0.05 --seed 42',
  ];
  static override flags = {
    port: Flags.integer({ description: 'Port to listen on; 0 picks a free one.', default: 8787, min: 0, max: 65_535 }),
    host: Flags.string({ description: 'Loopback address to listen on.', default: '127.0.0.1' }),
    'client-id': Flags.string({ description: 'Client id of the M2M app it accepts. Default: a random one, printed.' }),
    'client-secret': Flags.string({ description: 'Client secret it accepts. Default: a random one, printed (a secret you pass is never printed).' }),
    data: Flags.string({ description: 'Keep the tenant in this JSON file across restarts. Default: in memory only.', helpValue: 'FILE' }),
    latency: Flags.integer({ description: 'Milliseconds added to every response.', default: 0, min: 0, helpValue: 'MS' }),
    'rate-limit': Flags.custom<RateLimit>({
      description: 'Answer 429 with RateLimit-Reset beyond N API requests per window, e.g. 10/1s or 600/60s.',
      helpValue: 'N/WINDOW',
      parse: async (input) => parseRateLimit(input),
    })(),
    'fault-rate': Flags.custom<number>({
      description: 'Share of API requests (0..1) that fail: half with 500, half with a dropped connection.',
      helpValue: 'F',
      parse: async (input) => Number(input),
    })(),
    seed: Flags.integer({ description: 'Seed for --fault-rate, so that the same faults happen on every run.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Emulator);
    const clientId = flags['client-id'] ?? `emulator-${randomBytes(6).toString('hex')}`;
    const generatedSecret = flags['client-secret'] === undefined ? randomBytes(24).toString('hex') : undefined;
    const emulator = await startKindeEmulator({
      host: flags.host,
      port: flags.port,
      clientId,
      clientSecret: flags['client-secret'] ?? generatedSecret!,
      dataFile: flags.data,
      latencyMs: flags.latency,
      rateLimit: flags['rate-limit'],
      faultRate: flags['fault-rate'],
      seed: flags.seed,
    });

    this.log(`Kinde emulator listening on ${emulator.url}`);
    this.log(flags.data ? `State is kept in ${flags.data}.` : 'State is in memory only and is lost on exit (use --data FILE to keep it).');
    this.log('\nPoint a Kinde client at it with:');
    this.log(`  KINDE_DOMAIN=${emulator.url}`);
    this.log(`  KINDE_MANAGEMENT_CLIENT_ID=${clientId}`);
    this.log(generatedSecret ? `  KINDE_MANAGEMENT_CLIENT_SECRET=${generatedSecret}` : '  KINDE_MANAGEMENT_CLIENT_SECRET=<the value you passed with --client-secret>');
    this.log('\nPress Ctrl-C to stop.');

    await untilStopped();
    await emulator.close();
    this.log(flags.data ? `Stopped; state saved to ${flags.data}.` : 'Stopped.');
  }
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
