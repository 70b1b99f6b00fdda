import { randomBytes } from 'node:crypto';
import { Flags } from '@oclif/core';
import { IdmCommand } from '../src/cli/base-command.js';
import { parseRateLimit, startKindeEmulator, type RateLimit } from '../src/emulator/kinde/index.js';
import { startKratosEmulator } from '../src/emulator/kratos/index.js';

export default class Emulator extends IdmCommand {
  static override summary = 'Run the Kinde Management API (or, with --provider kratos, the Ory Kratos admin API) emulator as a local server.';
  static override description =
    'Serves the parts of the Kinde Management API that idm uses (roles, permissions, organizations and their policies, feature flags, business and environment settings, environment variables), with Kinde\'s quirks, on a loopback address. Point any Kinde client at the printed KINDE_* values. With --provider kratos it serves the Ory Kratos identity admin API and identity schemas instead, on 127.0.0.1. Runs until Ctrl-C, then saves its state (with --data) and exits 0.';
  static override examples = [
    '<%= config.bin %> emulator',
    '<%= config.bin %> emulator --data .idm/dev-tenant.json',
    '<%= config.bin %> emulator --port 0 --latency 50 --rate-limit 10/1s --fault-rate 0.05 --seed 42',
    '<%= config.bin %> emulator --provider kratos --port 4434 --data .idm/kratos.json',
  ];
  static override flags = {
    provider: Flags.string({ description: 'Which API to emulate.', options: ['kinde', 'kratos'], default: 'kinde' }),
    'api-key': Flags.string({
      description: 'Kratos: require "Authorization: Bearer KEY" on the admin API, as Ory Network does. Default: none, as self-hosted Kratos (never printed).',
      helpValue: 'KEY',
    }),
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
    const foreign = flags.provider === 'kratos' ? ['client-id', 'client-secret', ...(flags.host === '127.0.0.1' ? [] : ['host'])] : ['api-key'];
    const misplaced = foreign.filter((name) => flags[name as keyof typeof flags] !== undefined);
    if (misplaced.length > 0) this.error(`--${misplaced.join(', --')} does not apply to the ${flags.provider} emulator`, { exit: 1 });
    if (flags.provider === 'kratos') return this.runKratos(flags);
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

  private async runKratos(flags: { port: number; data?: string; latency: number; 'rate-limit'?: RateLimit; 'fault-rate'?: number; seed?: number; 'api-key'?: string }): Promise<void> {
    const emulator = await startKratosEmulator({
      port: flags.port,
      apiKey: flags['api-key'],
      dataFile: flags.data,
      latencyMs: flags.latency,
      rateLimit: flags['rate-limit'],
      faultRate: flags['fault-rate'],
      seed: flags.seed,
    });
    this.log(`Kratos emulator listening on ${emulator.url} (admin API under /admin, schemas under /schemas)`);
    this.log(flags.data ? `State is kept in ${flags.data}.` : 'State is in memory only and is lost on exit (use --data FILE to keep it).');
    this.log(`\nPoint a Kratos client at it with the admin URL ${emulator.url}`);
    this.log(flags['api-key'] ? 'and "Authorization: Bearer <the key you passed with --api-key>".' : 'and no API key (as self-hosted Kratos).');
    this.log(`For idm (a config without target:): export KRATOS_ADMIN_URL=${emulator.url}${flags['api-key'] ? ' ORY_API_KEY=<that key>' : ''}`);
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
