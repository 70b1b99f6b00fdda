import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { brief, failures } from './_helpers.js';

const file = 'idm.yaml';
const bcrypt = '$2a$10$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq';
const env = { ADA_HASH: bcrypt };

const config = (identities: string, head = '') => `version: 1\n${head}identities:\n${identities}`;

const ada = `  - traits: { email: Ada@Ledgerly.example, name: { first: Ada, last: Lovelace } }
    metadata_public: { plan: pro }
    verified_addresses: [ada@ledgerly.example]
    credentials:
      password: { hash: "\${env:ADA_HASH}" }
      oidc: [{ provider: google, subject: "1098" }]
`;

describe('config: Kratos identities', () => {
  it('builds identities keyed on the lower-cased email trait, with the defaults filled in', () => {
    const { desired } = parseConfig(config(ada), file, env);
    const identity = desired.identities.get('ada@ledgerly.example');
    expect(identity).toMatchObject({
      schemaId: 'default', state: 'active', traits: { email: 'Ada@Ledgerly.example' }, metadataPublic: { plan: 'pro' },
      credentials: { password: { hash: bcrypt }, oidc: [{ provider: 'google', subject: '1098' }] },
    });
    expect(identity?.credentials.password?.initial).toBe(false);
    expect(identity?.metadataAdmin).toBeUndefined();
    const initial = parseConfig(config(ada.replace('password: { hash: "${env:ADA_HASH}" }', 'password: { hash: "${env:ADA_HASH}", initial: true }')), file, env);
    expect(initial.desired.identities.get('ada@ledgerly.example')?.credentials.password).toEqual({ hash: bcrypt, initial: true });
    expect(desired.identityMatch).toEqual({ by: 'trait', path: ['email'] });
  });

  it('matches on external_id or another trait when kratos.match says so', () => {
    const byId = parseConfig(config('  - { external_id: u-1, traits: { email: a@x.io } }\n', 'kratos: { match: external_id, schema_id: customer }\n'), file, {});
    expect([...byId.desired.identities.keys()]).toEqual(['u-1']);
    expect(byId.desired.identities.get('u-1')?.schemaId).toBe('customer');
    const byTrait = parseConfig(config('  - { traits: { login: { name: ADA } } }\n', 'kratos: { match: login.name }\n'), file, {});
    expect([...byTrait.desired.identities.keys()]).toEqual(['ada']);
  });

  const bad: { name: string; yaml: string; env?: Record<string, string>; expected: string[] }[] = [
    {
      name: 'two identities with one email (compared without case)',
      yaml: config('  - traits: { email: ada@x.io }\n  - traits: { email: ADA@x.io }\n'),
      expected: ['DUPLICATE_KRATOS_IDENTITY idm.yaml:4:22 identity #2 has the same traits.email "ADA@x.io" as the identity at line 3'],
    },
    {
      name: 'an identity without the trait it is matched on',
      yaml: config('  - traits: { name: Ada }\n'),
      expected: ['KRATOS_MATCH_MISSING idm.yaml:3:5 identity #1 has no traits.email, which identities are matched on'],
    },
    {
      name: 'a hash Kratos cannot import, without quoting it',
      yaml: config('  - traits: { email: a@x.io }\n    credentials: { password: { hash: "${env:H}" } }\n'), env: { H: 'sha1:abcdef' },
      expected: ['KRATOS_HASH_FORMAT idm.yaml:4:38 the password hash of identity #1 is in no format Kratos imports'],
    },
    {
      name: 'a bcrypt cost above what Kratos accepts',
      yaml: config('  - traits: { email: a@x.io }\n    credentials: { password: { hash: "$2a$16$t8Jz3hJCCTFk/Acja7bw3OpamB3xuLPhpJlRHb31bXIjfzeTfn8rq" } }\n'),
      expected: ['KRATOS_HASH_FORMAT idm.yaml:4:38 the password hash of identity #1 has bcrypt cost 16 (Kratos accepts at most 15)'],
    },
    {
      name: 'a verified address that is not one of the traits',
      yaml: config('  - traits: { email: a@x.io }\n    verified_addresses: [b@x.io]\n'),
      expected: ['KRATOS_ADDRESS_UNKNOWN idm.yaml:4:26 identity #1 lists "b@x.io" as verified, but none of its traits has that value'],
    },
    {
      name: 'a plaintext password field is not accepted',
      yaml: config('  - traits: { email: a@x.io }\n    credentials: { password: { password: hunter2 } }\n'),
      expected: ['missing required field "hash"', 'SCHEMA_'],
    },
  ];

  it.each(bad)('rejects $name', ({ yaml, env: vars, expected }) => {
    const found = failures(yaml, file, vars ?? {}).filter((d) => d.severity === 'error').map(brief);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(found[i]).toContain(e));
    expect(found.join('\n')).not.toContain('sha1:abcdef');
    expect(found.join('\n')).not.toContain('hunter2');
  });

  it('takes recovery codes as a lookup secret, and warns about a code listed twice without showing it', () => {
    const yaml = config('  - traits: { email: a@x.io }\n    credentials:\n      lookup_secret: { codes: ["${env:C1}", "${env:C2}", "${env:C1}"] }\n');
    const { desired, warnings } = parseConfig(yaml, file, { C1: 'k7p2-q9z4', C2: 'm3x8-r5t1' });
    expect(desired.identities.get('a@x.io')?.credentials.lookupSecret).toEqual({ codes: ['k7p2-q9z4', 'm3x8-r5t1', 'k7p2-q9z4'] });
    expect(warnings.map(brief)).toEqual(['DUPLICATE_RECOVERY_CODE idm.yaml:5:58 identity #1 lists recovery code #3 twice; the first is #1']);
    expect(failures(config('  - traits: { email: a@x.io }\n    credentials: { lookup_secret: { codes: [] } }\n'), file, {}).map(brief)).toEqual([
      'SCHEMA_EMPTY_VALUE idm.yaml:4:44 "codes" of "lookup_secret" of "credentials" of item 1 of "identities" must not be empty',
    ]);
  });

  it('warns about a link listed twice', () => {
    const { warnings } = parseConfig(config('  - traits: { email: a@x.io }\n    credentials: { oidc: [{ provider: g, subject: "1" }, { provider: g, subject: "1" }] }\n'), file, {});
    expect(warnings.map(brief)).toEqual([expect.stringContaining('DUPLICATE_KRATOS_LINK idm.yaml:4:58 identity #1 lists the oidc link "g:1" twice; the first is at line 4')]);
  });
});
