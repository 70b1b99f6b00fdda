/**
 * The CDKTF app: `npm run cdktf:synth` writes cdktf.out/stacks/ledgerly/cdk.tf.json (no network, no terraform
 * binary); `idm plan --app "node dist/examples/cdktf/main.js"` reads the identity model from it instead of YAML.
 */
import { fileURLToPath } from 'node:url';
import { IdmStack, idmApp, synthApp } from '../../src/cdktf/index.js';
import { declareLedgerly, ledgerlyProps } from './ledgerly.js';

// CDKTF_OUTDIR: where `cdktf synth` (or the tests) want the output; cdktf.out by default, as cdktf.json says.
const app = idmApp({ outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out' });
// Terraform runs the provisioner in the stack's own directory, so the app is named by its absolute path.
const stack = new IdmStack(app, 'ledgerly', { ...ledgerlyProps, app: `node ${fileURLToPath(import.meta.url)}` });
declareLedgerly(stack.config);
synthApp(app, stack);
