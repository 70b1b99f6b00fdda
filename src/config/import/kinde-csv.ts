/**
 * Kinde's CSV import format ("Import users in bulk"): a heading row, then one row per user, e.g.
 *
 *   email,id,first_name,last_name,role_key,permission_key,external_organization_id
 *   jen@kinde.com,0001,Jen,Smith,"role_1,role_2",permission_1,"org_1,org_2"
 *
 * Columns: email, id (or provided_id), first_name, last_name, username, phone (E.164), phone_verified and
 * email_verified (TRUE or FALSE), role_key (or roles), permission_key (or permissions), external_organization_id
 * (lists, comma-separated in quotes), hashed_password, hashing_method, salt, salt_position, salt_format.
 *
 * A user may span several rows, one per set of organizations with their roles (Kinde's "users with multiple orgs and
 * multiple roles"): rows with the same id, or else the same email, are merged. Their memberships add up; any other
 * value they both give must agree. The roles and permissions of a row are granted in each organization of that row.
 *
 * Cells starting with = + - @ (or a tab or carriage return) are refused: spreadsheets run them as formulas (CSV
 * injection), and no value of this format starts that way. Phone numbers (+61...), hashes and salts are exempt:
 * they legitimately start with + and are never shown in a spreadsheet by Kinde.
 */
import type { Diagnostic, SourceLocation } from '../../errors.js';
import { ConfigCode } from '../codes.js';
import { userLabel } from '../describe.js';
import { error, quote, warning } from '../diagnostic.js';
import { closest } from '../suggest.js';
import { hashingMethods, samePassword } from '../users/password.js';
import { fileUserView, PathLocator, type UserCandidate } from '../users/view.js';
import { type CsvCell, offsetInCell, parseCsv } from './csv.js';
import type { UsersRead } from './read.js';
import { LineIndex, skipBom } from './text.js';

const columns = [
  'email', 'id', 'first_name', 'last_name', 'username', 'phone', 'phone_verified', 'email_verified', 'role_key',
  'permission_key', 'external_organization_id', 'hashed_password', 'hashing_method', 'salt', 'salt_position', 'salt_format',
] as const;
type Column = (typeof columns)[number];
/** Other headings Kinde's docs use for the same columns. */
const aliases: Readonly<Record<string, Column>> = { roles: 'role_key', permissions: 'permission_key', provided_id: 'id' };
/** Secret columns: never quoted in a message, and exempt from the formula check (base64 may start with +). */
const secretColumns = new Set<Column>(['hashed_password', 'salt']);

const isColumn = (name: string): name is Column => (columns as readonly string[]).includes(name);

interface Group {
  readonly lines: number[];
  readonly problems: Diagnostic[];
  readonly loc: PathLocator;
  /** Scalar fields (id, first_name, last_name) with the line of the row that gave them. */
  readonly scalars: Map<string, { value: string; line: number }>;
  readonly identities: { type: string; value: string; verified?: boolean; verifiedLine?: number }[];
  readonly identityIndex: Map<string, number>;
  password?: { value: Record<string, string>; line: number };
  readonly organizations: Map<string, { roles: string[]; permissions: string[] }>;
  /** Parts of the user that rows could not give because of an error there: their emptiness is not reported again. */
  readonly incomplete: Set<'identities' | 'organizations'>;
}

/** The items of a comma-separated list in a cell, with where each starts in the cell's value. */
function splitList(value: string): { item: string; index: number }[] {
  const out: { item: string; index: number }[] = [];
  let index = 0;
  for (const part of value.split(',')) {
    const lead = part.length - part.trimStart().length;
    const item = part.trim();
    if (item !== '') out.push({ item, index: index + lead });
    index += part.length + 1;
  }
  return out;
}

export function readKindeCsv(text: string, file: string): UsersRead {
  const lines = new LineIndex(file, text);
  const csv = parseCsv(text, skipBom(text));
  const where = (offset: number): SourceLocation => lines.location(offset);
  if (csv.fatal) return { fatal: [error(ConfigCode.CsvSyntax, csv.fatal.message, where(csv.fatal.offset), csv.fatal.hint)], warnings: [], candidates: [] };
  const [heading, ...rows] = csv.records;
  if (!heading) {
    return { fatal: [error(ConfigCode.CsvHeader, `${file} holds no rows`, where(0), 'the first line holds the column headings, e.g. email,first_name,last_name,external_organization_id')], warnings: [], candidates: [] };
  }

  // The heading row.
  const fatal: Diagnostic[] = heading.problems.map((p) => error(ConfigCode.CsvSyntax, p.message, where(p.offset), p.hint));
  const warnings: Diagnostic[] = [];
  const byColumn = new Map<Column, number>();
  /** The first line is data, not headings: the rest of it says nothing about columns. */
  let dataRow = false;
  heading.cells.forEach((cell, c) => {
    const written = cell.value.trim();
    const name = written.toLowerCase();
    const column = isColumn(name) ? name : aliases[name];
    if (dataRow) return;
    if (heading.cells.length === 1 && name.includes(';')) {
      fatal.push(error(ConfigCode.CsvHeader, 'the headings are separated by ";", not by commas', where(cell.start), 'save the file as comma-separated CSV (spreadsheets set to some languages use ";")'));
      return;
    }
    if (!column) {
      if (/@/.test(name)) {
        dataRow = true;
        fatal.push(error(ConfigCode.CsvHeader, `the first line holds data (${quote(written, 40)}), not column headings`, where(cell.start), `add a heading row first, e.g. ${columns.slice(0, 4).join(',')}`));
        return;
      }
      const meant = closest(name, [...columns, ...Object.keys(aliases)]);
      warnings.push(
        warning(
          ConfigCode.UsersFieldIgnored,
          `column ${quote(written, 40)} is not imported: it is not a column of Kinde's CSV format`,
          where(cell.start),
          meant ? `did you mean ${quote(meant)}? If not, remove the column to silence this warning` : `the columns are: ${columns.join(', ')}`,
        ),
      );
      return;
    }
    const earlier = byColumn.get(column);
    if (earlier !== undefined) {
      const first = heading.cells[earlier]!.value.trim();
      fatal.push(error(ConfigCode.CsvHeader, `column ${quote(written)} repeats column ${quote(first)}${first.toLowerCase() === name ? '' : ' (the two are names of one column)'}`, where(cell.start), 'keep one of the two columns'));
      return;
    }
    byColumn.set(column, c);
  });
  if (!['email', 'phone', 'username'].some((c) => byColumn.has(c as Column)) && fatal.length === 0) {
    fatal.push(error(ConfigCode.CsvHeader, 'there is no email, phone or username column, so no user has an identity to sign in with', where(heading.start), 'add an email column (or phone, or username): Kinde needs one of them for every user'));
  }
  if (fatal.length > 0) return { fatal, warnings, candidates: [] };

  // The rows, merged into users.
  const groups: Group[] = [];
  const byId = new Map<string, Group>();
  const byEmail = new Map<string, Group>();
  const lineOf = (offset: number): number => where(offset).line;

  for (const row of rows) {
    const line = lineOf(row.start);
    const rowProblems: Diagnostic[] = row.problems.map((p) => error(ConfigCode.CsvSyntax, `line ${line}: ${p.message}`, where(p.offset), p.hint));
    const cell = (column: Column): CsvCell | undefined => {
      const c = byColumn.get(column);
      return c === undefined ? undefined : row.cells[c];
    };
    const text = (column: Column): string => {
      const c = cell(column);
      if (!c) return '';
      return secretColumns.has(column) ? c.value : c.value.trim();
    };
    /** The offset of a cell (of the character at `index` of its value), for the PathLocator and for messages. */
    const offset = (column: Column, index = 0): number => {
      const c = cell(column);
      return c ? offsetInCell(lines.text, c, index) : row.start;
    };
    const at = (column: Column, index = 0): SourceLocation => where(offset(column, index));

    let trusted = true;
    if (row.cells.length !== heading.cells.length) {
      trusted = row.cells.length < heading.cells.length;
      const extra = row.cells[heading.cells.length];
      rowProblems.push(
        error(
          ConfigCode.CsvSyntax,
          `line ${line} has ${row.cells.length} cells, but there are ${heading.cells.length} column headings`,
          extra ? where(extra.start) : where(row.start),
          extra ? 'a cell holding commas must be in quotes, e.g. "role_1,role_2"' : 'add the missing cells; empty cells are written as nothing between commas (a,,b)',
        ),
      );
    }
    // Formulas. Only the columns idm reads: the others are reported as not imported.
    for (const [column, c] of byColumn) {
      const value = row.cells[c]?.value ?? '';
      if (!/^[=+\-@\t\r]/.test(value) || secretColumns.has(column)) continue;
      if (column === 'phone' && /^\+[0-9 ().-]*$/.test(value)) continue;
      const first = value[0] === '\t' ? 'a tab' : value[0] === '\r' ? 'a carriage return' : quote(value[0]!);
      rowProblems.push(
        error(
          ConfigCode.CsvInjection,
          `the ${column} cell on line ${line} (${quote(value, 40)}) starts with ${first}, which spreadsheets run as a formula`,
          where(row.cells[c]!.start),
          'remove the leading character: an import file must not hold formulas (CSV injection). If the value really starts with it, use the idm NDJSON format instead',
        ),
      );
    }

    // The user this row belongs to: the one with its id, else the one with its email.
    const id = text('id');
    const email = text('email').toLowerCase();
    let group = id !== '' ? byId.get(id) : undefined;
    const sameEmail = email !== '' ? byEmail.get(email) : undefined;
    // A row without an id joins the user of its email; a row with one, only a user that has no id yet.
    if (!group && sameEmail && (id === '' || !sameEmail.scalars.has('id'))) group = sameEmail;
    if (!group) {
      group = { lines: [], problems: [], loc: new PathLocator(lines, row.start), scalars: new Map(), identities: [], identityIndex: new Map(), organizations: new Map(), incomplete: new Set() };
      groups.push(group);
    }
    if (id !== '' && !byId.has(id)) byId.set(id, group);
    if (email !== '' && !byEmail.has(email)) byEmail.set(email, group);
    const g = group;
    g.lines.push(line);
    g.problems.push(...rowProblems);
    if (!trusted) {
      // The cells may be in the wrong columns: nothing more of the row is read.
      g.incomplete.add('identities').add('organizations');
      continue;
    }

    const label = (): string => userLabel({ id: g.scalars.get('id')?.value, identities: g.identities }, `the user on line ${g.lines[0]}`);
    const conflict = (what: string, column: Column, earlierLine: number, shown: string): void =>
      void g.problems.push(
        error(ConfigCode.UserConflict, `${what} of ${label()} on line ${line}${shown} differs from line ${earlierLine}`, at(column), 'rows of one user must agree: leave the cell empty on the later rows, or make it equal'),
      );

    for (const column of ['id', 'first_name', 'last_name'] as const) {
      const value = text(column);
      if (value === '') continue;
      const known = g.scalars.get(column);
      if (!known) {
        g.scalars.set(column, { value, line });
        g.loc.set([column], offset(column));
      } else if (known.value !== value) conflict(column, column, known.line, ` (${quote(value)}, not ${quote(known.value)})`);
    }

    const bool = (column: Column): boolean | undefined => {
      const value = text(column);
      if (value === '') return undefined;
      if (/^true$/i.test(value)) return true;
      if (/^false$/i.test(value)) return false;
      g.problems.push(error(ConfigCode.WrongType, `${column} on line ${line} must be TRUE or FALSE, got ${quote(value, 40)}`, at(column), 'write TRUE or FALSE, or leave the cell empty (FALSE)'));
      return undefined;
    };
    const identity = (type: string, column: Column, verifiedColumn?: Column): void => {
      const value = text(column);
      const verified = verifiedColumn ? bool(verifiedColumn) : undefined;
      if (value === '') return;
      const id = `${type}:${type === 'phone' ? value : value.toLowerCase()}`;
      const known = g.identityIndex.get(id);
      if (known !== undefined) {
        const existing = g.identities[known]!;
        if (verified !== undefined && existing.verified !== undefined && existing.verified !== verified) {
          conflict(verifiedColumn!, verifiedColumn!, existing.verifiedLine!, ` (${verified ? 'TRUE' : 'FALSE'})`);
        } else if (verified !== undefined && existing.verified === undefined) {
          existing.verified = verified;
          existing.verifiedLine = line;
        }
        return;
      }
      const k = g.identities.length;
      g.identityIndex.set(id, k);
      g.identities.push({ type, value, ...(verified === undefined ? {} : { verified, verifiedLine: line }) });
      g.loc.set(['identities', k], offset(column));
      g.loc.set(['identities', k, 'type'], heading.cells[byColumn.get(column)!]!.start);
      g.loc.set(['identities', k, 'value'], offset(column));
      if (verifiedColumn) g.loc.set(['identities', k, 'verified'], offset(verifiedColumn));
    };
    identity('email', 'email', 'email_verified');
    identity('phone', 'phone', 'phone_verified');
    identity('username', 'username');

    // The password: every cell of it on one row.
    const cells = { hash: text('hashed_password'), method: text('hashing_method'), salt: text('salt'), salt_position: text('salt_position'), salt_format: text('salt_format') };
    if (Object.values(cells).some((v) => v !== '')) {
      const password: Record<string, string> = {};
      const method = cells.method === '' ? 'bcrypt' : cells.method.toLowerCase();
      if (!(hashingMethods as readonly string[]).includes(method)) {
        const meant = closest(method, hashingMethods);
        g.problems.push(
          error(ConfigCode.InvalidChoice, `hashing_method on line ${line} must be one of ${hashingMethods.join(', ')}, got ${quote(cells.method, 40)}`, at('hashing_method'), meant ? `did you mean ${quote(meant)}?` : `write one of: ${hashingMethods.join(', ')}`),
        );
      } else password.method = method;
      const readable = password.method !== undefined;
      if (cells.hash !== '') password.hash = cells.hash;
      if (cells.salt !== '') password.salt = cells.salt;
      for (const [field, choices] of [['salt_position', ['prefix', 'suffix']], ['salt_format', ['hex', 'string']]] as const) {
        const value = cells[field].toLowerCase();
        if (value === '') continue;
        if ((choices as readonly string[]).includes(value)) password[field] = value;
        else g.problems.push(error(ConfigCode.InvalidChoice, `${field} on line ${line} must be one of ${choices.join(', ')}, got ${quote(cells[field], 40)}`, at(field), `write one of: ${choices.join(', ')}`));
      }
      if (!readable) {
        // An unknown method leaves the password unreadable: its error says so, and the hash is not judged.
      } else if (g.password && !samePassword(g.password.value, password)) {
        g.problems.push(error(ConfigCode.UserConflict, `the password of ${label()} on line ${line} differs from the one on line ${g.password.line}`, at(cells.hash !== '' ? 'hashed_password' : 'hashing_method'), 'give the password on one row only, or the same on every row'));
      } else if (!g.password) {
        g.password = { value: password, line };
        g.loc.set(['password'], offset(cells.hash !== '' ? 'hashed_password' : 'hashing_method'));
        g.loc.set(['password', 'hash'], offset('hashed_password'));
        g.loc.set(['password', 'method'], offset('hashing_method'));
        for (const field of ['salt', 'salt_position', 'salt_format'] as const) g.loc.set(['password', field], offset(field));
      }
    }

    // Memberships: each organization of the row, with the row's roles and permissions.
    const orgCell = cell('external_organization_id');
    const orgs = splitList(text('external_organization_id') === '' ? '' : (orgCell?.value ?? ''));
    const grants = { roles: { column: 'role_key' as const, items: splitList(cell('role_key')?.value ?? '') }, permissions: { column: 'permission_key' as const, items: splitList(cell('permission_key')?.value ?? '') } };
    if (orgs.length === 0 && (grants.roles.items.length > 0 || grants.permissions.items.length > 0)) {
      const column = grants.roles.items.length > 0 ? 'role_key' : 'permission_key';
      g.incomplete.add('organizations');
      g.problems.push(
        error(ConfigCode.UserNoOrganization, `line ${line} grants ${column === 'role_key' ? 'roles' : 'permissions'} but names no organization`, at(column), 'Kinde grants roles and permissions in an organization: fill in external_organization_id on this row'),
      );
    }
    for (const { item: org, index } of orgs) {
      let membership = g.organizations.get(org);
      const m = membership ? [...g.organizations.keys()].indexOf(org) : g.organizations.size;
      if (!membership) {
        membership = { roles: [], permissions: [] };
        g.organizations.set(org, membership);
        g.loc.set(['organizations', m], offset('external_organization_id', index));
        g.loc.set(['organizations', m, 'external_id'], offset('external_organization_id', index));
      }
      for (const [kind, { column, items }] of Object.entries(grants) as ['roles' | 'permissions', (typeof grants)['roles' | 'permissions']][]) {
        for (const { item, index: i } of items) {
          if (membership[kind].includes(item)) continue;
          g.loc.set(['organizations', m, kind, membership[kind].length], offset(column, i));
          membership[kind].push(item);
        }
      }
    }
  }

  const candidates = groups.map((g): UserCandidate => {
    const raw: Record<string, unknown> = {};
    for (const [field, { value }] of g.scalars) raw[field] = value;
    raw.identities = g.identities.map(({ type, value, verified }) => ({ type, value, ...(verified === undefined ? {} : { verified }) }));
    if (g.password) raw.password = g.password.value;
    raw.organizations = [...g.organizations].map(([external_id, m]) => ({ external_id, roles: m.roles, permissions: m.permissions }));
    const label = userLabel(raw, `the user on line ${g.lines[0]}`);
    // Only the locator is kept: the group's maps are garbage once the user is built.
    const loc = g.loc;
    return { raw, view: fileUserView(file, 'kinde-csv', label, g.lines, (path, options) => loc.locate(path, options), false), problems: g.problems, incomplete: g.incomplete };
  });
  return { fatal: [], warnings, candidates };
}
