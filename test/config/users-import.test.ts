/**
 * Users files: the CSV and JSON readers, format detection, each converter on realistic files (test/fixtures/users),
 * every problem at its exact line and column, skipping invalid users, and the serialisers `idm users convert` writes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertUsers, detectUsersFormat, usersToNdjson, usersToYaml } from '../../src/config/index.js';
import { parseCsv } from '../../src/config/import/csv.js';
import { JsonSyntaxError, parseJson, pathKey } from '../../src/config/import/json.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import type { UsersFileFormat } from '../../src/config/schema.js';
import { ConfigError, formatLocation, type Diagnostic } from '../../src/errors.js';
import type { UserSpec } from '../../src/model/desired.js';
import { brief } from './_helpers.js';

const D = 'test/fixtures/users';
const H1 = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const MD5 = '62b2648f052d6599bdc84863d712a2d6';
const SHA = '8e1624e6830080db6318e140b76323c3a79f2ccb6eb9066c126b2c72109d9059';

const read = (name: string): string => readFileSync(`${D}/${name}`, 'utf8');
const convert = (name: string, format?: UsersFileFormat, options = {}) => convertUsers(read(name), format, `${D}/${name}`, options);
const m = (entries: [string, { roles?: string[]; permissions?: string[] }][]) =>
  new Map(entries.map(([org, g]) => [org, { roles: new Set(g.roles ?? []), permissions: new Set(g.permissions ?? []) }]));
const email = (value: string, verified = false, primary = true) => ({ type: 'email' as const, value, verified, primary });

describe('parseCsv', () => {
  it.each([
    { name: 'plain cells', text: 'a,b,c\n1,2,3\n', rows: [['a', 'b', 'c'], ['1', '2', '3']] },
    { name: 'quoted cells with commas, doubled quotes and line breaks', text: 'a,"b,c","say ""hi""","two\nlines"\n', rows: [['a', 'b,c', 'say "hi"', 'two\nlines']] },
    { name: 'CRLF and lone CR line ends, blank lines skipped', text: 'a,b\r\n\r\n1,2\r3,4', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
    { name: 'empty cells', text: 'a,,c\n,\n', rows: [['a', '', 'c'], ['', '']] },
  ])('$name', ({ text, rows }) => {
    const csv = parseCsv(text);
    expect(csv.fatal).toBeUndefined();
    expect(csv.records.map((r) => r.cells.map((c) => c.value))).toEqual(rows);
    expect(csv.records.flatMap((r) => r.problems)).toEqual([]);
  });

  it('keeps where each cell starts, and the problems of each row with it', () => {
    const csv = parseCsv('a,"b"x,c\nd,e"f\n');
    expect(csv.records.map((r) => r.cells.map((c) => c.start))).toEqual([[0, 2, 7], [9, 11]]);
    expect(csv.records.map((r) => r.problems.map((p) => [p.message, p.offset]))).toEqual([
      [['text after the closing quote of a cell', 5]],
      [['a quote inside a cell that does not start with one', 12]],
    ]);
  });

  it('stops at a quote that is never closed, at its offset', () => {
    const csv = parseCsv('email,roles\njen@kinde.com,"role_1,role_2\nelmo@kinde.com,x\n');
    expect(csv.fatal).toMatchObject({ offset: 26, message: 'a quoted cell is never closed: everything after its opening quote was read as one cell' });
  });
});

describe('parseJson', () => {
  it('records where every value and key is written', () => {
    const text = '{"a": [1, {"b": "x"}], "c": null}';
    const { value, positions } = parseJson(text);
    expect(value).toEqual({ a: [1, { b: 'x' }], c: null });
    expect(positions.get(pathKey(['a', 1, 'b']))).toEqual({ value: 16, key: 11 });
    expect(positions.get(pathKey(['c']))).toEqual({ value: 28, key: 23 });
  });

  it.each([
    { text: '{"a": 1,}', message: 'expected a key in quotes, found "}"', offset: 8 },
    { text: '{"a": 1 "b": 2}', message: 'expected "," or "}" after the value of "a", found "\\""', offset: 8 },
    { text: "{'a': 1}", message: 'expected a key in quotes, found "\'"', offset: 1 },
    { text: '{"a": "b', message: 'a string is never closed', offset: 6 },
    { text: '{"a": 1, "a": 2}', message: 'duplicate key "a" (JSON readers would silently keep only the last)', offset: 9 },
    { text: '[1] x', message: 'unexpected "x" after the end of the value', offset: 4 },
    { text: '['.repeat(100), message: 'values are nested more than 64 deep', offset: 65 },
  ])('$message', ({ text, message, offset }) => {
    let caught: unknown;
    try {
      parseJson(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(JsonSyntaxError);
    expect([(caught as JsonSyntaxError).message, (caught as JsonSyntaxError).offset]).toEqual([message, offset]);
  });

  it('keeps "__proto__" as data', () => {
    const { value } = parseJson('{"__proto__": {"polluted": true}}');
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('detectUsersFormat', () => {
  it.each([
    { file: 'kinde.csv', format: 'kinde-csv' },
    { file: 'kinde.ndjson', format: 'kinde-ndjson' },
    { file: 'auth0.ndjson', format: 'auth0' },
    { file: 'users.ndjson', format: 'idm' },
  ])('$file is $format', ({ file, format }) => {
    expect(detectUsersFormat(read(file), `${D}/${file}`)).toEqual({ format });
  });

  it.each([
    { text: 'email,first_name\na@b.co,A\n', file: 'export.txt', format: 'kinde-csv' },
    { text: '[{"user_id": "auth0|1", "email": "a@b.co"}]', file: 'users.json', format: 'auth0' },
    { text: '{"_id": {"$oid": "1"}, "passwordHash": "x"}\n', file: 'hashes.json', format: 'auth0' },
    { text: '{"identities": [{"type": "email", "identity": "a@b.co"}]}\n', file: 'u.jsonl', format: 'kinde-ndjson' },
    { text: '{"identities": [{"type": "email", "value": "a@b.co"}]}\n', file: 'u.jsonl', format: 'idm' },
  ])('$file with $format content', ({ text, file, format }) => {
    expect(detectUsersFormat(text, file).format).toBe(format);
  });

  it('says why when it cannot tell', () => {
    expect(detectUsersFormat('{"first_name": "A"}\n', 'u.ndjson')).toEqual({ reason: 'its first record has none of the fields that tell idm, Kinde and Auth0 users apart' });
    expect(detectUsersFormat('users: []\n', 'users.yaml').reason).toContain('put the users in the config under users.list');
  });

  it('is used by convertUsers when no format is named, and reported when it fails', () => {
    expect(convertUsers('{"first_name": "A"}\n', undefined, 'u.ndjson').problems.map(brief)).toEqual([
      'USERS_FORMAT_UNKNOWN u.ndjson:1:1 cannot tell the format of u.ndjson: its first record has none of the fields that tell idm, Kinde and Auth0 users apart',
    ]);
  });
});

describe('convertUsers: Kinde CSV', () => {
  it('reads a CSV with users over several rows (merged by id or email), quoted lists, CRLF, and every password method column', () => {
    const { users, problems } = convert('kinde.csv');
    expect(problems).toEqual([]);
    const expected: UserSpec[] = [
      {
        key: '0001',
        id: '0001',
        firstName: 'Jen',
        lastName: 'Smith',
        identities: [email('jen@kinde.com', true), { type: 'phone', value: '+61455511555', verified: true, primary: true }, { type: 'username', value: 'jen', verified: false, primary: true }],
        password: { method: 'bcrypt', hash: H1, temporary: false, version: 1 },
        organizations: m([
          ['acme', { roles: ['billing-admin', 'viewer'], permissions: ['read:invoices', 'write:invoices'] }],
          ['globex', { roles: ['viewer'], permissions: ['read:invoices'] }],
          ['initech', { roles: ['viewer'], permissions: ['read:invoices'] }],
        ]),
        source: `${D}/kinde.csv:2`,
      },
      {
        key: '0002',
        id: '0002',
        firstName: 'Elmo',
        lastName: 'O"Brien',
        identities: [email('elmo@kinde.com')],
        password: { method: 'md5', hash: MD5, salt: 'salt', saltPosition: 'prefix', saltFormat: 'string', temporary: false, version: 1 },
        organizations: m([['acme', { roles: ['viewer'] }], ['globex', { roles: ['billing-admin'] }]]),
        source: `${D}/kinde.csv:4`,
      },
      {
        key: 'ada@acme.com',
        firstName: 'Ada',
        lastName: 'Lovelace, Countess',
        identities: [email('ada@acme.com', true)],
        password: { method: 'sha256', hash: SHA, salt: '706570706572', saltPosition: 'suffix', saltFormat: 'hex', temporary: false, version: 1 },
        organizations: m([['acme', {}]]),
        source: `${D}/kinde.csv:6`,
      },
    ];
    expect(users).toEqual(expected);
  });

  it('reports every bad row at its cell: a wrong bcrypt hash, a salt on bcrypt, a formula, an email without @, rows that disagree', () => {
    const { users, problems } = convert('kinde-bad.csv');
    expect(problems.map(brief)).toEqual([
      `PASSWORD_HASH_FORMAT ${D}/kinde-bad.csv:3:41 the password of user "2" is not a bcrypt hash: it has 8 characters after the cost, not 53`,
      `PASSWORD_SALT ${D}/kinde-bad.csv:4:111 the password of user "3" has a salt, which bcrypt does not take (a bcrypt hash carries its own salt)`,
      `CSV_INJECTION ${D}/kinde-bad.csv:5:17 the first_name cell on line 5 ("=HYPERLINK(\\"http://evil.example\\")") starts with "=", which spreadsheets run as a formula`,
      `INVALID_EMAIL ${D}/kinde-bad.csv:6:1 email "bad-email.acme.com" of user "5" is not a valid email address: it has no @`,
      `USER_CONFLICT ${D}/kinde-bad.csv:8:17 first_name of user "6" on line 8 ("Jenny", not "Jen") differs from line 7`,
    ]);
    expect(problems.map((d) => d.hint)).toEqual([
      'a bcrypt hash is 60 characters: $2a$ (or $2b$, $2y$), a two-digit cost and $, then 53 characters of ./A-Za-z0-9',
      'remove the salt',
      'remove the leading character: an import file must not hold formulas (CSV injection). If the value really starts with it, use the idm NDJSON format instead',
      'write a whole address, e.g. "ada@acme.com"',
      'rows of one user must agree: leave the cell empty on the later rows, or make it equal',
    ]);
    expect(users.map((u) => u.key)).toEqual(['1']);
    // The hashes are in the file, never in a message.
    for (const d of problems) expect(`${d.message} ${d.hint}`).not.toMatch(/\$2a\$10\$t8Jz|tooShort|NaCl/);
  });

  it.each([
    {
      name: 'a quote never closed (as in the examples of Kinde\'s docs): the file cannot be read',
      text: 'email,id,first_name,last_name,roles,permissions,external_organization_id\njen@kinde.com,0001,"Jen","Smith","role_1","permission_1","ext_org_id_1,ext_org_id_2\nelmo@kinde.com,0002,"Elmo","Smith","role_1","permission_2","ext_org_id_1,ext_org_id_2\n',
      expected: ['CSV_SYNTAX u.csv:2:58 a quoted cell runs over a line break and the file ends inside a quote: this cell is most likely missing its closing quote'],
    },
    {
      name: 'headings: no identity column, a column twice under two names, an unknown column',
      text: 'id,roles,role_key,department\n1,a,b,c\n',
      expected: [
        'CSV_HEADER u.csv:1:10 column "role_key" repeats column "roles" (the two are names of one column)',
        'USERS_FIELD_IGNORED u.csv:1:19 column "department" is not imported: it is not a column of Kinde\'s CSV format',
      ],
    },
    {
      name: 'no identity column',
      text: 'id,first_name\n1,A\n',
      expected: ['CSV_HEADER u.csv:1:1 there is no email, phone or username column, so no user has an identity to sign in with'],
    },
    {
      name: 'cells separated by semicolons',
      text: 'email;first_name\na@b.co;A\n',
      expected: ['CSV_HEADER u.csv:1:1 the headings are separated by ";", not by commas'],
    },
    {
      name: 'data where the headings should be',
      text: 'jen@kinde.com,Jen\n',
      expected: ['CSV_HEADER u.csv:1:1 the first line holds data ("jen@kinde.com"), not column headings'],
    },
    {
      name: 'rows of the wrong length, stray quotes, booleans that are not TRUE or FALSE, roles with no organization, unknown methods',
      text: [
        'email,email_verified,role_key,external_organization_id,hashed_password,hashing_method,salt_position',
        'a@b.co,TRUE,viewer,acme,x,bcrypt,prefix,extra',
        'b@b.co,yes,"viewer,admin",,,,',
        'c@b.co,FALSE,,acme,62b2648f052d6599bdc84863d712a2d6,md-5,middle',
        'd"@b.co,,,acme,,,',
        '',
      ].join('\n'),
      expected: [
        'CSV_SYNTAX u.csv:2:41 line 2 has 8 cells, but there are 7 column headings',
        'SCHEMA_WRONG_TYPE u.csv:3:8 email_verified on line 3 must be TRUE or FALSE, got "yes"',
        'USER_NO_ORGANIZATION u.csv:3:13 line 3 grants roles but names no organization',
        'SCHEMA_INVALID_CHOICE u.csv:4:53 hashing_method on line 4 must be one of bcrypt, crypt, md5, sha256, wordpress, pbkdf2, firebase-scrypt, aspnet-identity-v2, got "md-5"',
        'SCHEMA_INVALID_CHOICE u.csv:4:58 salt_position on line 4 must be one of prefix, suffix, got "middle"',
        'INVALID_EMAIL u.csv:5:1 email "d\\"@b.co" of user "d\\"@b.co" is not a valid email address: the part before the @ has characters or dots an address cannot have',
        'CSV_SYNTAX u.csv:5:2 line 5: a quote inside a cell that does not start with one',
      ],
    },
    {
      name: 'a password that differs between two rows of one user, never shown',
      text: `email,id,external_organization_id,hashed_password\na@b.co,1,acme,${H1}\n,1,globex,${H1.replace('t8', 'T8')}\n`,
      expected: ['USER_CONFLICT u.csv:3:11 the password of user "1" on line 3 differs from the one on line 2'],
    },
    {
      name: 'cells that start like formulas, except phone numbers and secrets',
      text: 'email,phone,first_name,last_name,external_organization_id,hashed_password,hashing_method\na@b.co,+61455511555,+Ada,@Lovelace,acme,"+abc/def",aspnet-identity-v2\n',
      expected: [
        'CSV_INJECTION u.csv:2:21 the first_name cell on line 2 ("+Ada") starts with "+", which spreadsheets run as a formula',
        'CSV_INJECTION u.csv:2:26 the last_name cell on line 2 ("@Lovelace") starts with "@", which spreadsheets run as a formula',
      ],
    },
    {
      name: 'a user with no organization, and a phone that is not E.164',
      text: 'phone,first_name\n0455511555,Ada\n',
      expected: [
        'INVALID_PHONE u.csv:2:1 phone "0455511555" of the user on line 2 is not a phone number in E.164 form: it is a national number',
        'USER_NO_ORGANIZATION u.csv:2:1 the user on line 2 belongs to no organization',
      ],
    },
  ])('$name', ({ text, expected }) => {
    const { problems } = convertUsers(text, 'kinde-csv', 'u.csv');
    expect(problems.map(brief)).toEqual(expected);
    for (const d of problems) expect(d.hint, brief(d)).toBeTruthy();
  });

  it('reads a file with a byte-order mark and CRLF line ends', () => {
    const { users, problems } = convertUsers('\uFEFFemail,external_organization_id\r\na@b.co,acme\r\n', undefined, 'u.csv');
    expect(problems).toEqual([]);
    expect(users.map((u) => [u.key, [...u.organizations.keys()]])).toEqual([['a@b.co', ['acme']]]);
  });

  it('puts users without an organization in default_organization', () => {
    const { users } = convertUsers('email\na@b.co\n', 'kinde-csv', 'u.csv', { defaultOrganization: 'acme' });
    expect(users.map((u) => [...u.organizations.keys()])).toEqual([['acme']]);
  });
});

describe('convertUsers: Kinde NDJSON', () => {
  it('reads Kinde\'s import format: identities, passwords, property and flag lists, memberships; reports what it leaves out', () => {
    const { users, problems } = convert('kinde.ndjson');
    expect(problems.map(brief)).toEqual([
      `USERS_FIELD_IGNORED ${D}/kinde.ndjson:1:380 "identities[].profile" is not imported (in 1 user of this file): the provider sends the profile again when the user signs in`,
      `USERS_FIELD_IGNORED ${D}/kinde.ndjson:1:723 "organizations[].scopes" is not imported (in 1 user of this file): idm does not manage the API scopes of users`,
    ]);
    expect(problems.every((d) => d.severity === 'warning')).toBe(true);
    expect(users).toEqual([
      {
        key: 'kinde-001',
        id: 'kinde-001',
        firstName: 'User',
        lastName: 'One',
        identities: [
          { type: 'username', value: 'userone', verified: false, primary: true },
          email('userone@example.com', true),
          { type: 'oauth2:google', value: '123456', verified: true, primary: true },
        ],
        password: { method: 'bcrypt', hash: H1, temporary: false, version: 1 },
        properties: new Map([['department', 'engineering']]),
        // Text, as Kinde writes every flag value; a config reads it as its flag's type.
        featureFlags: new Map([['bulk_approvals', 'true']]),
        organizations: m([['acme', { roles: ['billing-admin'], permissions: ['read:invoices'] }]]),
        source: `${D}/kinde.ndjson:1`,
      },
      { key: 'kinde-002', id: 'kinde-002', firstName: 'Two', identities: [email('two@example.com')], organizations: m([['globex', { roles: ['viewer'] }]]), source: `${D}/kinde.ndjson:2` },
      {
        key: 'kinde-003',
        id: 'kinde-003',
        identities: [{ type: 'phone', value: '+14155550123', verified: true, primary: true }],
        password: { method: 'md5', hash: MD5, salt: '73616c74', saltPosition: 'prefix', saltFormat: 'hex', temporary: false, version: 1 },
        organizations: m([['acme', {}]]),
        source: `${D}/kinde.ndjson:3`,
      },
    ]);
  });

  it('reports each bad line at its position, and keeps the good ones', () => {
    const text = [
      '{"id": "k1", "identities": [{"type": "email", "identity": "a@b.co"}], "organizations": [{"external_id": "acme"}]}',
      '{"id": "k2", "identities": [{"type": "email", "identity": "b@b.co"}], "organizations": [{"external_id": "acme"}],}',
      '{"id": "k3", "identities": [{"type": "mail", "identity": "c@b.co", "is_verified": "true"}], "organizations": "acme"}',
      '{"id": "k4", "identities": [{"type": "email", "identity": "d@b.co"}], "organizations": [{"external_id": "acme"}], "password": {"hashed_password": "x", "hashing_algorithm": "argon2"}}',
      '{"id": "k5", "identities": [{"type": "email", "identity": "e@b.co"}], "organizations": [{"external_id": "acme"}], "password": {"hashed_password": "$2a$10$short", "hashing_algorithm": "bcrypt", "salt": "abc"}}',
      '',
    ].join('\n');
    const { users, problems } = convertUsers(text, 'kinde-ndjson', 'k.ndjson');
    expect(problems.map(brief)).toEqual([
      'JSON_SYNTAX k.ndjson:2:114 line 2 is not valid JSON: expected a key in quotes, found "}"',
      'SCHEMA_INVALID_CHOICE k.ndjson:3:38 "type" of identity 1 of user "k3" ("mail") must be email, phone, username, enterprise or oauth2:<provider>',
      'SCHEMA_WRONG_TYPE k.ndjson:3:83 "is_verified" of item 1 of "identities" of user "k3" must be a boolean (true or false), got string "true"',
      'SCHEMA_WRONG_TYPE k.ndjson:3:110 "organizations" of user "k3" must be a list, got string "acme"',
      'SCHEMA_INVALID_CHOICE k.ndjson:4:173 "hashing_algorithm" of "password" of user "k4" must be one of bcrypt, crypt, md5, sha256, wordpress, pbkdf2, firebase-scrypt, aspnet-identity-v2, got "argon2"',
      'PASSWORD_HASH_FORMAT k.ndjson:5:147 the password of user "k5" is not a bcrypt hash: it has 5 characters after the cost, not 53',
      'PASSWORD_SALT k.ndjson:5:202 the password of user "k5" has a salt, which bcrypt does not take (a bcrypt hash carries its own salt)',
    ]);
    expect(users.map((u) => u.key)).toEqual(['k1']);
  });
});

describe('convertUsers: Auth0', () => {
  it('maps database, social and SMS users, with default_organization; reports each field it leaves out once', () => {
    const { users, problems } = convert('auth0.ndjson', undefined, { defaultOrganization: 'acme' });
    expect(problems.map(brief)).toEqual([
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:1:157 "name" is not imported (in 1 user of this export): Kinde takes display names from given_name and family_name, which are imported`,
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:1:179 "nickname" is not imported (in 2 users of this export): Kinde has no nickname`,
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:1:198 "picture" is not imported (in 2 users of this export): Kinde takes the picture from the provider at sign-in`,
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:1:246 "created_at" is not imported (in 1 user of this export): sign-in history stays with Auth0`,
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:1:286 "updated_at" is not imported (in 1 user of this export): sign-in history stays with Auth0`,
      `USERS_FIELD_IGNORED ${D}/auth0.ndjson:2:321 "logins_count" is not imported (in 2 users of this export): sign-in history stays with Auth0`,
    ]);
    const acme = m([['acme', {}]]);
    expect(users).toEqual([
      {
        key: 'auth0|5f7c8ec7c33c6c004bbafe82',
        id: 'auth0|5f7c8ec7c33c6c004bbafe82',
        firstName: 'Grace',
        lastName: 'Hopper',
        identities: [email('grace@acme.com', true), { type: 'username', value: 'ghopper', verified: false, primary: true }],
        // Auth0 exports bcrypt hashes as $2b$; Kinde stores them as $2a$.
        password: { method: 'bcrypt', hash: '$2a$12$nRwEHKsFZCJ1zGcJ0FNaFwEaDPjzQNlVLWtKGFY90m54skdVdIk9p', temporary: false, version: 1 },
        organizations: acme,
        source: `${D}/auth0.ndjson:1`,
      },
      {
        key: 'google-oauth2|104293847561029384756',
        id: 'google-oauth2|104293847561029384756',
        firstName: 'Linus',
        lastName: 'Torvalds',
        identities: [email('linus@gmail.com', true), { type: 'oauth2:google', value: '104293847561029384756', verified: true, primary: true }],
        organizations: acme,
        source: `${D}/auth0.ndjson:2`,
      },
      { key: 'github|583231', id: 'github|583231', identities: [{ type: 'oauth2:github', value: '583231', verified: true, primary: true }], organizations: acme, source: `${D}/auth0.ndjson:3` },
      {
        key: 'sms|6401b2c3d4e5f6a7b8c9d0e1',
        id: 'sms|6401b2c3d4e5f6a7b8c9d0e1',
        suspended: true,
        identities: [{ type: 'phone', value: '+14155550199', verified: true, primary: true }],
        organizations: acme,
        source: `${D}/auth0.ndjson:4`,
      },
    ]);
  });

  it('refuses users with no organization when no default is given, each at its line', () => {
    const { users, problems } = convert('auth0.ndjson', 'auth0');
    expect(users).toEqual([]);
    expect(problems.filter((d) => d.severity === 'error').map(brief)).toEqual([1, 2, 3, 4].map((n, i) => `USER_NO_ORGANIZATION ${D}/auth0.ndjson:${n}:1 user "${['auth0|5f7c8ec7c33c6c004bbafe82', 'google-oauth2|104293847561029384756', 'github|583231', 'sms|6401b2c3d4e5f6a7b8c9d0e1'][i]}" belongs to no organization`));
    expect(problems.find((d) => d.severity === 'error')!.hint).toBe(
      'Auth0 exports name no organizations, so set default_organization (users_file: { path, default_organization }): every Kinde user is in at least one organization',
    );
  });

  it('reads the password hash export, custom password hashes in base64, and a JSON list', () => {
    const md5b64 = Buffer.from(MD5, 'hex').toString('base64');
    const text = JSON.stringify([
      { _id: { $oid: '60425dc43519d90068f82973' }, email: 'test@test.com', email_verified: false, passwordHash: H1, password_set_date: { $date: '2021-03-05T16:38:28.549Z' }, tenant: 'acme', connection: 'Username-Password-Authentication', _tmp_is_unique: true },
      { user_id: 'auth0|2', email: 'b@b.co', custom_password_hash: { algorithm: 'md5', hash: { value: md5b64, encoding: 'base64' }, salt: { value: 'c2FsdA==', encoding: 'base64', position: 'prefix' } } },
    ], null, 2);
    const { users, problems } = convertUsers(text, undefined, 'users.json', { defaultOrganization: 'acme' });
    expect(problems.map(brief)).toEqual(['USERS_FIELD_IGNORED users.json:9:5 "password_set_date" is not imported (in 1 user of this export): Kinde records when it sets the password']);
    expect(users.map((u) => [u.key, u.identities.map((i) => i.value), u.password])).toEqual([
      ['auth0|60425dc43519d90068f82973', ['test@test.com'], { method: 'bcrypt', hash: H1, temporary: false, version: 1 }],
      ['auth0|2', ['b@b.co'], { method: 'md5', hash: MD5, salt: '73616c74', saltPosition: 'prefix', saltFormat: 'hex', temporary: false, version: 1 }],
    ]);
    expect(users.map((u) => u.source)).toEqual(['users.json:2', 'users.json:16']);
  });

  it.each([
    {
      name: 'a provider with no Kinde equivalent',
      line: { user_id: 'line|1', email: 'a@b.co', identities: [{ provider: 'line', connection: 'line', user_id: '1', isSocial: true }] },
      expected: ['INVALID_IDENTITY a.ndjson:1:64 the Auth0 provider "line" of user "line|1" has no Kinde equivalent'],
    },
    {
      name: 'a hash Kinde cannot take',
      line: { user_id: 'auth0|1', email: 'a@b.co', custom_password_hash: { algorithm: 'sha1', hash: { value: 'abc', encoding: 'hex' } } },
      expected: ['PASSWORD_UNSUPPORTED a.ndjson:1:75 the "sha1" password hash of user "auth0|1" cannot be imported into Kinde'],
    },
    {
      name: 'an SMS user with no phone number',
      line: { user_id: 'sms|1', identities: [{ provider: 'sms', connection: 'sms', user_id: '1' }] },
      expected: ['USER_NO_IDENTITY a.ndjson:1:46 user "sms|1" signs in by SMS, but has no phone_number'],
    },
  ])('$name', ({ line, expected }) => {
    const { problems } = convertUsers(`${JSON.stringify(line)}\n`, 'auth0', 'a.ndjson', { defaultOrganization: 'acme' });
    expect(problems.filter((d) => d.severity === 'error').map(brief)).toEqual(expected);
  });
});

describe('convertUsers: idm NDJSON', () => {
  it('reads users in the field names of users.list', () => {
    const { users, problems } = convert('users.ndjson');
    expect(problems).toEqual([]);
    expect(users).toEqual([
      {
        key: 'u-2001',
        id: 'u-2001',
        firstName: 'Alan',
        lastName: 'Turing',
        identities: [email('alan@acme.com', true), { type: 'username', value: 'alan', verified: false, primary: true }],
        password: { method: 'bcrypt', hash: '$2a$10$3iHNzTpR8zDHmpq94GJg6GFl3ivqA5rTM9FZiOdww9IT3xhP1hzru', temporary: false, version: 2 },
        properties: new Map([['department', 'research']]),
        featureFlags: new Map([['bulk_approvals', false]]),
        organizations: m([['acme', { roles: ['viewer'] }], ['globex', {}]]),
        source: `${D}/users.ndjson:1`,
      },
      { key: 'joan@acme.com', identities: [email('joan@acme.com')], organizations: m([['acme', { permissions: ['read:invoices'] }]]), source: `${D}/users.ndjson:2` },
    ]);
  });

  it('checks each line against the schema of users.list, at the position in the line', () => {
    const text = [
      '{"id": "u-1", "identities": [{"type": "email", "value": "a@b.co", "verifed": true}], "organizations": [{"external_id": "acme"}]}',
      '{"id": "u-2", "identities": [], "organizations": [{"external_id": "acme"}], "password": {"hash_file": "u2.hash"}}',
      '["not", "a", "user"]',
      '',
    ].join('\n');
    const { problems } = convertUsers(text, 'idm', 'u.ndjson');
    expect(problems.map(brief)).toEqual([
      'SCHEMA_UNKNOWN_FIELD u.ndjson:1:67 unknown field "verifed" in item 1 of "identities" of user "u-1"',
      'SCHEMA_EMPTY_VALUE u.ndjson:2:29 "identities" of user "u-2" must not be empty',
      'PASSWORD_HASH_FILE u.ndjson:2:103 the password of user "u-2" names a hash_file, which is read only in the config, not in a users file',
      'SCHEMA_WRONG_TYPE u.ndjson:3:1 each line of an idm users file must be a JSON object (one user), got a list',
    ]);
    expect(problems.map((d) => d.hint)).toEqual([
      'did you mean "verified"?',
      'list at least one identity, e.g. [{ type: email, value: ada@acme.com }]',
      'write the hash itself in the users file, as "hash"',
      'write one user per line, e.g. {"id": "u-1", "identities": [...], "organizations": [...]}',
    ]);
  });

  it('reports two users with one key, and one email on two users, across lines', () => {
    const line = (id: string, address: string): string => JSON.stringify({ id, identities: [{ type: 'email', value: address }], organizations: [{ external_id: 'acme' }] });
    const { problems } = convertUsers([line('u-1', 'a@b.co'), line('u-1', 'c@b.co'), line('u-2', 'A@b.co'), ''].join('\n'), 'idm', 'u.ndjson');
    expect(problems.map(brief)).toEqual([
      'DUPLICATE_USER u.ndjson:2:7 duplicate user "u-1": a user with this id is already declared at line 1',
      'DUPLICATE_IDENTITY u.ndjson:3:51 email "a@b.co" of user "u-2" is already an identity of user "u-1" (line 1)',
    ]);
  });
});

describe('usersToNdjson and usersToYaml', () => {
  // With the flag types, Kinde's text flag values ("true") are converted to them, as a config would read them.
  const all = (): UserSpec[] => [...convert('kinde.csv').users, ...convert('kinde.ndjson', undefined, { flagTypes: { bulk_approvals: 'bool' } }).users, ...convert('users.ndjson').users];
  const withoutSource = (users: readonly UserSpec[]) => users.map(({ source: _source, ...u }) => u);

  it('writes idm NDJSON that reads back as the same users, hashes included', () => {
    const users = all();
    const text = usersToNdjson(users);
    expect(text.split('\n')).toHaveLength(users.length + 1);
    expect(text).toContain(H1);
    const back = convertUsers(text, 'idm', 'out.ndjson');
    expect(back.problems).toEqual([]);
    expect(withoutSource(back.users)).toEqual(withoutSource(users));
  });

  it('writes a users: section that a config reads back as the same users, with ${ escaped', () => {
    const users = [...all(), { key: 'odd', id: 'odd', firstName: 'Cost ${x}', identities: [email('odd@acme.com')], organizations: m([['acme', {}]]) }];
    const yaml = usersToYaml(users);
    expect(yaml).toContain('first_name: Cost $${x}');
    expect(yaml.split('\n').slice(0, 3)).toEqual([
      '# Password hashes are secrets: keep this file out of version control, or move each hash to an environment',
      '# variable (hash: "${env:NAME}") or a file (hash_file: path). idm warns about hashes written in a config.',
      'users:',
    ]);
    const config = [
      'version: 1',
      'permissions: [{ key: read:invoices, name: R }, { key: write:invoices, name: W }]',
      'roles: [{ key: billing-admin, name: B }, { key: viewer, name: V }]',
      'feature_flags: [{ key: bulk_approvals, name: B, type: bool, default: false, override_level: usr }]',
      'organizations: [{ external_id: acme, name: A }, { external_id: globex, name: G }, { external_id: initech, name: I }]',
      yaml,
    ].join('\n');
    const loaded = parseConfig(config, 'idm.yaml', {});
    expect(loaded.warnings.every((w) => w.code === 'PASSWORD_LITERAL')).toBe(true);
    expect(withoutSource([...loaded.desired.users.values()])).toEqual(withoutSource(users));
    expect(users.find((u) => u.key === 'kinde-001')!.featureFlags).toEqual(new Map([['bulk_approvals', true]]));
  });

  it('writes the YAML of the docs: one line per identity and membership', () => {
    const yaml = usersToYaml(convertUsers('email,first_name,external_organization_id,role_key\nada@acme.com,Ada,acme,viewer\n', 'kinde-csv', 'u.csv').users);
    expect(yaml).toBe(
      ['users:', '  mode: seed', '  list:', '    - first_name: Ada', '      identities:', '        - { type: email, value: ada@acme.com }', '      organizations:', '        - { external_id: acme, roles: [ viewer ] }', ''].join('\n'),
    );
  });
});

/** The problems of a config that must fail to load. */
async function loadFailure(file: string, env: Record<string, string> = {}): Promise<Diagnostic[]> {
  try {
    await loadConfig(file, env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.diagnostics];
    throw e;
  }
  throw new Error(`expected ${file} to fail to load`);
}

describe('loadConfig with users_file', () => {
  it('reads users from the config and from a Kinde CSV beside it, checked against what the config declares', async () => {
    const config = await loadConfig(`${D}/idm.yaml`, { ADA_HASH: H1 });
    expect(config.warnings).toEqual([]);
    expect([...config.desired.users.keys()]).toEqual(['u-1001', '0001', '0002', 'ada@acme.com']);
    expect(config.desired.users.get('u-1001')!.source).toBe(`${D}/idm.yaml:15:7`);
    expect(config.desired.users.get('0002')!.source).toBe(`${D}/kinde.csv:4`);
    expect(config.desired.organizations.get('acme')!.properties).toEqual(new Map([['industry', 'finance']]));
  });

  it('fails on every invalid user of the file, each at its line', async () => {
    const found = await loadFailure(`${D}/bad.yaml`);
    expect(found.map(brief)).toEqual([
      `PASSWORD_HASH_FORMAT ${D}/kinde-bad.csv:3:41 the password of user "2" is not a bcrypt hash: it has 8 characters after the cost, not 53`,
      `PASSWORD_SALT ${D}/kinde-bad.csv:4:111 the password of user "3" has a salt, which bcrypt does not take (a bcrypt hash carries its own salt)`,
      `CSV_INJECTION ${D}/kinde-bad.csv:5:17 the first_name cell on line 5 ("=HYPERLINK(\\"http://evil.example\\")") starts with "=", which spreadsheets run as a formula`,
      `INVALID_EMAIL ${D}/kinde-bad.csv:6:1 email "bad-email.acme.com" of user "5" is not a valid email address: it has no @`,
      `USER_CONFLICT ${D}/kinde-bad.csv:8:17 first_name of user "6" on line 8 ("Jenny", not "Jen") differs from line 7`,
    ]);
  });

  it('with skipInvalid, leaves the invalid users out and reports each problem as a warning, with a summary', async () => {
    const config = await loadConfig(`${D}/bad.yaml`, {}, { skipInvalid: true });
    expect([...config.desired.users.keys()]).toEqual(['1']);
    expect(config.warnings.map((w) => `${w.severity} ${brief(w)}`)).toEqual([
      `warning USERS_SKIPPED ${D}/bad.yaml:7:13 skipped 5 invalid users of ${D}/kinde-bad.csv (lines 3, 4, 5, 6, 7, 8); each problem is reported at its line`,
      `warning PASSWORD_HASH_FORMAT ${D}/kinde-bad.csv:3:41 the password of user "2" is not a bcrypt hash: it has 8 characters after the cost, not 53`,
      `warning PASSWORD_SALT ${D}/kinde-bad.csv:4:111 the password of user "3" has a salt, which bcrypt does not take (a bcrypt hash carries its own salt)`,
      `warning CSV_INJECTION ${D}/kinde-bad.csv:5:17 the first_name cell on line 5 ("=HYPERLINK(\\"http://evil.example\\")") starts with "=", which spreadsheets run as a formula`,
      `warning INVALID_EMAIL ${D}/kinde-bad.csv:6:1 email "bad-email.acme.com" of user "5" is not a valid email address: it has no @`,
      `warning USER_CONFLICT ${D}/kinde-bad.csv:8:17 first_name of user "6" on line 8 ("Jenny", not "Jen") differs from line 7`,
    ]);
  });

  it('still fails with skipInvalid on invalid users of the config itself, and on a file that cannot be read', () => {
    const text = `version: 1\norganizations: [{ external_id: acme, name: A }]\nusers:\n  list:\n    - { identities: [{ type: email, value: nope }], organizations: [{ external_id: acme }] }\nusers_file: ${D}/kinde.csv\n`;
    let caught: unknown;
    try {
      parseConfig(text, 'idm.yaml', {}, { skipInvalid: true });
    } catch (e) {
      caught = e;
    }
    expect((caught as ConfigError).diagnostics.filter((d) => d.severity === 'error').map(brief)).toEqual([
      'INVALID_EMAIL idm.yaml:5:44 email "nope" of user #1 is not a valid email address: it has no @',
    ]);
    const csv = `version: 1\nusers_file: broken.csv\n`;
    expect(() => parseConfig(csv, 'idm.yaml', {}, { skipInvalid: true, readFile: () => 'email,roles\na@b.co,"x\n' })).toThrow(/a quoted cell is never closed/);
  });

  it('checks the references of file users against the config, at the item inside a quoted list', () => {
    const text = 'version: 1\nroles: [{ key: viewer, name: V }]\norganizations: [{ external_id: acme, name: A }]\nusers_file: u.csv\n';
    const csv = 'email,role_key,external_organization_id\na@b.co,"viewer, billing-admin",acme\n';
    let caught: unknown;
    try {
      parseConfig(text, 'idm.yaml', {}, { readFile: () => csv });
    } catch (e) {
      caught = e;
    }
    expect((caught as ConfigError).diagnostics.map(brief)).toEqual(['UNKNOWN_ROLE u.csv:2:17 user "a@b.co" is given unknown role "billing-admin" in organization "acme"']);
  });

  it('reads Kinde flag values (text) as the flag\'s type, and refuses them for flags users may not override', () => {
    const config = (level: string) =>
      `version: 1\npermissions: [{ key: read:invoices, name: R }]\nroles: [{ key: billing-admin, name: B }, { key: viewer, name: V }]\nfeature_flags: [{ key: bulk_approvals, name: B, type: bool, default: false, override_level: ${level} }]\norganizations: [{ external_id: acme, name: A }, { external_id: globex, name: G }]\nusers_file: kinde.ndjson\n`;
    const loaded = parseConfig(config('usr'), `${D}/k.yaml`, {});
    expect(loaded.desired.users.get('kinde-001')!.featureFlags).toEqual(new Map([['bulk_approvals', true]]));
    let caught: unknown;
    try {
      parseConfig(config('org'), `${D}/k.yaml`, {});
    } catch (e) {
      caught = e;
    }
    expect((caught as ConfigError).diagnostics.filter((d) => d.severity === 'error').map(brief)).toEqual([
      `FEATURE_FLAG_OVERRIDE_LEVEL ${D}/kinde.ndjson:1:592 user "kinde-001" overrides feature flag "bulk_approvals", which users may not override (override_level: org; the flag is declared at ${D}/k.yaml:4)`,
    ]);
  });

  it('reports a user of the file that repeats one of the config, pointing back at the config', () => {
    const text = 'version: 1\norganizations: [{ external_id: acme, name: A }]\nusers:\n  list:\n    - { id: "1", identities: [{ type: email, value: x@b.co }], organizations: [{ external_id: acme }] }\nusers_file: u.csv\n';
    let caught: unknown;
    try {
      parseConfig(text, 'idm.yaml', {}, { readFile: () => 'id,email,external_organization_id\n1,a@b.co,acme\n' });
    } catch (e) {
      caught = e;
    }
    expect((caught as ConfigError).diagnostics.map(brief)).toEqual(['DUPLICATE_USER u.csv:2:1 duplicate user "1": a user with this id is already declared at idm.yaml:5']);
    expect(formatLocation((caught as ConfigError).diagnostics[0]!.location)).toBe('u.csv:2:1');
  });
});
