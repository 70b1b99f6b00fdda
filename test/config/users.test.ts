/**
 * Users in the config (`users:`, `users_file:`) and organization property values: the Desired model they build,
 * and every rule, each with its exact location, message and hint. Secrets (hashes, values from ${env:...}) never
 * appear in a message.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { UserSpec } from '../../src/model/desired.js';
import { brief, expectRejected, type BadCase } from './_helpers.js';

/** A bcrypt hash of the right form (60 characters), as `$2b$` and as Kinde stores it (`$2a$`). */
const HASH_2B = '$2b$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const HASH_2A = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';

/**
 * A config with one permission, role, two flags (usr and org) and an organization, then `lines` under
 * `users: { list: ... }` from line 13 on, each user written at indentation 4.
 */
const prelude = [
  'version: 1',
  'permissions:',
  '  - { key: read:invoices, name: Read invoices }',
  'roles:',
  '  - { key: billing-admin, name: Billing admin }',
  'feature_flags:',
  '  - { key: bulk_approvals, name: Bulk approvals, type: bool, default: false, override_level: usr }',
  '  - { key: theme, name: Theme, type: str, default: classic, override_level: org }',
  'organizations:',
  '  - { external_id: acme, name: Acme }',
  'users:',
  '  list:',
];
const users = (...lines: string[]): string => [...prelude, ...lines, ''].join('\n');
/** The same, with `users.mode` on line 12 (the list then starts on line 14). */
const usersIn = (mode: string, ...lines: string[]): string => [...prelude.slice(0, -1), `  mode: ${mode}`, '  list:', ...lines, ''].join('\n');
/** One user on one line (line 13), with an email identity and a membership of acme unless given. */
const user = (fields: string): string => users(`    - { ${fields} }`);
const ada = 'identities: [{ type: email, value: ada@acme.com }], organizations: [{ external_id: acme }]';

describe('parseConfig: users', () => {
  it('builds seed users: keys, normalised identities, the first of each type primary, $2b$ read as $2a$, memberships', () => {
    const config = parseConfig(
      usersIn(
        'managed',
        '    - id: u-1001',
        '      first_name: Ada',
        '      last_name: Lovelace',
        '      suspended: false',
        '      identities:',
        '        - { type: email, value: Ada@Acme.com, verified: true }',
        '        - { type: email, value: ada.lovelace@acme.com, primary: true }',
        '        - { type: username, value: AdaL }',
        '        - { type: phone, value: "+61455511555", verified: true }',
        '        - { type: oauth2:google, value: "104293847561029384756", connection_id: conn_0123 }',
        '      password: { method: bcrypt, hash: "${env:ADA_HASH}", temporary: true, version: 2 }',
        '      properties: { department: engineering }',
        '      feature_flags: { bulk_approvals: true }',
        '      organizations:',
        '        - { external_id: acme, roles: [billing-admin], permissions: [read:invoices] }',
        '    - { identities: [{ type: email, value: Grace@Acme.com }], organizations: [{ external_id: acme }] }',
        'prune: { users: true }',
      ),
      'idm.yaml',
      { ADA_HASH: HASH_2B },
    );
    expect(config.warnings).toEqual([]);
    const expected: UserSpec[] = [
      {
        key: 'u-1001',
        id: 'u-1001',
        firstName: 'Ada',
        lastName: 'Lovelace',
        suspended: false,
        identities: [
          { type: 'email', value: 'ada@acme.com', verified: true, primary: false },
          { type: 'email', value: 'ada.lovelace@acme.com', verified: false, primary: true },
          { type: 'username', value: 'adal', verified: false, primary: true },
          { type: 'phone', value: '+61455511555', verified: true, primary: true },
          { type: 'oauth2:google', value: '104293847561029384756', verified: false, primary: true, connectionId: 'conn_0123' },
        ],
        password: { method: 'bcrypt', hash: HASH_2A, temporary: true, version: 2 },
        properties: new Map([['department', 'engineering']]),
        featureFlags: new Map([['bulk_approvals', true]]),
        organizations: new Map([['acme', { roles: new Set(['billing-admin']), permissions: new Set(['read:invoices']) }]]),
        source: 'idm.yaml:14:7',
      },
      {
        key: 'grace@acme.com',
        identities: [{ type: 'email', value: 'grace@acme.com', verified: false, primary: true }],
        organizations: new Map([['acme', { roles: new Set(), permissions: new Set() }]]),
        source: 'idm.yaml:29:7',
      },
    ];
    expect([...config.desired.users.values()]).toEqual(expected);
    expect([...config.desired.users.keys()]).toEqual(['u-1001', 'grace@acme.com']);
    expect(config.desired.usersMode).toBe('managed');
    expect(config.desired.prune.users).toBe(true);
  });

  it('leaves what a user leaves out absent, and defaults to seed mode with no users', () => {
    const { desired } = parseConfig(user(ada), 'idm.yaml', {});
    const u = desired.users.get('ada@acme.com')!;
    for (const field of ['id', 'firstName', 'lastName', 'suspended', 'password', 'properties', 'featureFlags']) expect(field in u, field).toBe(false);
    expect(desired.usersMode).toBe('seed');
    expect(parseConfig('version: 1\n', 'idm.yaml', {}).desired.users).toEqual(new Map());
  });

  it('reads organization property values as text', () => {
    const { desired } = parseConfig('version: 1\norganizations:\n  - { external_id: acme, name: Acme, properties: { industry: finance, size: "500" } }\n', 'idm.yaml', {});
    expect(desired.organizations.get('acme')!.properties).toEqual(new Map([['industry', 'finance'], ['size', '500']]));
  });

  it('reads a hash from hash_file, relative to the config, trimmed of its line break', () => {
    const read: string[] = [];
    const config = parseConfig(user(`${ada}, password: { hash_file: secrets/ada.hash }`), 'config/idm.yaml', {}, {
      readFile: (path) => {
        read.push(path);
        return `${HASH_2A}\n`;
      },
    });
    expect(read).toEqual(['config/secrets/ada.hash']);
    expect(config.desired.users.get('ada@acme.com')!.password).toEqual({ method: 'bcrypt', hash: HASH_2A, temporary: false, version: 1 });
    expect(config.warnings).toEqual([]);
  });

  it('warns about a hash written in the config, and loads it', () => {
    const config = parseConfig(user(`${ada}, password: { method: bcrypt, hash: "${HASH_2A}" }`), 'idm.yaml', {});
    expect(config.warnings.map(brief)).toEqual([
      'PASSWORD_LITERAL idm.yaml:13:135 the password of user "ada@acme.com" has its hash written in the config; secrets belong in env vars or files',
    ]);
    expect(config.warnings[0]!.hint).toBe(
      'write hash: "${env:NAME}" and set NAME in the environment (your CI\'s secrets), or hash_file: a path to a file kept out of version control',
    );
    expect(config.desired.users.get('ada@acme.com')!.password?.hash).toBe(HASH_2A);
  });

  it('takes every hashing method with the parameters it needs', () => {
    const password = (p: string): string => `    - { ${ada.replace('ada@', `${p.split(',')[0]!.replace(/\W/g, '')}@`)}, password: { ${p} } }`;
    const config = parseConfig(
      users(
        password('method: md5, hash: 62b2648f052d6599bdc84863d712a2d6, salt: pepper, salt_position: prefix'),
        password('method: sha256, hash: 8e1624e6830080db6318e140b76323c3a79f2ccb6eb9066c126b2c72109d9059, salt: "706570706572", salt_position: suffix, salt_format: hex'),
        password('method: crypt, hash: "$6$rounds=5000$salt$hash"'),
        password('method: wordpress, hash: "$P$BxKLQs8M0rBl9ypmXWTnKbOMhDmv/w."'),
        password('method: pbkdf2, hash: "ZGVyaXZlZGtleQ==", salt: "c2FsdA==", variant: salted-pbkdf2-hmac-sha256, iterations: 24000'),
        password('method: firebase-scrypt, hash: "aGFzaA==", salt: "c2FsdA==", signer_key: "a2V5", salt_separator: "Bw==", rounds: 8, mem_cost: 14'),
        password('method: aspnet-identity-v2, hash: "AQAAAAEAACcQAAAAEB=="'),
      ),
      'idm.yaml',
      {},
    );
    expect([...config.desired.users.values()].map((u) => u.password)).toEqual([
      { method: 'md5', hash: '62b2648f052d6599bdc84863d712a2d6', salt: 'pepper', saltPosition: 'prefix', temporary: false, version: 1 },
      { method: 'sha256', hash: '8e1624e6830080db6318e140b76323c3a79f2ccb6eb9066c126b2c72109d9059', salt: '706570706572', saltPosition: 'suffix', saltFormat: 'hex', temporary: false, version: 1 },
      { method: 'crypt', hash: '$6$rounds=5000$salt$hash', temporary: false, version: 1 },
      { method: 'wordpress', hash: '$P$BxKLQs8M0rBl9ypmXWTnKbOMhDmv/w.', temporary: false, version: 1 },
      { method: 'pbkdf2', hash: 'ZGVyaXZlZGtleQ==', salt: 'c2FsdA==', variant: 'salted-pbkdf2-hmac-sha256', iterations: 24000, temporary: false, version: 1 },
      { method: 'firebase-scrypt', hash: 'aGFzaA==', salt: 'c2FsdA==', signerKey: 'a2V5', saltSeparator: 'Bw==', rounds: 8, memCost: 14, temporary: false, version: 1 },
      { method: 'aspnet-identity-v2', hash: 'AQAAAAEAACcQAAAAEB==', temporary: false, version: 1 },
    ]);
    // Every one written out: a warning each, none quoting the hash.
    expect(config.warnings.map((w) => w.code)).toEqual(Array(7).fill('PASSWORD_LITERAL'));
  });

  it('warns that prune.users does nothing in seed mode, and that in managed mode with no users it deletes them all', () => {
    expect(parseConfig('version: 1\nprune: { users: true }\n', 'idm.yaml', {}).warnings.map(brief)).toEqual([
      'PRUNE_USERS idm.yaml:2:17 prune.users does nothing in seed mode: seed mode never deletes users',
    ]);
    expect(parseConfig('version: 1\nusers: { mode: managed }\nprune: { users: true }\n', 'idm.yaml', {}).warnings.map(brief)).toEqual([
      'PRUNE_USERS idm.yaml:3:17 prune.users in managed mode with no users listed: the plan deletes every user of the tenant',
    ]);
  });
});

const badCases: readonly BadCase[] = [
  {
    name: 'users written as a list instead of { mode, list }',
    text: 'version: 1\nusers:\n  - { identities: [{ type: email, value: a@b.co }] }\n',
    expected: ['SCHEMA_WRONG_TYPE idm.yaml:3:3 "users" must be a mapping, got a list'],
    hints: ['put the list under list:, as in users: { mode: seed, list: [...] } (mode is seed or managed; seed is the default)'],
  },
  {
    name: 'an unknown mode, and fields the user format does not have',
    text: usersIn('manage', '    - { identities: [{ type: email, value: a@b.co, verfied: true }], organizations: [{ external_id: acme }], email: a@b.co }'),
    expected: [
      'SCHEMA_INVALID_CHOICE idm.yaml:12:9 "mode" of "users" must be one of seed, managed, got string "manage"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:14:52 unknown field "verfied" in item 1 of "identities" of user "a@b.co"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:14:110 unknown field "email" in user "a@b.co"',
    ],
    hints: ['did you mean "managed"?', 'did you mean "verified"?', 'the fields allowed here are: id, first_name, last_name, suspended, identities, password, properties, feature_flags, organizations'],
  },
  {
    name: 'no identity, and no organization',
    text: users('    - { id: u-1, identities: [], organizations: [] }', '    - { id: u-2 }'),
    expected: [
      'SCHEMA_EMPTY_VALUE idm.yaml:13:30 "identities" of user "u-1" must not be empty',
      'SCHEMA_EMPTY_VALUE idm.yaml:13:49 "organizations" of user "u-1" must not be empty',
      'SCHEMA_MISSING_FIELD idm.yaml:14:7 user "u-2" is missing required field "identities"',
      'SCHEMA_MISSING_FIELD idm.yaml:14:7 user "u-2" is missing required field "organizations"',
    ],
    hints: [
      'list at least one identity, e.g. [{ type: email, value: ada@acme.com }]',
      'list the organizations the user belongs to, e.g. [{ external_id: acme }]: every Kinde user is in at least one',
      'add "identities: ..." (how the user signs in, at least one, e.g. [{ type: email, value: ada@acme.com, verified: true }]. The first of each type is primary unless another is marked primary)',
      'add "organizations: ..." (the organizations the user belongs to, at least one, with the roles and permissions granted there, e.g. [{ external_id: acme, roles: [billing-admin] }])',
    ],
  },
  {
    name: 'an organization, a role and a permission that are not declared',
    text: user('id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acmee, roles: [billing-admn], permissions: [delete:everything] }, { external_id: initech }]'),
    expected: [
      'UNKNOWN_ORGANIZATION idm.yaml:13:95 user "u-1" is a member of unknown organization "acmee"',
      'UNKNOWN_ROLE idm.yaml:13:110 user "u-1" is given unknown role "billing-admn" in organization "acmee"',
      'UNKNOWN_PERMISSION idm.yaml:13:139 user "u-1" is given unknown permission "delete:everything" in organization "acmee"',
      'UNKNOWN_ORGANIZATION idm.yaml:13:176 user "u-1" is a member of unknown organization "initech"',
    ],
    hints: [
      'did you mean "acme"? If not, declare it under organizations:',
      'did you mean "billing-admin"? If not, declare it under roles:',
      'declare it under permissions:, e.g. - { key: delete:everything, name: ... }',
      'declare it under organizations:, e.g. - { external_id: initech, name: ... }',
    ],
  },
  {
    name: 'the same organization twice in one user',
    text: user('id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acme }, { external_id: acme, roles: [billing-admin] }]'),
    expected: ['DUPLICATE_MEMBERSHIP idm.yaml:13:118 user "u-1" lists organization "acme" twice; the first is at line 13'],
    hints: ['merge the two: list the roles and permissions of an organization once'],
  },
  {
    name: 'emails, phone numbers and usernames that are not valid',
    text: users(
      '    - id: u-1',
      '      organizations: [{ external_id: acme }]',
      '      identities:',
      '        - { type: email, value: ada.acme.com }',
      '        - { type: email, value: "Ada Lovelace <ada@acme.com>" }',
      '        - { type: email, value: "ada@acme" }',
      '        - { type: phone, value: "+61 455 511 555" }',
      '        - { type: phone, value: "0455511555" }',
      '        - { type: phone, value: "0061455511555" }',
      '        - { type: username, value: " ada " }',
    ),
    expected: [
      'INVALID_EMAIL idm.yaml:16:33 email "ada.acme.com" of user "u-1" is not a valid email address: it has no @',
      'INVALID_EMAIL idm.yaml:17:33 email "Ada Lovelace <ada@acme.com>" of user "u-1" is not a valid email address: it holds a display name',
      'INVALID_EMAIL idm.yaml:18:33 email "ada@acme" of user "u-1" is not a valid email address: the part after the @ is not a domain name',
      'INVALID_PHONE idm.yaml:19:33 phone "+61 455 511 555" of user "u-1" is not a phone number in E.164 form: it has spaces or punctuation',
      'INVALID_PHONE idm.yaml:20:33 phone "0455511555" of user "u-1" is not a phone number in E.164 form: it is a national number',
      'INVALID_PHONE idm.yaml:21:33 phone "0061455511555" of user "u-1" is not a phone number in E.164 form: it starts with 00',
      'INVALID_USERNAME idm.yaml:22:36 username " ada " of user "u-1" contains whitespace or a control character',
    ],
    hints: [
      'write a whole address, e.g. "ada@acme.com"',
      'write the address only: "ada@acme.com"',
      'check the domain for typos: it is letters, digits and hyphens in parts joined by dots, e.g. acme.com',
      'write it without spaces or punctuation: "+61455511555"',
      'replace the leading 0 with + and the country code, e.g. "+61455511555" (+, the country code, then the number without its leading 0)',
      'write the international prefix as +: "+61455511555"',
      'remove the surrounding spaces: "ada"',
    ],
  },
  {
    name: 'identity types that are not email, phone, username, enterprise or oauth2:<provider>',
    text: user('id: u-1, identities: [{ type: google, value: "123" }, { type: Email, value: a@b.co }, { type: sso, value: x }], organizations: [{ external_id: acme }]'),
    expected: [
      'SCHEMA_INVALID_CHOICE idm.yaml:13:39 "type" of item 1 of "identities" of user "u-1" ("google") must be email, phone, username, enterprise or oauth2:<provider>',
      'SCHEMA_INVALID_CHOICE idm.yaml:13:71 "type" of item 2 of "identities" of user "u-1" ("Email") must be email, phone, username, enterprise or oauth2:<provider>',
      'SCHEMA_INVALID_CHOICE idm.yaml:13:103 "type" of item 3 of "identities" of user "u-1" ("sso") must be email, phone, username, enterprise or oauth2:<provider>',
    ],
    hints: ['did you mean "oauth2:google"?', 'did you mean "email"?', 'did you mean "enterprise"?'],
  },
  {
    name: 'two primary identities of one type, and one identity twice (emails compared without case)',
    text: users(
      '    - id: u-1',
      '      organizations: [{ external_id: acme }]',
      '      identities:',
      '        - { type: email, value: ada@acme.com, primary: true }',
      '        - { type: email, value: ada.l@acme.com, primary: true }',
      '        - { type: email, value: ADA@acme.com }',
    ),
    expected: [
      'MULTIPLE_PRIMARY_IDENTITIES idm.yaml:17:49 user "u-1" has more than one primary email identity; the first is at line 16',
      'DUPLICATE_IDENTITY idm.yaml:18:33 user "u-1" lists email "ADA@acme.com" twice; the first is at line 16',
    ],
    hints: [
      'a user has at most one primary identity of each type: remove primary: true from all but one',
      'remove the repeat (emails are compared without regard to case)',
    ],
  },
  {
    name: 'an enterprise identity beside another, and a connection_id on an email',
    text: user('id: u-1, identities: [{ type: email, value: a@b.co, connection_id: conn_1 }, { type: enterprise, value: a@b.co }], organizations: [{ external_id: acme }]'),
    expected: [
      'INVALID_IDENTITY idm.yaml:13:76 an email identity of user "u-1" has a connection_id, which only enterprise and oauth2 identities have',
      'ENTERPRISE_IDENTITY_NOT_ALONE idm.yaml:13:94 user "u-1" has an enterprise identity and 1 other identity; Kinde does not allow an enterprise identity beside others',
    ],
    hints: ['remove connection_id', 'keep only the enterprise identity (its email comes from the identity provider), or remove it'],
  },
  {
    name: 'two users with one key (an id; a primary email), one email on two users, and a user with neither id nor email',
    text: users(
      '    - { id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acme }] }',
      '    - { id: u-1, identities: [{ type: email, value: c@d.co }], organizations: [{ external_id: acme }] }',
      '    - { identities: [{ type: email, value: E@f.co }], organizations: [{ external_id: acme }] }',
      '    - { identities: [{ type: email, value: e@F.co }], organizations: [{ external_id: acme }] }',
      '    - { id: u-2, identities: [{ type: email, value: A@b.co }], organizations: [{ external_id: acme }] }',
      '    - { identities: [{ type: username, value: grace }], organizations: [{ external_id: acme }] }',
    ),
    expected: [
      'DUPLICATE_USER idm.yaml:14:13 duplicate user "u-1": a user with this id is already declared at line 13',
      'DUPLICATE_USER idm.yaml:16:44 duplicate user "e@f.co": a user with this primary email is already declared at line 15',
      'DUPLICATE_IDENTITY idm.yaml:17:53 email "a@b.co" of user "u-2" is already an identity of user "u-1" (line 13)',
      'USER_NO_KEY idm.yaml:18:7 user #6 has neither an id nor an email identity, so idm cannot tell whether it already exists',
    ],
    hints: [
      'an id identifies one user: remove one of the two, or give this one another id',
      'a user without an id is identified by its primary email: remove one of the two, or give each an id',
      'Kinde gives each email to one user only: remove it from one of them',
      "add an id (your stable identifier for the user, Kinde's provided_id) or an email identity: idm matches users on them",
    ],
  },
  {
    name: 'flag values: a flag users may not override, an unknown flag, a value of the wrong type',
    text: user(`${ada}, feature_flags: { theme: dark, bulk_aprovals: true, bulk_approvals: "yes" }`),
    expected: [
      'FEATURE_FLAG_OVERRIDE_LEVEL idm.yaml:13:118 user "ada@acme.com" overrides feature flag "theme", which users may not override (override_level: org; the flag is declared at line 8)',
      'UNKNOWN_FEATURE_FLAG idm.yaml:13:131 user "ada@acme.com" sets unknown feature flag "bulk_aprovals"',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:13:168 feature flag "bulk_approvals" has type bool (declared at line 7), so its value for user "ada@acme.com" must be a boolean, got string "yes"',
    ],
    hints: [
      'to let users set it, write override_level: usr on the flag; or remove this value',
      'did you mean "bulk_approvals"? If not, declare the flag under feature_flags:',
      'write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)',
    ],
  },
  {
    name: 'property values that are not text, for users and organizations',
    text: user(`${ada}, properties: { employee_no: 42 }`).replace('name: Acme }', 'name: Acme, properties: { founded: 1999 } }'),
    expected: [
      'SCHEMA_WRONG_TYPE idm.yaml:10:61 "founded" of "properties" of organization "acme" must be a string, got number 1999',
      'SCHEMA_WRONG_TYPE idm.yaml:13:128 "employee_no" of "properties" of user "ada@acme.com" must be a string, got number 42',
    ],
    hints: ['put the value in quotes to make it text: "1999"', 'put the value in quotes to make it text: "42"'],
  },
  {
    name: 'a bcrypt hash from the environment that is cut short; the value is never shown',
    text: user(`${ada}, password: { method: bcrypt, hash: "\${env:ADA_HASH}" }`),
    env: { ADA_HASH: '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8' },
    expected: ['PASSWORD_HASH_FORMAT idm.yaml:13:135 the password of user "ada@acme.com" (from ${env:ADA_HASH}) is not a bcrypt hash: it has 51 characters after the cost, not 53'],
    hints: [
      'a bcrypt hash is 60 characters: $2a$ (or $2b$, $2y$), a two-digit cost and $, then 53 characters of ./A-Za-z0-9; in a shell, put a bcrypt hash in single quotes, or its $ signs are expanded',
    ],
  },
  {
    name: 'hashes of the wrong form for their method, and a method guessed from the hash',
    text: users(
      '    - id: u-1',
      '      organizations: [{ external_id: acme }]',
      '      identities: [{ type: email, value: a@b.co }]',
      '      password: { hash: "${env:MD5_HASH}" }',
      '    - id: u-2',
      '      organizations: [{ external_id: acme }]',
      '      identities: [{ type: email, value: c@b.co }]',
      '      password: { method: sha256, hash: "${env:SHORT}" }',
      '    - id: u-3',
      '      organizations: [{ external_id: acme }]',
      '      identities: [{ type: email, value: d@b.co }]',
      '      password: { method: bcrypt, hash: "${env:NOT_BCRYPT}" }',
    ),
    env: { MD5_HASH: '62b2648f052d6599bdc84863d712a2d6', SHORT: 'abc123', NOT_BCRYPT: 'plaintext-password' },
    expected: [
      'PASSWORD_HASH_FORMAT idm.yaml:16:25 the password of user "u-1" (from ${env:MD5_HASH}) is not a bcrypt hash: it does not start with $2a$, $2b$, $2x$ or $2y$',
      'PASSWORD_HASH_FORMAT idm.yaml:20:41 the password of user "u-2" (from ${env:SHORT}) is not a sha256 hash: it is 6 hex digits long, not 64',
      'PASSWORD_HASH_FORMAT idm.yaml:24:41 the password of user "u-3" (from ${env:NOT_BCRYPT}) is not a bcrypt hash: it does not start with $2a$, $2b$, $2x$ or $2y$',
    ],
    hints: [
      'it looks like an md5 hash: write method: md5; in a shell, put a bcrypt hash in single quotes, or its $ signs are expanded',
      'a sha256 hash is 64 hex digits',
      'a bcrypt hash is 60 characters: $2a$ (or $2b$, $2y$), a two-digit cost and $, then 53 characters of ./A-Za-z0-9; in a shell, put a bcrypt hash in single quotes, or its $ signs are expanded',
    ],
  },
  {
    name: 'salts where the method takes none, salts without a position, salt formats',
    text: users(
      '    - { id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acme }], password: { hash: "${env:H1}", salt: abc } }',
      '    - { id: u-2, identities: [{ type: email, value: b@b.co }], organizations: [{ external_id: acme }], password: { method: md5, hash: "${env:H2}", salt: abc } }',
      '    - { id: u-3, identities: [{ type: email, value: c@b.co }], organizations: [{ external_id: acme }], password: { method: sha256, hash: "${env:H3}", salt_position: prefix } }',
      '    - { id: u-4, identities: [{ type: email, value: d@b.co }], organizations: [{ external_id: acme }], password: { method: crypt, hash: "${env:H4}", salt: abc, salt_position: suffix } }',
      '    - { id: u-5, identities: [{ type: email, value: e@b.co }], organizations: [{ external_id: acme }], password: { method: md5, hash: "${env:H2}", salt: xyz, salt_position: suffix, salt_format: hex } }',
      '    - { id: u-6, identities: [{ type: email, value: f@b.co }], organizations: [{ external_id: acme }], password: { method: aspnet-identity-v2, hash: "${env:H5}", salt: c2FsdA== } }',
    ),
    env: { H1: HASH_2A, H2: '62b2648f052d6599bdc84863d712a2d6', H3: '8e1624e6830080db6318e140b76323c3a79f2ccb6eb9066c126b2c72109d9059', H4: '$6$salt$hash', H5: 'AQAAAAEAACcQ' },
    expected: [
      'PASSWORD_SALT idm.yaml:13:141 the password of user "u-1" has a salt, which bcrypt does not take (a bcrypt hash carries its own salt)',
      'PASSWORD_SALT idm.yaml:14:154 the password of user "u-2" has a salt but no salt_position, which a salted md5 hash needs',
      'PASSWORD_SALT idm.yaml:15:166 the password of user "u-3" has a salt_position but no salt',
      'PASSWORD_SALT idm.yaml:16:176 the password of user "u-4" has a salt_position, which only md5 and sha256 take, not crypt',
      'PASSWORD_SALT idm.yaml:17:154 the salt of user "u-5" is not hex, as salt_format: hex says',
      'PASSWORD_SALT idm.yaml:18:169 the password of user "u-6" has a salt, which aspnet-identity-v2 does not take (an aspnet-identity-v2 hash carries its own salt)',
    ],
    hints: [
      'remove the salt',
      'add salt_position: prefix (the salt goes before the password) or suffix (after)',
      'add the salt, or remove salt_position',
      'remove salt_position',
      'write the salt as pairs of hex digits (68656c6c6f for "hello"), or write salt_format: string',
      'remove the salt',
    ],
  },
  {
    name: 'pbkdf2 and firebase-scrypt without what they need, and parameters of other methods',
    text: users(
      '    - { id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acme }], password: { method: pbkdf2, hash: "${env:B64}" } }',
      '    - { id: u-2, identities: [{ type: email, value: b@b.co }], organizations: [{ external_id: acme }], password: { method: firebase-scrypt, hash: "${env:B64}", salt: "c2FsdA==", rounds: 20, iterations: 5 } }',
      '    - { id: u-3, identities: [{ type: email, value: c@b.co }], organizations: [{ external_id: acme }], password: { hash: "${env:H1}", variant: salted-pbkdf2-hmac-sha256, version: 0 } }',
    ),
    env: { B64: 'aGFzaA==', H1: HASH_2A },
    expected: [
      'PASSWORD_SALT idm.yaml:13:114 the password of user "u-1" has no salt, which pbkdf2 needs',
      'PASSWORD_PARAMETER idm.yaml:13:114 the password of user "u-1" has no variant, which pbkdf2 needs',
      'PASSWORD_PARAMETER idm.yaml:14:114 the password of user "u-2" lacks signer_key, salt_separator, mem_cost, which firebase-scrypt needs',
      'PASSWORD_PARAMETER idm.yaml:14:187 rounds of the password of user "u-2" must be a whole number 1 to 16, got 20',
      'PASSWORD_PARAMETER idm.yaml:14:203 the password of user "u-2" has iterations, which only pbkdf2 takes, not firebase-scrypt',
      'PASSWORD_PARAMETER idm.yaml:15:144 the password of user "u-3" has variant, which only pbkdf2 takes, not bcrypt',
      'PASSWORD_PARAMETER idm.yaml:15:180 version of the password of user "u-3" must be a whole number 1 or more, got 0',
    ],
    hints: [
      "add the base64 salt of this user's hash as salt",
      'add variant: e.g. salted-pbkdf2-hmac-sha256, salted-pbkdf2-hmac-sha256-512 or salted-pbkdf2-hmac-sha512-512',
      'copy them from the hash parameters of your Firebase project (Authentication > Users > Password hash parameters)',
      'write a whole number 1 to 16',
      'firebase-scrypt takes rounds and mem_cost instead; remove iterations',
      'remove variant',
      'write a whole number 1 or more',
    ],
  },
  {
    name: 'a password with no hash, with both hash and hash_file, and a hash_file that cannot be read or is empty',
    text: users(
      '    - { id: u-1, identities: [{ type: email, value: a@b.co }], organizations: [{ external_id: acme }], password: { method: bcrypt } }',
      '    - { id: u-2, identities: [{ type: email, value: b@b.co }], organizations: [{ external_id: acme }], password: { hash: "${env:H}", hash_file: h.txt } }',
      '    - { id: u-3, identities: [{ type: email, value: c@b.co }], organizations: [{ external_id: acme }], password: { hash_file: missing.hash } }',
      '    - { id: u-4, identities: [{ type: email, value: d@b.co }], organizations: [{ external_id: acme }], password: { hash_file: empty.hash } }',
      '    - { id: u-5, identities: [{ type: email, value: e@b.co }], organizations: [{ external_id: acme }], password: { hash_file: md5.hash } }',
    ),
    env: { H: HASH_2A },
    files: { 'empty.hash': '\n', 'md5.hash': '62b2648f052d6599bdc84863d712a2d6\n' },
    expected: [
      'PASSWORD_NO_HASH idm.yaml:13:114 the password of user "u-1" has no hash',
      'PASSWORD_NO_HASH idm.yaml:14:145 the password of user "u-2" has both hash and hash_file',
      'PASSWORD_HASH_FILE idm.yaml:15:127 cannot read hash_file "missing.hash" of user "u-3": it does not exist',
      'PASSWORD_HASH_FILE idm.yaml:16:127 hash_file "empty.hash" of user "u-4" is empty',
      'PASSWORD_HASH_FORMAT idm.yaml:17:127 the password of user "u-5" (from hash_file "md5.hash") is not a bcrypt hash: it does not start with $2a$, $2b$, $2x$ or $2y$',
    ],
    hints: [
      'add hash: "${env:NAME}" (the hash, from an environment variable) or hash_file: path (a file holding it, relative to the config)',
      'keep one: hash for a value from ${env:...}, or hash_file for a file holding the hash',
      'a hash_file path is relative to the file it is written in (the config, or an environment\'s overlay); check the path and that the file is readable',
      'write the hash in the file, on one line',
      'it looks like an md5 hash: write method: md5',
    ],
  },
  {
    name: 'identity values from the environment are never quoted, nor fixes derived from them',
    text: user('identities: [{ type: email, value: "${env:ADMIN_EMAIL}" }, { type: phone, value: "${env:ADMIN_PHONE}" }], organizations: [{ external_id: acme }]'),
    env: { ADMIN_EMAIL: 'Admin At Acme', ADMIN_PHONE: '+61 455 511 555' },
    expected: [
      'INVALID_EMAIL idm.yaml:13:44 email from ${env:ADMIN_EMAIL} of user #1 is not a valid email address: it contains whitespace',
      'INVALID_PHONE idm.yaml:13:90 phone from ${env:ADMIN_PHONE} of user #1 is not a phone number in E.164 form: it has spaces or punctuation',
    ],
    hints: ['remove the spaces', 'remove the spaces, brackets, dots and dashes'],
  },
  {
    name: 'users_file that does not exist, whose format cannot be told, or whose default organization is not declared',
    text: 'version: 1\norganizations:\n  - { external_id: acme, name: Acme }\nusers_file: { path: nowhere.ndjson, default_organization: acmee }\n',
    expected: [
      'USERS_FILE_NOT_FOUND idm.yaml:4:21 cannot read users_file "nowhere.ndjson": it does not exist',
      'UNKNOWN_ORGANIZATION idm.yaml:4:59 default_organization "acmee" of users_file is not declared under organizations:',
    ],
    hints: ['the path is relative to the config file, so idm looked for nowhere.ndjson', 'did you mean "acme"? If not, declare it under organizations:'],
  },
  {
    name: 'users_file of a format idm cannot tell, and of a format it does not know',
    text: 'version: 1\nusers_file: people.txt\n',
    files: { 'people.txt': 'just some text\n' },
    expected: ['USERS_FORMAT_UNKNOWN idm.yaml:2:13 cannot tell the format of users_file "people.txt": its first record is neither a JSON object nor a CSV heading row'],
    hints: ['name it: users_file: { path: people.txt, format: ... }, with format one of idm, kinde-csv, kinde-ndjson, auth0'],
  },
];

describe('parseConfig: invalid users', () => {
  it.each(badCases)('$name', (c) => {
    const found = expectRejected({ files: {}, ...c });
    // No message or hint ever holds a value from the environment: hashes and salts are secrets.
    for (const secret of Object.values(c.env ?? {})) {
      for (const d of found) expect(`${d.message} ${d.hint ?? ''}`, brief(d)).not.toContain(secret);
    }
  });
});
