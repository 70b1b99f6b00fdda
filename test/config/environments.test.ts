/**
 * Environments in the config: choosing one, its overlay deep-merged over the base (located in its own file), its
 * vars, its target, and production environments leaving the base's seed users out.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, parseTarget, type EnvironmentConfig } from '../../src/config/load.js';
import { ConfigError, IdmError, type Diagnostic } from '../../src/errors.js';
import { brief } from './_helpers.js';

type Files = Readonly<Record<string, string>>;

const lines = (...text: string[]): string => [...text, ''].join('\n');

/** Reads only the files given: a missing one fails as the file system would. */
const reader = (files: Files) => (path: string): string => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  return text;
};

function load(base: string, environment: string | undefined, files: Files = {}, env: Record<string, string> = {}): EnvironmentConfig {
  return parseConfig(base, 'idm.yaml', env, { readFile: reader(files), ...(environment === undefined ? {} : { environment }) });
}

function problems(base: string, environment: string | undefined, files: Files = {}, env: Record<string, string> = {}): Diagnostic[] {
  try {
    load(base, environment, files, env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.diagnostics];
    throw e;
  }
  throw new Error('expected the config to fail to load');
}

function refusal(run: () => unknown): IdmError {
  try {
    run();
  } catch (e) {
    if (e instanceof IdmError && !(e instanceof ConfigError)) return e;
    throw e;
  }
  throw new Error('expected an IdmError');
}

/** A base config with one environment, dev, whose overlay is envs/dev.yaml. */
const base = (...rest: string[]): string => lines('version: 1', 'environments:', '  dev: { file: envs/dev.yaml }', ...rest);

const ledger = [
  'permissions:',
  '  - { key: read:invoices, name: Read invoices }',
  '  - { key: write:invoices, name: Write invoices, description: Create and edit }',
  'roles:',
  '  - { key: clerk, name: Clerk, permissions: [read:invoices, write:invoices] }',
  '  - { key: admin, name: Admin, default: true, permissions: [read:invoices] }',
  'feature_flags:',
  '  - { key: new_ui, name: New UI, type: bool, default: false }',
  'organizations:',
  '  - external_id: acme',
  '    name: Acme',
  '    policies: { auto_membership: true, allowed_domains: [acme.com, acme.org] }',
  'business: { name: Ledgerly, policy_acceptance: true, terms_url: https://ledgerly.example/terms }',
  'environment: { feature_flags: { new_ui: false } }',
];

describe('overlays: how an overlay merges over the base', () => {
  const cases: { name: string; overlay: string[]; expect: (c: EnvironmentConfig) => void }[] = [
    {
      name: 'mappings merge field by field; scalars replace',
      overlay: ['business: { terms_url: https://dev.ledgerly.example/terms }', 'environment: { feature_flags: { new_ui: true } }'],
      expect: ({ desired }) => {
        expect(desired.business).toEqual({ name: 'Ledgerly', policyAcceptance: true, termsUrl: 'https://dev.ledgerly.example/terms' });
        expect(desired.environment?.featureFlags).toEqual(new Map([['new_ui', true]]));
      },
    },
    {
      name: 'permissions merge by key: an overlay item merges into the base item, new ones are appended',
      overlay: ['permissions:', '  - { key: write:invoices, name: Write invoices (beta) }', '  - { key: read:reports, name: Read reports }'],
      expect: ({ desired }) => {
        expect([...desired.permissions.keys()]).toEqual(['read:invoices', 'write:invoices', 'read:reports']);
        expect(desired.permissions.get('write:invoices')).toEqual({ key: 'write:invoices', name: 'Write invoices (beta)', description: 'Create and edit' });
      },
    },
    {
      name: "roles merge by key; a role's permission list is replaced, not merged",
      overlay: ['roles:', '  - { key: clerk, permissions: [read:invoices] }'],
      expect: ({ desired }) => {
        expect(desired.roles.get('clerk')).toMatchObject({ name: 'Clerk', permissions: new Set(['read:invoices']) });
        expect(desired.roles.get('admin')).toMatchObject({ isDefault: true });
      },
    },
    {
      name: 'feature flags merge by key',
      overlay: ['feature_flags:', '  - { key: new_ui, default: true }'],
      expect: ({ desired }) => expect(desired.featureFlags.get('new_ui')).toMatchObject({ name: 'New UI', type: 'bool', defaultValue: true }),
    },
    {
      name: 'organizations merge by external_id; allowed_domains is replaced, the other policies kept',
      overlay: ['organizations:', '  - { external_id: acme, policies: { allowed_domains: [acme.dev] } }', '  - { external_id: globex, name: Globex }'],
      expect: ({ desired }) => {
        expect(desired.organizations.get('acme')?.policies).toEqual({ autoMembership: true, allowedDomains: new Set(['acme.dev']) });
        expect(desired.organizations.get('acme')?.name).toBe('Acme');
        expect([...desired.organizations.keys()]).toEqual(['acme', 'globex']);
      },
    },
    {
      name: 'a list of another kind, or a whole section, replaces the base',
      overlay: ['organizations:', '  - { external_id: acme, name: Acme Dev }', 'business: { name: Ledgerly Dev }'],
      expect: ({ desired }) => {
        expect(desired.organizations.get('acme')?.policies).toEqual({ autoMembership: true, allowedDomains: new Set(['acme.com', 'acme.org']) });
        expect(desired.business).toEqual({ name: 'Ledgerly Dev', policyAcceptance: true, termsUrl: 'https://ledgerly.example/terms' });
      },
    },
    {
      name: 'an overlay that only adds sections',
      overlay: ['prune: { permissions: true }'],
      expect: ({ desired }) => {
        expect(desired.prune.permissions).toBe(true);
        expect(desired.permissions.size).toBe(2);
      },
    },
    {
      name: 'an empty overlay (comments only) changes nothing',
      overlay: ['# nothing differs in dev'],
      expect: ({ desired }) => expect(desired.business?.termsUrl).toBe('https://ledgerly.example/terms'),
    },
    {
      name: 'aliases of the overlay and of the base still stand for their anchors after the merge',
      overlay: ['organizations:', '  - { external_id: acme, policies: { allowed_domains: &domains [acme.dev] } }', '  - { external_id: globex, name: Globex, policies: { allowed_domains: *domains } }'],
      expect: ({ desired }) => expect(desired.organizations.get('globex')?.policies.allowedDomains).toEqual(new Set(['acme.dev'])),
    },
  ];
  it.each(cases)('$name', ({ overlay, expect: check }) => {
    check(load(base(...ledger), 'dev', { 'envs/dev.yaml': lines(...overlay) }));
  });

  it('merges users by id, else by primary email, and appends new ones', () => {
    const config = load(
      base(
        'organizations: [{ external_id: acme, name: Acme }]',
        'roles: [{ key: clerk, name: Clerk }, { key: admin, name: Admin }]',
        'users:',
        '  list:',
        '    - { id: u-1, first_name: Ada, identities: [{ type: email, value: ada@acme.com }], organizations: [{ external_id: acme, roles: [clerk] }] }',
        '    - { first_name: Bob, identities: [{ type: phone, value: "+14155550100" }, { type: email, value: Bob@acme.com }], organizations: [{ external_id: acme }] }',
      ),
      'dev',
      {
        'envs/dev.yaml': lines(
          'users:',
          '  list:',
          '    - { id: u-1, last_name: Lovelace, organizations: [{ external_id: acme, roles: [admin] }] }',
          '    - { identities: [{ type: email, value: bob@acme.com }], first_name: Robert }',
          '    - { id: u-3, identities: [{ type: email, value: cy@acme.com }], organizations: [{ external_id: acme }] }',
        ),
      },
    );
    const users = config.desired.users;
    expect([...users.keys()]).toEqual(['u-1', 'bob@acme.com', 'u-3']);
    expect(users.get('u-1')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(users.get('u-1')?.organizations.get('acme')?.roles).toEqual(new Set(['admin']));
    // The identity list is replaced (other lists are), the name merged.
    expect(users.get('bob@acme.com')).toMatchObject({ firstName: 'Robert', identities: [{ type: 'email', value: 'bob@acme.com', primary: true }] });
  });

  it('reads a users_file named in the overlay relative to the overlay', () => {
    const ndjson = '{"id": "qa-1", "identities": [{"type": "email", "value": "qa@acme.com"}], "organizations": [{"external_id": "acme"}]}\n';
    const config = load(base('organizations: [{ external_id: acme, name: Acme }]'), 'dev', { 'envs/dev.yaml': 'users_file: qa.ndjson\n', 'envs/qa.ndjson': ndjson });
    expect([...config.desired.users.keys()]).toEqual(['qa-1']);
  });

  it('loads only the chosen environment: another overlay is never read', () => {
    const text = lines('version: 1', 'environments:', '  dev: { file: envs/dev.yaml }', '  prod: { file: envs/missing.yaml }', 'permissions: []');
    expect(load(text, 'dev', { 'envs/dev.yaml': 'roles: []\n' }).environments).toEqual(['dev', 'prod']);
  });
});

describe('overlays: every problem is located in the file that holds it', () => {
  it.each([
    {
      name: 'a schema error in the overlay, beside one in the base',
      base: ['permissions:', '  - { key: read:invoices, name: Read invoices, colour: red }'],
      overlay: ['permissions:', '  - { key: read:invoices, name: 5 }', 'business: { terms_url: http://dev.example/terms }'],
      expected: [
        'SCHEMA_UNKNOWN_FIELD idm.yaml:5:48 unknown field "colour" in permission "read:invoices"',
        'SCHEMA_WRONG_TYPE envs/dev.yaml:2:33 "name" of permission "read:invoices" must be a string, got number 5',
        'SCHEMA_INVALID_URL envs/dev.yaml:3:24 "terms_url" of "business" ("http://dev.example/terms") must be an https:// URL',
      ],
    },
    {
      name: 'a reference from the overlay to what the base does not declare',
      base: ['permissions: [{ key: read:invoices, name: Read invoices }]'],
      overlay: ['# roles for dev', 'roles:', '  - key: tester', '    name: Tester', '    permissions: [read:invoice]'],
      expected: ['UNKNOWN_PERMISSION envs/dev.yaml:5:19 role "tester" grants unknown permission "read:invoice"'],
    },
    {
      name: 'a duplicate key within the overlay',
      base: [],
      overlay: ['permissions:', '  - { key: a:b, name: A }', '  - { key: a:b, name: B }'],
      expected: ['DUPLICATE_PERMISSION envs/dev.yaml:3:12 duplicate permission key "a:b": it is already declared at line 2'],
    },
    {
      name: 'YAML syntax in the overlay',
      base: [],
      overlay: ['roles:', '  - key: admin', '   name: Admin'],
      expected: ['YAML_SYNTAX envs/dev.yaml:3:1 invalid YAML: sequence item without - indicator'],
    },
    {
      name: 'fields only the base may set',
      base: [],
      overlay: ['target: local', 'environments: {}'],
      expected: ['OVERLAY_FIELD envs/dev.yaml:1:1 an environment\'s overlay cannot set "target"', 'OVERLAY_FIELD envs/dev.yaml:2:1 an environment\'s overlay cannot set "environments"'],
    },
    {
      name: 'an overlay that is not a mapping',
      base: [],
      overlay: ['- permissions'],
      expected: ['OVERLAY_FIELD envs/dev.yaml:1:1 the overlay of environment "dev" must be a mapping of config fields, like idm.yaml'],
    },
  ])('$name', ({ base: rest, overlay, expected }) => {
    const found = problems(base(...rest), 'dev', { 'envs/dev.yaml': lines(...overlay) });
    expect(found.map(brief)).toEqual(expected);
  });

  it('an overlay that does not exist is located at its file: in the base', () => {
    const [d] = problems(base(), 'dev');
    expect(brief(d!)).toBe('OVERLAY_UNREADABLE idm.yaml:3:16 cannot read the overlay of environment "dev", "envs/dev.yaml": it does not exist');
    expect(d!.hint).toBe('the path is relative to idm.yaml, so idm looked for envs/dev.yaml');
  });

  it('a config in a directory finds and names its overlays there', () => {
    const found = (() => {
      try {
        parseConfig(base(), 'deploy/idm.yaml', {}, { environment: 'dev', readFile: reader({ 'deploy/envs/dev.yaml': 'roles: [{ key: x }]\n' }) });
      } catch (e) {
        return (e as ConfigError).diagnostics.map(brief);
      }
      return [];
    })();
    expect(found).toEqual(['SCHEMA_MISSING_FIELD deploy/envs/dev.yaml:1:9 role "x" is missing required field "name"']);
  });
});

describe('choosing an environment', () => {
  const three = lines('version: 1', 'environments:', '  dev: {}', '  staging: {}', '  prod: {}');

  it('is required once the config declares environments, and the error lists them', () => {
    const e = refusal(() => load(three, undefined));
    expect(e.message).toBe('idm.yaml declares environments (dev, staging, prod): choose one with --env');
    expect(e.hint).toBe('e.g. --env dev, or set IDM_ENV; validate and plan also take --env all');
  });

  it('refuses an environment the config does not declare, with a suggestion', () => {
    const e = refusal(() => load(three, 'stagign'));
    expect([e.code, e.message, e.hint]).toEqual(['UNKNOWN_ENVIRONMENT', 'unknown environment "stagign": idm.yaml declares dev, staging, prod', 'did you mean --env staging?']);
    expect(refusal(() => load(three, 'qa')).hint).toBe('pass one of: dev, staging, prod');
  });

  it('refuses --env for a config without environments', () => {
    const e = refusal(() => load('version: 1\n', 'dev'));
    expect([e.code, e.message]).toEqual(['NO_ENVIRONMENTS', 'environment dev was asked for (--env or IDM_ENV), but idm.yaml declares no environments']);
  });

  it('loads an environment without an overlay as the base, and says which it is', () => {
    const config = load(three, 'staging');
    expect([config.environment, config.environments, config.target]).toEqual(['staging', ['dev', 'staging', 'prod'], undefined]);
  });

  it('rejects names that cannot name a state directory, and the reserved "all"', () => {
    const found = problems(lines('version: 1', 'environments:', '  all: {}', '  eu/prod: {}', '  dev: {}'), 'dev');
    expect(found.map(brief)).toEqual([
      'ENVIRONMENT_NAME idm.yaml:3:3 "all" cannot name an environment: --env all means every environment',
      'ENVIRONMENT_NAME idm.yaml:4:3 environment name "eu/prod" may hold only letters, digits, "-" and "_", starting with a letter or digit',
    ]);
  });

  it('checks the shape of a declaration, naming the environment', () => {
    const found = problems(lines('version: 1', 'environments:', '  dev: { flie: envs/dev.yaml, production: yes }'), 'dev');
    expect(found.map(brief)).toEqual([
      'SCHEMA_UNKNOWN_FIELD idm.yaml:3:10 unknown field "flie" in environment "dev"',
      'SCHEMA_WRONG_TYPE idm.yaml:3:43 "production" of environment "dev" must be a boolean, got string "yes"',
    ]);
    expect(found[0]!.hint).toBe('did you mean "file"?');
  });
});

describe('${var:name}', () => {
  const withVars = (...rest: string[]): string =>
    lines(
      'version: 1',
      'environments:',
      '  dev: { file: envs/dev.yaml, vars: { domain: dev.ledgerly.example, secret_domain: "${env:PRIVATE_DOMAIN}" } }',
      '  prod: { vars: { domain: ledgerly.example } }',
      ...rest,
    );

  it("reads the chosen environment's vars, in the base and in the overlay", () => {
    const text = withVars('business: { terms_url: "https://${var:domain}/terms" }');
    const overlay = { 'envs/dev.yaml': 'business: { privacy_url: "https://${var:domain}/privacy" }\n' };
    expect(load(text, 'dev', overlay, { PRIVATE_DOMAIN: 'hidden.internal' }).desired.business).toEqual({ termsUrl: 'https://dev.ledgerly.example/terms', privacyUrl: 'https://dev.ledgerly.example/privacy' });
    expect(load(text, 'prod').desired.business).toEqual({ termsUrl: 'https://ledgerly.example/terms' });
  });

  it('names the var and the environment when the var is not set, located in the file that uses it', () => {
    const text = withVars('business: { terms_url: "https://${var:domian}/terms" }');
    const found = problems(text, 'dev', { 'envs/dev.yaml': 'business: { name: "${var:company}" }\n' }, { PRIVATE_DOMAIN: 'hidden.internal' });
    expect(found.map(brief)).toEqual([
      'VAR_UNDEFINED idm.yaml:5:33 var "domian" is not set for environment "dev" (used by ${var:domian})',
      'VAR_UNDEFINED envs/dev.yaml:1:20 var "company" is not set for environment "dev" (used by ${var:company})',
    ]);
    expect(found.map((d) => d.hint)).toEqual(['did you mean ${var:domain}? If not, add domian under environments.dev.vars', 'add it under environments.dev.vars: { company: ... }']);
  });

  it('is an error in a config without environments, saying to declare them', () => {
    const found = problems(lines('version: 1', 'business: { terms_url: "${var:terms_url}" }'), undefined);
    expect(found.map(brief)).toEqual(['VAR_UNSUPPORTED idm.yaml:2:25 ${var:terms_url} reads a var of the chosen environment, but this config declares no environments']);
    expect(found[0]!.hint).toContain('environments: { dev: { vars: { terms_url: ... } } }');
  });

  it('is an error in target: and environments:, which choose where the vars come from', () => {
    const found = problems(lines('version: 1', 'target: { provider: kinde, domain: "${var:domain}" }', 'environments:', '  dev: { vars: { domain: x }, file: "${var:domain}.yaml" }'), 'dev');
    expect(found.map((d) => d.code)).toEqual(['VAR_UNSUPPORTED', 'VAR_UNSUPPORTED']);
    expect(found.map((d) => `${d.location.line}:${d.location.col}`)).toEqual(['2:37', '4:38']);
  });

  it("keeps a var read from the environment secret: messages name the variable, not the value", () => {
    const text = withVars('business: { terms_url: "http://${var:secret_domain}/terms" }');
    const found = problems(text, 'dev', { 'envs/dev.yaml': '{}\n' }, { PRIVATE_DOMAIN: 'hidden.internal' });
    expect(found.map(brief)).toEqual(['SCHEMA_INVALID_URL idm.yaml:5:24 "terms_url" of "business" (a string from ${env:PRIVATE_DOMAIN}) must be an https:// URL']);
    expect(JSON.stringify(found)).not.toContain('hidden.internal');
  });

  it("reads only the chosen environment's ${env:...}: another's may be unset here", () => {
    const text = lines('version: 1', 'environments:', '  dev: { target: local }', '  prod: { target: { provider: kinde, domain: "${env:PROD_DOMAIN}" } }');
    expect(load(text, 'dev').target).toEqual({ kind: 'local', provider: 'kinde', state: 'dev/kinde' });
    expect(problems(text, 'prod').map(brief)).toEqual(['VAR_UNSET idm.yaml:4:47 environment variable PROD_DOMAIN is not set (used by ${env:PROD_DOMAIN})']);
  });
});

describe('production environments', () => {
  const seeded = (...prodRest: string[]): string =>
    lines(
      'version: 1',
      'environments:',
      '  dev: {}',
      `  prod: { production: true${prodRest.length > 0 ? ', file: envs/prod.yaml' : ''} }`,
      'organizations: [{ external_id: acme, name: Acme }]',
      'users:',
      '  mode: managed',
      '  list:',
      '    - { id: u-1, identities: [{ type: email, value: "${env:ADA_EMAIL}" }], organizations: [{ external_id: acme }] }',
      'prune: { users: true }',
    );

  it('leave the seed users of the base out, with a warning saying how to opt in, and need none of their variables', () => {
    const config = load(seeded(), 'prod');
    expect(config.desired.users.size).toBe(0);
    expect(config.desired.usersMode).toBe('seed');
    const [w] = config.warnings.filter((d) => d.code === 'PRODUCTION_USERS');
    expect(brief(w!)).toBe('PRODUCTION_USERS idm.yaml:6:1 the seed users of idm.yaml are left out of environment "prod", which is marked production: true');
    expect(w!.hint).toBe('to seed users there anyway, give it an overlay (environments.prod.file) that declares users: or users_file:');
  });

  it('keep them when the overlay declares users itself', () => {
    const config = load(seeded('overlay'), 'prod', { 'envs/prod.yaml': lines('users:', '  list: [{ id: ops-1, identities: [{ type: email, value: ops@acme.com }], organizations: [{ external_id: acme }] }]') }, { ADA_EMAIL: 'ada@acme.com' });
    expect([...config.desired.users.keys()]).toEqual(['u-1', 'ops-1']);
    expect(config.warnings.map((d) => d.code)).not.toContain('PRODUCTION_USERS');
  });

  it('with an overlay that declares no users, the hint names the overlay', () => {
    const config = load(seeded('overlay'), 'prod', { 'envs/prod.yaml': 'business: { name: Acme }\n' });
    expect(config.desired.users.size).toBe(0);
    expect(config.warnings.find((d) => d.code === 'PRODUCTION_USERS')?.hint).toBe('to seed users there anyway, declare users: or users_file: in envs/prod.yaml');
  });

  it('other environments keep them', () => {
    expect(load(seeded(), 'dev', {}, { ADA_EMAIL: 'ada@acme.com' }).desired.users.size).toBe(1);
  });
});

describe('targets', () => {
  const withTarget = (target: string): string => lines('version: 1', 'environments:', `  prod: { target: ${target} }`, '  dev: {}', 'target: local');

  it.each([
    { name: 'the top-level target, local per environment', environment: 'dev', spec: { kind: 'local', provider: 'kinde', state: 'dev/kinde' } },
    {
      name: 'a Kinde tenant, credentials read from the default variables',
      target: '{ provider: kinde, domain: https://acme-prod.kinde.com }',
      spec: { kind: 'kinde', domain: 'https://acme-prod.kinde.com', clientIdVariable: 'KINDE_MANAGEMENT_CLIENT_ID', clientSecretVariable: 'KINDE_MANAGEMENT_CLIENT_SECRET' },
    },
    {
      name: 'a Kinde tenant with variables of its own',
      target: '{ provider: kinde, domain: acme-prod.kinde.com, client_id_env: PROD_ID, client_secret_env: PROD_SECRET }',
      spec: { kind: 'kinde', domain: 'acme-prod.kinde.com', clientIdVariable: 'PROD_ID', clientSecretVariable: 'PROD_SECRET' },
    },
    { name: 'the local Kratos emulator', target: '{ provider: kratos, local: true }', spec: { kind: 'local', provider: 'kratos', state: 'prod/kratos' } },
    {
      name: 'a Kratos admin API with a key',
      target: '{ provider: kratos, admin_url: "https://kratos-admin.internal:4434", api_key_env: ORY_API_KEY }',
      spec: { kind: 'kratos', adminUrl: 'https://kratos-admin.internal:4434', apiKeyVariable: 'ORY_API_KEY' },
    },
  ])('$name', ({ target, environment, spec }) => {
    expect(load(withTarget(target ?? 'local'), environment ?? 'prod').target).toEqual(spec);
  });

  it('is the default (none) when the config names no target', () => {
    expect(load('version: 1\n', undefined).target).toBeUndefined();
    expect(load('version: 1\ntarget: local\n', undefined).target).toEqual({ kind: 'local', provider: 'kinde', state: 'kinde' });
  });

  it.each([
    { target: 'remote', expected: 'TARGET_INVALID idm.yaml:3:19 "target" of environment "prod" must be local or a mapping, got string "remote"' },
    { target: '{ provider: kinde }', expected: 'TARGET_INVALID idm.yaml:3:19 "target" of environment "prod" names no kinde tenant: it has no "domain"' },
    { target: '{ provider: kinde, local: true, domain: acme.kinde.com }', expected: 'TARGET_INVALID idm.yaml:3:51 "target" of environment "prod" is local (the built-in emulator), so it takes no "domain"' },
    { target: '{ provider: kratos, admin_url: "https://k.example", client_id_env: X }', expected: 'TARGET_INVALID idm.yaml:3:71 "target" of environment "prod" is a kratos target, and "client_id_env" is a field of kinde targets' },
    {
      target: '{ provider: kinde, domain: "http://acme.kinde.com" }',
      expected: 'TARGET_INVALID idm.yaml:3:46 "domain" of "target" of environment "prod" "http://acme.kinde.com": plain http:// would send the client secret and access tokens unencrypted',
    },
    { target: '{ provider: kratos, admin_url: "http://kratos:4434" }', expected: 'TARGET_INVALID idm.yaml:3:50 "admin_url" of "target" of environment "prod" "http://kratos:4434": plain http:// would send identities and credentials unencrypted' },
    { target: '{ provider: okta, domain: x }', expected: 'SCHEMA_INVALID_CHOICE idm.yaml:3:31 "provider" of "target" of environment "prod" must be one of kinde, kratos, got string "okta"' },
  ])('rejects $target', ({ target, expected }) => {
    expect(problems(withTarget(target), 'prod').map(brief)).toEqual([expected]);
  });

  it('never shows what was written where a variable name belongs: it may be the credential itself', () => {
    const secret = 'kZ9vQ2xLw8Rt0pYs3MnB6cHd1FgJ4uAe';
    const [d] = problems(withTarget(`{ provider: kinde, domain: acme.kinde.com, client_secret_env: ${secret} }`), 'prod');
    expect(brief(d!)).toBe(
      'TARGET_INVALID idm.yaml:3:81 "client_secret_env" of "target" of environment "prod" must be the name of an environment variable (upper-case letters, digits and _); its value is not shown, in case it is a credential',
    );
    expect(JSON.stringify(d)).not.toContain(secret);
  });

  it('parseTarget reads the target alone: a problem elsewhere in the config is not its concern', () => {
    const text = lines(
      'version: 1',
      'environments:',
      '  prod: { target: { provider: kinde, domain: acme.kinde.com, client_id_env: PROD_ID, client_secret_env: PROD_SECRET } }',
      'users: { list: [{ id: u-1, identities: [{ type: email, value: "${env:UNSET}" }], organizations: [{ external_id: nowhere }] }] }',
    );
    expect(parseTarget(text, 'idm.yaml', {}, 'prod')).toEqual({
      environments: ['prod'],
      environment: 'prod',
      target: { kind: 'kinde', domain: 'acme.kinde.com', clientIdVariable: 'PROD_ID', clientSecretVariable: 'PROD_SECRET' },
    });
    expect(() => parseTarget(text.replace('acme.kinde.com', 'http://acme.kinde.com'), 'idm.yaml', {}, 'prod')).toThrow(ConfigError);
  });
});
