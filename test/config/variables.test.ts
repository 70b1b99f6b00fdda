import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { expandString } from '../../src/config/variables.js';
import { formatDiagnostic } from '../../src/errors.js';
import { brief, failures, fixture } from './_helpers.js';

describe('expandString', () => {
  const env = { HOST: 'acme.kinde.com', EMPTY: '', TEAM: 'platform', NESTED: '${env:HOST}' };
  it.each([
    { text: 'no references', value: 'no references', vars: [] },
    { text: '${env:HOST}', value: 'acme.kinde.com', vars: ['HOST'] },
    { text: 'https://${env:HOST}/api', value: 'https://acme.kinde.com/api', vars: ['HOST'] },
    { text: '${env:TEAM}-${env:HOST}', value: 'platform-acme.kinde.com', vars: ['TEAM', 'HOST'] },
    { text: '${env:EMPTY}', value: '', vars: ['EMPTY'] },
    { text: '$${env:HOST}', value: '${env:HOST}', vars: [] },
    { text: 'cost: $5, $$5, ${', value: 'cost: $5, $$5, ${', problems: ['VAR_SYNTAX'] },
    { text: 'a $${literal} and ${env:TEAM}', value: 'a ${literal} and platform', vars: ['TEAM'] },
    // A value is inserted as is: a ${...} inside it is not expanded again.
    { text: '${env:NESTED}', value: '${env:HOST}', vars: ['NESTED'] },
  ])('$text', ({ text, value, vars, problems }) => {
    const result = expandString(text, env);
    expect(result.value).toBe(value);
    if (vars) expect(result.vars).toEqual(vars);
    expect(result.problems.map((p) => p.code)).toEqual(problems ?? []);
  });

  it.each([
    { text: '${env:NOPE}', code: 'VAR_UNSET', message: 'environment variable NOPE is not set (used by ${env:NOPE})' },
    { text: '${foo:X}', code: 'VAR_UNKNOWN_SOURCE', message: 'unknown variable source "foo" in ${foo:X}' },
    {
      text: '${var:region}',
      code: 'VAR_UNSUPPORTED',
      message: '${var:region} reads a var of the chosen environment, but this config declares no environments',
    },
    { text: '${HOST}', code: 'VAR_SYNTAX', message: 'variable reference ${HOST} does not say where to read the value from' },
    { text: '${env:1X}', code: 'VAR_SYNTAX', message: 'invalid environment variable name "1X" in ${env:1X}' },
    { text: 'x ${env:HOST', code: 'VAR_SYNTAX', message: 'unterminated variable reference "${env:HOST": there is no closing "}"' },
  ])('$code: $text', ({ text, code, message }) => {
    const { problems, value } = expandString(text, env);
    expect(problems.map((p) => [p.code, p.message])).toEqual([[code, message]]);
    expect(problems[0]!.hint).toBeTruthy();
    expect(value).toBe(text); // left as written
  });

  it('suggests the env source for a bare ${NAME}', () => {
    expect(expandString('${HOST}', env).problems[0]!.hint).toBe('write ${env:HOST} to read the environment variable HOST, or $${HOST} for a literal "${HOST}"');
  });
});

describe('${env:...} in a config', () => {
  it('substitutes before validation, and $${...} stays literal', () => {
    const { text, file } = fixture('env.yaml');
    const { desired } = parseConfig(text, file, {
      INVOICES_NAME: 'Read invoices',
      TEAM: 'platform',
      ROLE_KEY: 'billing-admin',
      MISSING_DESCRIPTION: 'Looks after invoices',
    });
    expect(desired.permissions.get('read:invoices')).toEqual({
      key: 'read:invoices',
      name: 'Read invoices',
      description: 'Costs ${env:LITERAL}, owned by platform',
    });
    expect(desired.roles.get('billing-admin')?.description).toBe('Looks after invoices');
  });

  it('reports every unset variable at its own ${, on any line', () => {
    const { text, file } = fixture('env.yaml');
    expect(failures(text, file, {}).map(brief)).toEqual([
      'VAR_UNSET test/fixtures/config/env.yaml:4:11 environment variable INVOICES_NAME is not set (used by ${env:INVOICES_NAME})',
      'VAR_UNSET test/fixtures/config/env.yaml:5:51 environment variable TEAM is not set (used by ${env:TEAM})',
      'VAR_UNSET test/fixtures/config/env.yaml:7:10 environment variable ROLE_KEY is not set (used by ${env:ROLE_KEY})',
      'VAR_UNSET test/fixtures/config/env.yaml:9:18 environment variable MISSING_DESCRIPTION is not set (used by ${env:MISSING_DESCRIPTION})',
    ]);
  });

  it('does not substitute in mapping keys, which are field names', () => {
    const found = failures('version: 1\n${env:FIELD}: 1\n', 'idm.yaml', { FIELD: 'roles' });
    expect(found.map(brief)).toEqual(['SCHEMA_UNKNOWN_FIELD idm.yaml:2:1 unknown field "${env:FIELD}" at the top level']);
  });

  it('judges only the type of a value whose reference did not resolve', () => {
    // The unresolved key is not reported as malformed or unknown; the boolean field is still a string whatever the env says.
    const found = failures(
      'version: 1\npermissions:\n  - { key: read:invoices, name: Read }\nroles:\n  - key: ${env:KEY}\n    name: R\n    default: ${env:DEFAULT}\n    permissions:\n      - ${env:PERM}\n',
      'idm.yaml',
    );
    expect(found.map((d) => `${d.code} ${d.location.line}:${d.location.col}`)).toEqual([
      'VAR_UNSET 5:10',
      'VAR_UNSET 7:14',
      'SCHEMA_WRONG_TYPE 7:14',
      'VAR_UNSET 9:9',
    ]);
  });

  it('never shows a value read from the environment, only the variable name', () => {
    const secret = 'hunter2 s3cr3t';
    const text = [
      'version: 1',
      'permissions:',
      '  - { key: read:invoices, name: Read invoices }',
      '  - key: ${env:PERM_KEY}', // whitespace: invalid key
      '    name: ${env:EMPTY}', // empty name
      'roles:',
      '  - key: ${env:ROLE_KEY}', // whitespace: invalid key
      '    name: Admin',
      '    default: ${env:FLAG}', // a string, not a boolean
      '    permissions:',
      '      - ${env:GRANT}', // unknown permission
      '      - ${env:GRANT}', // repeated
      '  - key: ${env:OTHER_KEY}', // duplicate role key (same value)
      '    name: Other',
      '  - key: ${env:OTHER_KEY}',
      '    name: Other again',
      '',
    ].join('\n');
    const env = { PERM_KEY: secret, EMPTY: '', ROLE_KEY: secret, FLAG: secret, GRANT: 'read:' + secret.replace(' ', '_'), OTHER_KEY: 'r' + secret.replace(' ', '') };
    const found = failures(text, 'idm.yaml', env);
    expect(found.map(brief)).toEqual([
      'SCHEMA_INVALID_KEY idm.yaml:4:10 permission key from ${env:PERM_KEY} contains whitespace',
      'SCHEMA_EMPTY_VALUE idm.yaml:5:11 "name" of permission #2 must not be empty',
      'SCHEMA_INVALID_KEY idm.yaml:7:10 role key from ${env:ROLE_KEY} contains whitespace',
      'SCHEMA_WRONG_TYPE idm.yaml:9:14 "default" of role #1 must be a boolean, got a string from ${env:FLAG}',
      'UNKNOWN_PERMISSION idm.yaml:11:9 role #1 grants unknown permission from ${env:GRANT}',
      'DUPLICATE_ROLE idm.yaml:15:10 duplicate role key from ${env:OTHER_KEY}: it is already declared at line 13',
      'DUPLICATE_ROLE_PERMISSION idm.yaml:12:9 role #1 lists permission from ${env:GRANT} twice; the first is at line 11',
    ]);
    expect(found.find((d) => d.code === 'SCHEMA_EMPTY_VALUE')?.hint).toBe('the environment variable EMPTY is set to an empty string; give it a value');
    for (const d of found) {
      const shown = formatDiagnostic(d);
      for (const part of ['hunter2', 's3cr3t']) expect(shown, shown).not.toContain(part);
    }
  });
});
