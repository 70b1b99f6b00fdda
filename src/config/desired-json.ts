/**
 * The Desired model as JSON, the hand-over between a constructs app (`idm plan --app ...`) and idm. Pure.
 *
 * JSON has no Map or Set, so they are tagged: `{"$map": [[key, value], ...]}` keeps insertion (declaration) order,
 * `{"$set": [...]}`. The same model always gives the same text, so a hash of it changes only when the model does.
 */
import { IdmError } from '../errors.js';
import type { Desired } from '../model/desired.js';

/** Marks the document, so that an app printing something else is told apart from an old or foreign format. */
export const DESIRED_FORMAT = 'idm-desired/v1';

export function encodeDesired(desired: Desired): string {
  const replacer = (_key: string, value: unknown): unknown => {
    if (value instanceof Map) return { $map: [...value] };
    if (value instanceof Set) return { $set: [...value] };
    return value;
  };
  return JSON.stringify({ format: DESIRED_FORMAT, desired }, replacer);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON -> Desired. `from` names the source in errors (the app's command). */
export function decodeDesired(text: string, from: string): Desired {
  const bad = (what: string): IdmError =>
    new IdmError(`${from} did not print an idm model: ${what}`, 'APP_OUTPUT_INVALID', 'the app must call synthIdm(config) (or run IdmStack apps with IDM_SYNTH=json) and print nothing else to stdout');
  let doc: unknown;
  try {
    doc = JSON.parse(text, (_key, value: unknown) => {
      if (isObject(value) && Array.isArray(value.$map) && Object.keys(value).length === 1) return new Map(value.$map as [string, unknown][]);
      if (isObject(value) && Array.isArray(value.$set) && Object.keys(value).length === 1) return new Set(value.$set);
      return value;
    });
  } catch (cause) {
    throw bad(`its output is not JSON (${(cause as Error).message})`);
  }
  if (!isObject(doc) || doc.format !== DESIRED_FORMAT) throw bad(`expected {"format": "${DESIRED_FORMAT}", "desired": ...}`);
  const d = doc.desired;
  if (!isObject(d)) throw bad('"desired" is missing');
  for (const name of ['permissions', 'roles', 'featureFlags', 'organizations', 'users']) {
    if (!(d[name] instanceof Map)) throw bad(`"desired.${name}" is not a map`);
  }
  if (d.usersMode !== 'seed' && d.usersMode !== 'managed') throw bad('"desired.usersMode" must be seed or managed');
  if (!isObject(d.prune)) throw bad('"desired.prune" is missing');
  return d as unknown as Desired;
}
