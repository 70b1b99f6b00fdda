/**
 * CDKTF integration: a stack whose null_resource runs `idm apply` when the identity configuration changes.
 * Terraform does not model the tenant itself (idm plans it against the live API); it only decides when to run idm,
 * by the sha256 of the model in the resource's triggers.
 */
import { App, type AppConfig, Lazy, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SYNTH_ENV } from '../config/app.js';
import { provider, resource } from '@cdktf/provider-null';
import { IdmConfig, type IdmConfigProps } from './idm-config.js';
import { desiredHash, synthIdm } from './synth.js';

export interface IdmStackProps extends IdmConfigProps {
  /** The shell command that runs this app, for idm's `--app` (e.g. `node dist/main.js`). */
  readonly app: string;
  /** How the provisioner runs idm. Default `npx idm`. */
  readonly idm?: string;
  /** Extra idm apply flags, e.g. `['--allow-delete']`. Default none. */
  readonly applyFlags?: readonly string[];
}

/** Single quotes for sh: the command is passed through unchanged. */
const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class IdmStack extends TerraformStack {
  /** Declare Permission, Role, ... under this. */
  readonly config: IdmConfig;

  constructor(scope: Construct, id: string, props: IdmStackProps) {
    super(scope, id);
    this.config = new IdmConfig(this, 'idm', props);
    new provider.NullProvider(this, 'null');
    const command = [props.idm ?? 'npx idm', 'apply', '--auto-approve', ...(props.applyFlags ?? []), '--app', shellQuote(props.app)].join(' ');
    new resource.Resource(this, 'apply', {
      // Lazy: the constructs are declared after the stack, so the hash is computed at synth time.
      triggers: { desired_sha256: Lazy.stringValue({ produce: () => desiredHash(this.config) }) },
      provisioners: [{ type: 'local-exec', command }],
    });
  }
}

/** True when idm runs the app for its model (`idm plan --app`), rather than cdktf for Terraform JSON. */
export const isIdmSynth = (env: NodeJS.ProcessEnv = process.env): boolean => env[SYNTH_ENV] === 'json';

/**
 * The start of an IdmStack app: a cdktf App, or, when idm runs the app, a bare root construct, because an App
 * creates its output directory as soon as it is constructed and idm only wants the model on stdout.
 */
export function idmApp(options: AppConfig = {}, env: NodeJS.ProcessEnv = process.env): Construct {
  return isIdmSynth(env) ? new Construct(undefined as unknown as Construct, '') : new App(options);
}

/**
 * The end of an IdmStack app: prints the model when idm runs it (`--app`, IDM_SYNTH=json), otherwise synthesises
 * Terraform JSON (stacks/<id>/cdk.tf.json under the App's outdir).
 */
export function synthApp(app: Construct, stack: IdmStack, env: NodeJS.ProcessEnv = process.env): void {
  if (isIdmSynth(env)) synthIdm(stack.config);
  else if (app instanceof App) app.synth();
  else throw new Error('synthApp: the app is not a cdktf App; create it with idmApp() or new App()');
}
