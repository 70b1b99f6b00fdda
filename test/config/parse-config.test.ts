import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { desired } from '../helpers/model.js';
import { brief, expectRejected, failures, fixture, type BadCase } from './_helpers.js';

const F = 'test/fixtures/config';

describe('parseConfig: valid configs', () => {
  it('builds the Desired model, in config order, with defaults filled in', () => {
    const { text, file } = fixture('valid.yaml');
    const config = parseConfig(text, file, {});
    expect(config.file).toBe(file);
    expect(config.warnings).toEqual([]);
    expect(config.desired).toEqual(
      desired({
        permissions: [
          { key: 'read:invoices', name: 'Read invoices', description: 'Can view invoices' },
          { key: 'write:invoices', name: 'Edit invoices' },
          { key: 'manage:billing', name: 'Manage billing', description: 'Change the plan, the payment method and the billing contacts' },
        ],
        roles: [
          {
            key: 'billing-admin',
            name: 'Billing admin',
            description: 'Looks after invoices',
            isDefault: true,
            permissions: ['read:invoices', 'write:invoices', 'manage:billing'],
          },
          { key: 'viewer', name: 'Viewer', permissions: ['read:invoices'] },
          { key: 'guest', name: 'Guest' },
        ],
        prune: { permissions: true, roles: false },
      }),
    );
    expect([...config.desired.permissions.keys()]).toEqual(['read:invoices', 'write:invoices', 'manage:billing']);
    expect([...config.desired.roles.keys()]).toEqual(['billing-admin', 'viewer', 'guest']);
  });

  it('leaves an absent description absent, not undefined-valued', () => {
    const { desired: d } = parseConfig(fixture('valid.yaml').text, 'idm.yaml', {});
    expect('description' in d.permissions.get('write:invoices')!).toBe(false);
    expect('description' in d.roles.get('viewer')!).toBe(false);
  });

  it('accepts a config with only a version: nothing managed, nothing pruned', () => {
    const { text, file } = fixture('minimal.yaml');
    expect(parseConfig(text, file, {}).desired).toEqual(desired());
  });

  it('follows aliases: a role can reuse another role\'s permission list', () => {
    const { text, file } = fixture('aliases.yaml');
    const { desired: d } = parseConfig(text, file, {});
    expect(d.roles.get('lead')!.permissions).toEqual(new Set(['read:projects', 'write:projects']));
  });

  it('warns about YAML it reads but idm does not use: unknown tags, anchors defined twice', () => {
    const config = parseConfig(
      'version: 1\npermissions:\n  - { key: read:a, name: &n A }\n  - { key: read:b, name: &n B }\nroles:\n  - { key: r, name: !custom R }\n',
      'idm.yaml',
      {},
    );
    expect(config.warnings.map(brief)).toEqual([
      'YAML_DUPLICATE_ANCHOR idm.yaml:4:26 anchor &n is defined again; it was first defined at line 3',
      'YAML_WARNING idm.yaml:6:21 unresolved tag: !custom',
    ]);
    expect(config.desired.roles.get('r')?.name).toBe('R');
  });

  it('reads a file with a byte-order mark and CRLF line endings', () => {
    const text = '\uFEFFversion: 1\r\nroles:\r\n  - key: admin\r\n    name: Admin\r\n    defualt: true\r\n';
    expect(failures(text, 'idm.yaml').map(brief)).toEqual(['SCHEMA_UNKNOWN_FIELD idm.yaml:5:5 unknown field "defualt" in role "admin"']);
  });

  it('returns warnings for keys not in action:area form and for a permission repeated in a role', () => {
    const { text, file } = fixture('warnings.yaml');
    const config = parseConfig(text, file, {});
    expect(config.warnings.map(brief)).toEqual([
      `PERMISSION_KEY_CONVENTION ${F}/warnings.yaml:4:12 permission key "admin" is not in action:area form`,
      `PERMISSION_KEY_CONVENTION ${F}/warnings.yaml:5:12 permission key "read:invoices:all" is not in action:area form`,
      `PERMISSION_KEY_CONVENTION ${F}/warnings.yaml:6:12 permission key ":invoices" is not in action:area form`,
      `DUPLICATE_ROLE_PERMISSION ${F}/warnings.yaml:13:9 role "admin" lists permission "admin" twice; the first is at line 11`,
    ]);
    expect(config.warnings.every((w) => w.severity === 'warning' && w.hint)).toBe(true);
    expect(config.warnings[0]!.hint).toContain('"read:invoices"');
    expect(config.desired.roles.get('admin')!.permissions).toEqual(new Set(['admin', 'read:invoices']));
  });
});

const badCases: readonly BadCase[] = [
  {
    name: 'YAML syntax error (bad indentation)',
    fixture: 'syntax-error.yaml',
    expected: [`YAML_SYNTAX ${F}/syntax-error.yaml:5:1 invalid YAML: sequence item without - indicator`],
  },
  {
    name: 'tabs used for indentation',
    text: 'version: 1\nroles:\n\t- key: admin\n',
    expected: ['YAML_SYNTAX idm.yaml:3:1 invalid YAML: tabs are not allowed as indentation'],
    hints: ['indent with spaces; YAML does not allow tabs for indentation'],
  },
  {
    name: 'unquoted ${...} inside a flow mapping',
    text: 'version: 1\nroles:\n  - { key: ${env:ROLE}, name: Admin }\n',
    expected: ['YAML_SYNTAX idm.yaml:3:13 invalid YAML: unexpected flow-map-start at node end'],
    hints: ['inside [ ] or { }, a value containing ${...} must be quoted, e.g. ["${env:NAME}"]'],
  },
  {
    name: 'two YAML documents',
    text: 'version: 1\n---\nversion: 1\n',
    expected: ['YAML_SYNTAX idm.yaml:2:1 invalid YAML: the file holds more than one document'],
    hints: ['an idm config is a single YAML document; remove the extra "---"'],
  },
  {
    name: 'unknown field, with a suggestion',
    fixture: 'unknown-field.yaml',
    expected: [`SCHEMA_UNKNOWN_FIELD ${F}/unknown-field.yaml:7:5 unknown field "descripton" in role "admin"`],
    hints: ['did you mean "description"?'],
  },
  {
    name: 'unknown fields with no close match',
    text: 'version: 1\nprune: { roles: true, groups: true }\n',
    expected: ['SCHEMA_UNKNOWN_FIELD idm.yaml:2:23 unknown field "groups" in "prune"'],
    hints: ['the fields allowed here are: permissions, roles, organizations, feature_flags, users, identities'],
  },
  {
    name: 'an unquoted comma inside { } (the value is cut short and the rest becomes a field)',
    fixture: 'flow-comma.yaml',
    expected: [`SCHEMA_UNKNOWN_FIELD ${F}/flow-comma.yaml:4:79 unknown field "edit tasks and comments" in permission "write:projects"`],
    hints: ['inside { }, a comma ends a value: quote the "description" value, as in description: "Create projects, edit tasks and comments"'],
  },
  {
    name: 'wrong types',
    fixture: 'wrong-type.yaml',
    expected: [
      `SCHEMA_WRONG_TYPE ${F}/wrong-type.yaml:5:14 "default" of role "admin" must be a boolean, got string "yes"`,
      `SCHEMA_WRONG_TYPE ${F}/wrong-type.yaml:6:18 "permissions" of role "admin" must be a list, got string "read:invoices"`,
      `SCHEMA_WRONG_TYPE ${F}/wrong-type.yaml:8:10 "roles" of "prune" must be a boolean, got number 1`,
    ],
    hints: [
      'write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)',
      'write a list: [read:invoices], or one "- item" per line',
      'write true or false',
    ],
  },
  {
    name: 'empty values and a number where text is expected',
    text: 'version: 1\npermissions:\n  - key: 2024\n    name:\n    description: ""\n',
    expected: [
      'SCHEMA_WRONG_TYPE idm.yaml:3:10 "key" of permission #1 must be a string, got number 2024',
      'SCHEMA_WRONG_TYPE idm.yaml:4:5 "name" of permission #1 must be a string, got null (an empty value)',
      'SCHEMA_EMPTY_VALUE idm.yaml:5:18 "description" of permission #1 must not be empty',
    ],
    hints: [
      'put the value in quotes to make it text: "2024"',
      'write a value after the colon',
      'remove the line to leave the description unmanaged (Kinde cannot clear a description), or write one',
    ],
  },
  {
    name: 'a role naming a permission that is not declared',
    fixture: 'missing-permission.yaml',
    expected: [
      `UNKNOWN_PERMISSION ${F}/missing-permission.yaml:10:9 role "admin" grants unknown permission "write:invoice"`,
      `UNKNOWN_PERMISSION ${F}/missing-permission.yaml:11:9 role "admin" grants unknown permission "delete:everything"`,
    ],
    hints: [
      'did you mean "write:invoices"? If not, declare it under permissions:',
      'declare it under permissions:, e.g. - { key: delete:everything, name: ... }',
    ],
  },
  {
    name: 'a role naming permissions when none are declared',
    text: 'version: 1\nroles:\n  - { key: admin, name: Admin, permissions: [read:invoices] }\n',
    expected: ['UNKNOWN_PERMISSION idm.yaml:3:46 role "admin" grants unknown permission "read:invoices"'],
  },
  {
    name: 'duplicate YAML key',
    fixture: 'duplicate-yaml-key.yaml',
    expected: [`YAML_DUPLICATE_KEY ${F}/duplicate-yaml-key.yaml:6:5 duplicate key "name": it is already set at line 4`],
    hints: ['remove one of the two; YAML would silently keep only the last'],
  },
  {
    name: 'duplicate permission and role keys in the lists',
    fixture: 'duplicate-keys.yaml',
    expected: [
      `DUPLICATE_PERMISSION ${F}/duplicate-keys.yaml:5:12 duplicate permission key "read:invoices": it is already declared at line 3`,
      `DUPLICATE_ROLE ${F}/duplicate-keys.yaml:11:10 duplicate role key "admin": it is already declared at line 7`,
    ],
  },
  {
    name: 'unresolved ${env:X}',
    fixture: 'env.yaml',
    env: { INVOICES_NAME: 'Read invoices', TEAM: 'platform', ROLE_KEY: 'billing-admin' },
    expected: [`VAR_UNSET ${F}/env.yaml:9:18 environment variable MISSING_DESCRIPTION is not set (used by \${env:MISSING_DESCRIPTION})`],
    hints: [
      'set it before running idm, e.g. "export MISSING_DESCRIPTION=..." or in your CI\'s secrets; write $${env:MISSING_DESCRIPTION} for a literal "${env:MISSING_DESCRIPTION}"',
    ],
  },
  {
    name: 'missing version',
    text: '# roles come later\npermissions: []\n',
    expected: ['SCHEMA_MISSING_FIELD idm.yaml:2:1 the config is missing required field "version"'],
    hints: ['add "version: 1" as the first line of the file'],
  },
  {
    name: 'missing required fields of a role',
    text: 'version: 1\nroles:\n  - key: admin\n  - name: Viewer\n',
    expected: [
      'SCHEMA_MISSING_FIELD idm.yaml:3:5 role "admin" is missing required field "name"',
      'SCHEMA_MISSING_FIELD idm.yaml:4:5 role #2 is missing required field "key"',
    ],
    hints: [
      'add "name: ..." (display name of the role, e.g. Billing admin)',
      'add "key: ..." (the role\'s stable identifier, used in code, e.g. billing-admin)',
    ],
  },
  {
    name: 'a version this idm does not know: only that is reported',
    text: 'version: 2\nteams: []\nroles:\n  - { key: admin, name: Admin, permissions: [everything] }\n',
    expected: ['SCHEMA_VERSION idm.yaml:1:10 "version" must be 1, got number 2'],
    hints: ['this version of idm reads config version 1; upgrade idm to read version 2'],
  },
  {
    name: 'version as a string',
    text: 'version: "1"\n',
    expected: ['SCHEMA_VERSION idm.yaml:1:10 "version" must be 1, got string "1"'],
    hints: ['write version: 1 without quotes'],
  },
  {
    name: 'empty file',
    text: '',
    expected: ['CONFIG_EMPTY idm.yaml:1:1 the config file is empty'],
  },
  {
    name: 'a file of comments only',
    text: '# yaml-language-server: $schema=../schemas/idm.schema.json\n\n# TODO\n',
    expected: ['CONFIG_EMPTY idm.yaml:1:1 the config file is empty'],
  },
  {
    name: 'a list instead of a mapping',
    text: '- version: 1\n',
    expected: ['SCHEMA_WRONG_TYPE idm.yaml:1:1 the config must be a mapping of fields, got a list'],
  },
  {
    name: 'alias bomb: an error at the alias that crosses the limit, not a hang',
    fixture: 'alias-bomb.yaml',
    expected: [`YAML_ALIAS_LIMIT ${F}/alias-bomb.yaml:6:36 aliases expand to more than 100000 values; idm refuses to expand them (this looks like an "alias bomb")`],
  },
  {
    name: 'alias before its anchor',
    text: 'version: 1\nroles: *all\nx: &all []\n',
    expected: ['YAML_UNKNOWN_ALIAS idm.yaml:2:8 alias *all refers to no anchor &all defined before it'],
    hints: ['&all is defined later, at line 3; an anchor must come before its aliases'],
  },
  {
    name: 'alias inside its own anchor',
    text: 'version: 1\nroles: &r [*r]\n',
    expected: ['YAML_ALIAS_CYCLE idm.yaml:2:12 alias *r is used inside the value it refers to, which would make it infinitely deep'],
  },
  {
    name: 'YAML merge keys',
    text: 'version: 1\nroles:\n  - &base { key: a, name: A }\n  - <<: *base\n    key: b\n',
    expected: [
      'SCHEMA_MISSING_FIELD idm.yaml:4:5 role "b" is missing required field "name"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:4:5 unknown field "<<" in role "b"',
    ],
    hints: [
      'add "name: ..." (display name of the role, e.g. Billing admin)',
      'YAML merge keys (<<) are not supported; use an alias (*name) for the whole value, or write the fields out',
    ],
  },
  {
    name: 'keys with whitespace, control characters, or nothing at all',
    fixture: 'bad-keys.yaml',
    expected: [
      `SCHEMA_INVALID_KEY ${F}/bad-keys.yaml:3:12 permission key "read invoices" contains whitespace`,
      `SCHEMA_EMPTY_VALUE ${F}/bad-keys.yaml:4:12 "key" of permission #2 must not be empty`,
      `SCHEMA_INVALID_KEY ${F}/bad-keys.yaml:6:10 role key "billing admin" contains whitespace`,
    ],
    hints: [
      'keys are identifiers: use "-", "_" or ":" instead of spaces, e.g. "read:invoices"',
      "write a value: the permission's stable identifier, used in code and in access tokens. Convention: action:area, e.g. read:invoices.",
      'keys are identifiers: use "-", "_" or ":" instead of spaces, e.g. "billing-admin"',
    ],
  },
  {
    name: 'a control character in a key, and a key that is too long',
    text: `version: 1\npermissions:\n  - { key: "read:\\u0007bell", name: Bell }\n  - { key: ${'x'.repeat(129)}, name: Long }\n`,
    expected: [
      'SCHEMA_INVALID_KEY idm.yaml:3:12 permission key "read:\\u0007bell" contains a control character',
      `SCHEMA_TOO_LONG idm.yaml:4:12 "key" of permission "${'x'.repeat(59)}…" is too long: 129 characters, at most 128`,
    ],
  },
  {
    name: 'every error at once, across the schema and the references, in file order',
    text: [
      'version: 1',
      'permissions:',
      '  - { key: read:invoices, name: Read invoices, descripton: x }',
      'roles:',
      '  - key: admin',
      '    name: Admin',
      '    default: maybe',
      '    permissions: [read:invoice]',
      '  - key: admin',
      '    name: Admin again',
      '',
    ].join('\n'),
    expected: [
      'SCHEMA_UNKNOWN_FIELD idm.yaml:3:48 unknown field "descripton" in permission "read:invoices"',
      'SCHEMA_WRONG_TYPE idm.yaml:7:14 "default" of role "admin" must be a boolean, got string "maybe"',
      'UNKNOWN_PERMISSION idm.yaml:8:19 role "admin" grants unknown permission "read:invoice"',
      'DUPLICATE_ROLE idm.yaml:9:10 duplicate role key "admin": it is already declared at line 5',
    ],
  },
];

describe('parseConfig: invalid configs', () => {
  it.each(badCases)('$name', (c) => {
    expectRejected(c);
  });

  it('throws a ConfigError whose message lists every diagnostic and whose code is the first one\'s', () => {
    const { text, file } = fixture('wrong-type.yaml');
    let thrown: unknown;
    try {
      parseConfig(text, file, {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const e = thrown as ConfigError;
    expect(e.code).toBe('SCHEMA_WRONG_TYPE');
    expect(e.message.split('\n')[0]).toBe(`${F}/wrong-type.yaml:5:14: error: "default" of role "admin" must be a boolean, got string "yes"`);
    expect(e.diagnostics).toHaveLength(3);
  });

  it('includes the warnings after the errors when it fails', () => {
    const found = failures('version: 1\npermissions:\n  - { key: admin, name: Admin }\nroles:\n  - { key: x, name: X, default: 1 }\n', 'idm.yaml');
    expect(found.map((d) => `${d.severity} ${d.code}`)).toEqual(['error SCHEMA_WRONG_TYPE', 'warning PERMISSION_KEY_CONVENTION']);
  });
});
