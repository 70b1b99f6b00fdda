/**
 * idm's own users file: NDJSON (or a JSON list), one user per line with the field names of `users.list` in the
 * config, e.g.
 *
 *   {"id":"u-1001","identities":[{"type":"email","value":"ada@acme.com"}],"organizations":[{"external_id":"acme"}]}
 *
 * Each line is checked against the same schema as `users.list`. Values are taken as written: ${env:...} is not read
 * here, and a hash is written out (the file is the secret; keep it out of version control).
 */
import { Describer, userLabel } from '../describe.js';
import { ConfigCode } from '../codes.js';
import { error } from '../diagnostic.js';
import { validateUserSchema } from '../schema.js';
import { fileUserView, type UserCandidate } from '../users/view.js';
import { streamJsonRecords, type JsonRecord } from './json.js';
import type { UsersRead } from './read.js';
import { LineIndex, skipBom } from './text.js';

export function readIdmNdjson(text: string, file: string): UsersRead {
  const lines = new LineIndex(file, text);
  const { records, fatal } = streamJsonRecords(lines, skipBom(text));
  if (fatal) return { fatal: [error(ConfigCode.JsonSyntax, `invalid JSON: ${fatal.message}`, fatal.location, 'fix the JSON at this position; a JSON validator shows the exact spot')], warnings: [], candidates: [] };
  return { fatal: [], warnings: [], candidates: candidatesOf(records, file) };
}

function* candidatesOf(records: Iterable<JsonRecord>, file: string): Generator<UserCandidate> {
  for (const record of records) {
    const label = userLabel(record.value, `the user on line ${record.line}`);
    // The view holds the locator only, not the record: a valid user's raw value is not kept once it is checked.
    const { locator } = record;
    const view = fileUserView(file, 'idm', label, [record.line], (path, options) => locator.locate(path, options), true);
    if (record.syntax) {
      yield { raw: undefined, view, problems: [error(ConfigCode.JsonSyntax, `line ${record.line} is not valid JSON: ${record.syntax.message}`, record.syntax.location, 'each line holds one user as a JSON object; fix the JSON at this position')] };
      continue;
    }
    const describe = new Describer(locator, record.value, new Map(), label);
    yield { raw: record.value, view, problems: validateUserSchema(record.value, locator, describe) };
  }
}
