/** The model as JSON for `idm plan/apply --app`, and its hash for Terraform's triggers. */
import { createHash } from 'node:crypto';
import { encodeDesired } from '../config/desired-json.js';
import type { IdmConfig } from './idm-config.js';
import { toDesired } from './to-desired.js';

/** The JSON `idm --app` reads: deterministic, so equal models give equal text. */
export const desiredJson = (root: IdmConfig): string => encodeDesired(toDesired(root));

/** sha256 (hex) of desiredJson: it changes when, and only when, the identity configuration does. */
export const desiredHash = (root: IdmConfig): string => createHash('sha256').update(desiredJson(root)).digest('hex');

/** Prints the model for idm (`idm plan --app "node app.js"`); fails, naming constructs, if the tree is invalid. */
export function synthIdm(root: IdmConfig, out: NodeJS.WritableStream = process.stdout): void {
  out.write(desiredJson(root) + '\n');
}
