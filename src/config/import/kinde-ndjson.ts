/**
 * Kinde's NDJSON import format ("Import users in bulk", and the export for moving users between environments): one
 * user per line,
 *
 *   {"id": "...", "first_name": "...", "last_name": "...",
 *    "password": {"hashed_password": "...", "hashing_algorithm": "bcrypt", "salt": null, "salt_format": null, "salt_position": null},
 *    "identities": [{"type": "email", "identity": "...", "is_verified": true}, {"type": "oauth2:google", "identity": "123", "provider": "google"}],
 *    "properties": [{"key": "...", "value": "..."}], "feature_flags": [{"key": "...", "value": "true"}],
 *    "organizations": [{"external_id": "...", "roles": [...], "permissions": [...], "scopes": [...]}]}
 *
 * mapped to a user of `users.list`: identity -> value, is_verified -> verified, hashing_algorithm -> method,
 * property and flag lists -> mappings. Flag values are text in this format; the config reads them as their flag's
 * type. API scopes and provider profiles are not imported (each reported once, with a count).
 */
import { ConfigCode } from '../codes.js';
import { Describer, userLabel } from '../describe.js';
import { error, quote } from '../diagnostic.js';
import { explainFormat, IDENTITY_TYPE } from '../formats.js';
import { hashingMethods } from '../users/password.js';
import { fileUserView, PathLocator, type UserCandidate } from '../users/view.js';
import { isMapping, RecordReader } from './fields.js';
import { jsonRecords, type JsonRecord } from './json.js';
import { IgnoredFields, type UsersRead } from './read.js';
import { LineIndex, skipBom } from './text.js';
import type { Diagnostic } from '../../errors.js';

const known = new Set(['id', 'first_name', 'last_name', 'password', 'identities', 'properties', 'feature_flags', 'organizations']);

/** The label of a Kinde record: its id, else its first email identity. */
function label(value: unknown, line: number): string {
  const v = isMapping(value) ? value : {};
  const identities = Array.isArray(v.identities) ? v.identities : [];
  const email = identities.find((i: unknown) => isMapping(i) && i.type === 'email' && typeof i.identity === 'string') as { identity: string } | undefined;
  return userLabel({ id: v.id, identities: email ? [{ type: 'email', value: email.identity }] : [] }, `the user on line ${line}`);
}

export function readKindeNdjson(text: string, file: string): UsersRead {
  const lines = new LineIndex(file, text);
  const { records, fatal } = jsonRecords(lines, skipBom(text));
  if (fatal) return { fatal: [error(ConfigCode.JsonSyntax, `invalid JSON: ${fatal.message}`, fatal.location, 'fix the JSON at this position; a JSON validator shows the exact spot')], warnings: [], candidates: [] };
  const ignored = new IgnoredFields('file');
  const candidates = records.map((record) => convert(record, file, ignored));
  return { fatal: [], warnings: ignored.warnings(), candidates };
}

function convert(record: JsonRecord, file: string, ignored: IgnoredFields): UserCandidate {
  const name = label(record.value, record.line);
  const problems: Diagnostic[] = [];
  const loc = new PathLocator(record.locator.index, record.locator.offset([]));
  const view = fileUserView(file, 'kinde-ndjson', name, [record.line], (path, options) => loc.locate(path, options), false);
  if (record.syntax) {
    problems.push(error(ConfigCode.JsonSyntax, `line ${record.line} is not valid JSON: ${record.syntax.message}`, record.syntax.location, 'each line holds one user as a JSON object; fix the JSON at this position'));
    return { raw: undefined, view, problems };
  }
  if (!isMapping(record.value)) {
    problems.push(error(ConfigCode.WrongType, `line ${record.line} of a Kinde NDJSON file must be a JSON object (one user)`, record.locator.locate([]), 'write one user per line, as in Kinde\'s import docs'));
    return { raw: undefined, view, problems };
  }
  const r = new RecordReader(record.value, record.locator, new Describer(record.locator, record.value, new Map(), name), problems);
  const set = (to: (string | number)[], from: (string | number)[]): void => loc.set(to, record.locator.offset(from), record.locator.offset(from, { key: true }));
  const raw: Record<string, unknown> = {};

  for (const field of Object.keys(record.value)) {
    if (!known.has(field)) ignored.note(field, r.at([field], { key: true }), 'not a field of Kinde\'s user import format');
  }
  for (const field of ['id', 'first_name', 'last_name'] as const) {
    const v = r.get([field], 'string');
    if (v !== undefined && v !== '') {
      raw[field] = v;
      set([field], [field]);
    }
  }

  // Parts with an entry that could not be read: their emptiness follows from an error already reported.
  const incomplete = new Set<'identities' | 'organizations'>();
  const before = problems.length;
  const identities: Record<string, unknown>[] = [];
  (r.get(['identities'], 'array') ?? []).forEach((item, j) => {
    const at = ['identities', j];
    if (!isMapping(item)) {
      r.get(at, 'object');
      return;
    }
    const type = r.get([...at, 'type'], 'string');
    const value = r.get([...at, 'identity'], 'string');
    const verified = r.get([...at, 'is_verified'], 'boolean');
    if (item.profile !== undefined) ignored.note('identities[].profile', r.at([...at, 'profile'], { key: true }), 'the provider sends the profile again when the user signs in');
    if (type === undefined) return void r.missing(at, 'type', 'add "type": "email", "phone", "username" or "oauth2:<provider>"');
    if (!IDENTITY_TYPE.test(type)) {
      const { problem, hint } = explainFormat('identityType', type, false);
      return void problems.push(error(ConfigCode.InvalidChoice, `"type" of identity ${j + 1} of ${name} (${quote(type)}) ${problem}`, r.at([...at, 'type']), hint));
    }
    if (value === undefined || value === '') return void r.missing(at, 'identity', 'add "identity": the email, phone number, username or the provider\'s user id');
    const k = identities.length;
    identities.push({ type, value, ...(verified === undefined ? {} : { verified }) });
    set(['identities', k], at);
    set(['identities', k, 'type'], [...at, 'type']);
    set(['identities', k, 'value'], [...at, 'identity']);
  });
  raw.identities = identities;
  if (problems.length > before) incomplete.add('identities');

  const password = r.get(['password'], 'object');
  if (password) {
    const p: Record<string, unknown> = {};
    set(['password'], ['password']);
    const method = password.hashing_algorithm === undefined || password.hashing_algorithm === null ? 'bcrypt' : r.choice(['password', 'hashing_algorithm'], hashingMethods);
    if (method) p.method = method;
    set(['password', 'method'], ['password', 'hashing_algorithm']);
    const fields = [['hash', 'hashed_password'], ['salt', 'salt']] as const;
    for (const [to, from] of fields) {
      const v = r.get(['password', from], 'string');
      if (v !== undefined && v !== '') p[to] = v;
      set(['password', to], ['password', from]);
    }
    const position = r.choice(['password', 'salt_position'], ['prefix', 'suffix'] as const);
    if (position) p.salt_position = position;
    set(['password', 'salt_position'], ['password', 'salt_position']);
    const format = r.choice(['password', 'salt_format'], ['hex', 'string'] as const);
    if (format) p.salt_format = format;
    set(['password', 'salt_format'], ['password', 'salt_format']);
    // A method Kinde does not know leaves the password unreadable: the error above says so.
    if (method) raw.password = p;
  }

  for (const field of ['properties', 'feature_flags'] as const) {
    const list = r.get([field], 'array');
    if (!list) continue;
    const values: Record<string, unknown> = {};
    const firstAt = new Map<string, number>();
    list.forEach((item, j) => {
      const at = [field, j];
      if (!r.get(at, 'object')) return;
      const key = r.get([...at, 'key'], 'string');
      if (key === undefined || key === '') return void r.missing(at, 'key', `add "key": the ${field === 'properties' ? 'property' : 'flag'} key`);
      const value = (item as Record<string, unknown>).value;
      if (field === 'properties' && r.get([...at, 'value'], 'string') === undefined && value !== undefined && value !== null) return;
      if (value === undefined || value === null) return void r.missing(at, 'value', 'add "value": the value, as text');
      const earlier = firstAt.get(key);
      if (earlier !== undefined) {
        return void problems.push(
          error(ConfigCode.SchemaInvalid, `${name} sets ${field === 'properties' ? 'property' : 'feature flag'} ${quote(key)} twice; the first is at line ${r.at([field, earlier]).line}`, r.at([...at, 'key']), 'remove one of the two'),
        );
      }
      firstAt.set(key, j);
      values[key] = value;
      loc.set([field, key], record.locator.offset([...at, 'value']), record.locator.offset([...at, 'key']));
    });
    raw[field] = values;
  }

  const organizationsFrom = problems.length;
  const organizations: Record<string, unknown>[] = [];
  (r.get(['organizations'], 'array') ?? []).forEach((item, j) => {
    const at = ['organizations', j];
    if (!r.get(at, 'object')) return;
    const org = item as Record<string, unknown>;
    const external = r.get([...at, 'external_id'], 'string');
    if (external === undefined || external === '') return void r.missing(at, 'external_id', 'add "external_id": the external id of the organization');
    const k = organizations.length;
    const membership: Record<string, unknown> = { external_id: external };
    set(['organizations', k], at);
    set(['organizations', k, 'external_id'], [...at, 'external_id']);
    for (const kind of ['roles', 'permissions'] as const) {
      const keys: string[] = [];
      (r.get([...at, kind], 'array') ?? []).forEach((_key, n) => {
        const v = r.get([...at, kind, n], 'string');
        if (v === undefined || v === '') return;
        set(['organizations', k, kind, keys.length], [...at, kind, n]);
        keys.push(v);
      });
      membership[kind] = keys;
    }
    if (Array.isArray(org.scopes) && org.scopes.length > 0) ignored.note('organizations[].scopes', r.at([...at, 'scopes'], { key: true }), 'idm does not manage the API scopes of users');
    organizations.push(membership);
  });
  raw.organizations = organizations;
  if (problems.length > organizationsFrom) incomplete.add('organizations');
  return { raw, view, problems, incomplete };
}
