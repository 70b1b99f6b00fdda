/**
 * Feature flags, organizations, business and environment: the Desired model they build, and every check on them,
 * each with its exact location, message and hint.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { desired } from '../helpers/model.js';
import { brief, expectRejected, failures, fixture, type BadCase } from './_helpers.js';

const F = 'test/fixtures/config';

/** A config of the given lines, after `version: 1`. */
const yaml = (...lines: string[]): string => ['version: 1', ...lines, ''].join('\n');

describe('parseConfig: flags, organizations, business, environment', () => {
  it('builds the full Desired model: maps in config order, sets, defaults, normalised colours and domains', () => {
    const { text, file } = fixture('full.yaml');
    const config = parseConfig(text, file, {});
    expect(config.warnings).toEqual([]);
    expect(config.desired).toEqual(
      desired({
        permissions: [{ key: 'read:invoices', name: 'Read invoices' }],
        roles: [{ key: 'viewer', name: 'Viewer', permissions: ['read:invoices'] }],
        featureFlags: [
          { key: 'new_checkout', name: 'New checkout', description: 'The redesigned checkout', type: 'bool', defaultValue: false, overrideLevel: 'org' },
          { key: 'export_limit', name: 'Export row limit', description: '', type: 'int', defaultValue: 1000, overrideLevel: 'usr' },
          { key: 'theme', name: 'Theme', description: '', type: 'str', defaultValue: 'classic', overrideLevel: 'env' },
          { key: 'beta_banner', name: 'Beta banner', description: '', type: 'bool', defaultValue: true, overrideLevel: 'env' },
        ],
        organizations: [
          {
            externalId: 'acme',
            name: 'Acme Corp',
            handle: 'acme-corp',
            colors: { background_color: '#ffffff', button_color: '#0056f1', link_color_dark: '#a1b2c3' },
            policies: {
              autoMembership: true,
              allowedDomains: new Set(['acme.com', 'acme-labs.co.uk', 'xn--mnchen-3ya.de']),
              autoJoinDomains: true,
              enforceMfa: false,
            },
            mfa: { factors: new Set(['mfa:authenticator_app', 'mfa:email'] as const), recoveryCodes: true },
            passkey: { policy: 'optional', overrideEnvironment: true },
            featureFlags: new Map<string, boolean | number>([
              ['new_checkout', true],
              ['export_limit', 5000],
            ]),
          },
          {
            externalId: 'globex',
            name: 'Globex',
            mfa: { factors: new Set(['mfa:sms'] as const) },
            passkey: { policy: 'mandatory', overrideEnvironment: false },
            featureFlags: new Map(),
          },
        ],
        business: { name: 'Acme Projects', policyAcceptance: true, termsUrl: 'https://acme.example/terms', privacyUrl: null },
        environment: {
          tracking: { google_analytics: 'G-1A2B3C4D5E', hotjar_site_id: '1234567', contentsquare: null },
          featureFlags: new Map<string, string | number | boolean>([
            ['beta_banner', false],
            ['theme', 'modern'],
            ['export_limit', 250],
          ]),
          mfa: { policy: 'optional', factors: new Set(['mfa:authenticator_app'] as const), recoveryCodes: true },
          passkey: { policy: 'off' },
        },
        prune: { permissions: true, organizations: true, feature_flags: true },
      }),
    );
    expect([...config.desired.featureFlags.keys()]).toEqual(['new_checkout', 'export_limit', 'theme', 'beta_banner']);
    expect([...config.desired.organizations.keys()]).toEqual(['acme', 'globex']);
    expect([...config.desired.organizations.get('acme')!.policies.allowedDomains!]).toEqual(['acme.com', 'acme-labs.co.uk', 'xn--mnchen-3ya.de']);
  });

  it('leaves what the config leaves out absent: not managed', () => {
    const { desired: d } = parseConfig(yaml('organizations:', '  - { external_id: acme, name: Acme, policies: { auto_membership: false } }'), 'idm.yaml', {});
    const acme = d.organizations.get('acme')!;
    expect(acme).toEqual({ externalId: 'acme', name: 'Acme', colors: {}, policies: { autoMembership: false } });
    expect(acme.policies.enforceMfa).toBeUndefined();
    for (const field of ['enforceMfa', 'autoJoinDomains', 'allowedDomains']) expect(field in acme.policies, field).toBe(false);
    for (const field of ['handle', 'mfa', 'passkey', 'featureFlags']) expect(field in acme, field).toBe(false);
    expect('business' in d).toBe(false);
    expect('environment' in d).toBe(false);
    expect(d.prune).toEqual({ permissions: false, roles: false, organizations: false, feature_flags: false, users: false, identities: false });
    expect(d.users).toEqual(new Map());
    expect(d.usersMode).toBe('seed');
  });

  it('reads an empty environment block as managed but empty; an empty business block likewise', () => {
    const { desired: d } = parseConfig(yaml('business: {}', 'environment: {}'), 'idm.yaml', {});
    expect(d.business).toEqual({});
    expect(d.environment).toEqual({ tracking: {}, featureFlags: new Map() });
    expect('mfa' in d.environment!).toBe(false);
  });

  it('leaves a business field out when not written, and keeps null (clear the link)', () => {
    const { desired: d } = parseConfig(yaml('business: { terms_url: null }'), 'idm.yaml', {});
    expect(d.business).toEqual({ termsUrl: null });
    expect('privacyUrl' in d.business!).toBe(false);
  });

  it('accepts flag values of every type, values from the environment for str flags, and YAML 1.2 "off" as text', () => {
    const config = parseConfig(
      yaml(
        'feature_flags:',
        '  - { key: motd, name: Message, type: str, default: "${env:MOTD}", override_level: org }',
        '  - { key: limit, name: Limit, type: int, default: -3 }',
        'organizations:',
        '  - { external_id: a, name: A, feature_flags: { motd: "" }, passkey: { policy: off } }',
        'environment: { feature_flags: { limit: 1.0e3 } }',
      ),
      'idm.yaml',
      { MOTD: 'hello' },
    );
    expect(config.desired.featureFlags.get('motd')!.defaultValue).toBe('hello');
    expect(config.desired.featureFlags.get('limit')!.defaultValue).toBe(-3);
    expect(config.desired.organizations.get('a')!.passkey).toEqual({ policy: 'off', overrideEnvironment: true });
    expect(config.desired.environment!.featureFlags.get('limit')).toBe(1000);
  });

  it('warns about repeats in sets and tracking IDs of an unexpected form, and still loads', () => {
    const config = parseConfig(
      yaml(
        'organizations:',
        '  - external_id: acme',
        '    name: Acme',
        '    policies:',
        '      allowed_domains:',
        '        - acme.com',
        '        - ACME.com',
        '    mfa: { factors: [mfa:sms, mfa:email, mfa:sms] }',
        'environment:',
        '  tracking: { google_analytics: UA-12345-1, hotjar_site_id: hj-1, contentsquare: anything }',
        '  mfa: { policy: optional, factors: [mfa:email, mfa:email] }',
      ),
      'idm.yaml',
      {},
    );
    expect(config.warnings.map(brief)).toEqual([
      'DUPLICATE_DOMAIN idm.yaml:8:11 organization "acme" lists allowed domain "ACME.com" twice; the first is at line 7',
      'DUPLICATE_MFA_FACTOR idm.yaml:9:42 organization "acme" lists MFA factor "mfa:sms" twice; the first is at line 9',
      'TRACKING_ID_FORMAT idm.yaml:11:33 "google_analytics" of "tracking" of "environment" does not look like a Google Analytics 4 measurement ID: string "UA-12345-1"',
      'TRACKING_ID_FORMAT idm.yaml:11:61 "hotjar_site_id" of "tracking" of "environment" does not look like a Hotjar site ID: string "hj-1"',
      'DUPLICATE_MFA_FACTOR idm.yaml:12:49 the environment lists MFA factor "mfa:email" twice; the first is at line 12',
    ]);
    expect(config.warnings.map((w) => w.hint)).toEqual([
      'remove the repeat: allowed domains are a set, compared without regard to case',
      'remove the repeat: the factors are a set',
      'a measurement ID is "G-" and upper-case letters and digits, e.g. G-1A2B3C4D5E (Google Analytics: Admin > Data streams)',
      'a Hotjar site ID is digits only, written in quotes, e.g. "1234567" (Hotjar: Sites & Organizations)',
      'remove the repeat: the factors are a set',
    ]);
    expect(config.desired.organizations.get('acme')!.policies.allowedDomains).toEqual(new Set(['acme.com']));
    expect(config.desired.organizations.get('acme')!.mfa!.factors).toEqual(new Set(['mfa:sms', 'mfa:email']));
  });
});

const flags = [
  'feature_flags:',
  '  - { key: new_checkout, name: New checkout, type: bool, default: false, override_level: org }', // line 3
  '  - { key: export_limit, name: Export limit, type: int, default: 100, override_level: usr }', // line 4
  '  - { key: theme, name: Theme, type: str, default: classic }', // line 5
  '  - key: beta_banner', // line 6
  '    name: Beta banner',
  '    type: bool',
  '    default: true',
  '    override_level: env', // line 10
];

const badCases: readonly BadCase[] = [
  {
    name: 'a dot in a flag key, which would make its feature_flags.<key> path ambiguous',
    text: yaml('feature_flags:', '  - { key: new.checkout, name: New checkout, type: bool, default: false }'),
    expected: ['SCHEMA_INVALID_KEY idm.yaml:3:12 feature flag key "new.checkout" contains a dot'],
    hints: ['use "_" or "-" instead, e.g. "new_checkout"'],
  },
  {
    name: 'duplicate flag keys and external ids: an error at the second, naming the first\'s line',
    fixture: 'duplicate-sections.yaml',
    expected: [
      `DUPLICATE_FEATURE_FLAG ${F}/duplicate-sections.yaml:5:12 duplicate feature flag key "new_checkout": it is already declared at line 3`,
      `DUPLICATE_ORGANIZATION ${F}/duplicate-sections.yaml:10:18 duplicate organization external_id "acme": it is already declared at line 7`,
    ],
    hints: [
      'a key identifies one feature flag: remove one of the two, or give this one another key',
      'an external_id identifies one organization: remove one of the two, or give this one another external_id',
    ],
  },
  {
    name: 'unknown flags set by an organization (with a suggestion) and by the environment',
    text: yaml(...flags, 'organizations:', '  - { external_id: acme, name: Acme, feature_flags: { new_chekout: true } }', 'environment:', '  feature_flags: { dark_mode: true }'),
    expected: [
      'UNKNOWN_FEATURE_FLAG idm.yaml:12:55 organization "acme" sets unknown feature flag "new_chekout"',
      'UNKNOWN_FEATURE_FLAG idm.yaml:14:20 the environment sets unknown feature flag "dark_mode"',
    ],
    hints: [
      'did you mean "new_checkout"? If not, declare the flag under feature_flags:',
      'declare it under feature_flags:, e.g. - { key: dark_mode, name: ..., type: bool, default: false }',
    ],
  },
  {
    name: 'a flag set when no flags are declared at all',
    text: yaml('environment: { feature_flags: { beta_banner: false } }'),
    expected: ['UNKNOWN_FEATURE_FLAG idm.yaml:2:33 the environment sets unknown feature flag "beta_banner"'],
  },
  {
    name: 'defaults that do not match the flag type',
    text: yaml(
      'feature_flags:',
      '  - { key: a, name: A, type: bool, default: "yes" }',
      '  - { key: b, name: B, type: int, default: 2.5 }',
      '  - { key: c, name: C, type: int, default: "10" }',
      '  - { key: d, name: D, type: str, default: 42 }',
      '  - { key: e, name: E, type: bool, default: [true] }',
    ),
    expected: [
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:3:45 feature flag "a" has type bool, so its default must be a boolean, got string "yes"',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:4:44 feature flag "b" has type int, so its default must be a whole number, got number 2.5',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:5:44 feature flag "c" has type int, so its default must be a whole number, got string "10"',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:6:44 feature flag "d" has type str, so its default must be a string, got number 42',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:7:45 feature flag "e" has type bool, so its default must be a boolean, got a list',
    ],
    hints: [
      'write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)',
      'write a whole number, e.g. 2',
      'write the number without quotes: 10',
      'put the value in quotes to make it text: "42"',
      'write true or false',
    ],
  },
  {
    name: 'flag values of the wrong type in an organization and the environment: the type and the line it is declared at',
    text: yaml(
      ...flags,
      'organizations:',
      '  - external_id: acme',
      '    name: Acme',
      '    feature_flags: { new_checkout: "true", export_limit: many }',
      'environment:',
      '  feature_flags:',
      '    theme: 3',
      '    beta_banner: null',
    ),
    expected: [
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:14:36 feature flag "new_checkout" has type bool (declared at line 3), so its value in organization "acme" must be a boolean, got string "true"',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:14:58 feature flag "export_limit" has type int (declared at line 4), so its value in organization "acme" must be a whole number, got string "many"',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:17:12 feature flag "theme" has type str (declared at line 5), so its value in the environment must be a string, got number 3',
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:18:18 feature flag "beta_banner" has type bool (declared at line 6), so its value in the environment must be a boolean, got null (an empty value)',
    ],
    hints: ['write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)', 'write a whole number, e.g. 10', 'put the value in quotes to make it text: "3"', 'write a value after the colon'],
  },
  {
    name: 'an organization overriding flags that only the environment may set (written, and by default)',
    text: yaml(...flags, 'organizations:', '  - external_id: acme', '    name: Acme', '    feature_flags:', '      beta_banner: false', '      theme: dark', '      export_limit: 5'),
    expected: [
      'FEATURE_FLAG_OVERRIDE_LEVEL idm.yaml:15:7 organization "acme" overrides feature flag "beta_banner", which only the environment may set (override_level: env at line 10)',
      'FEATURE_FLAG_OVERRIDE_LEVEL idm.yaml:16:7 organization "acme" overrides feature flag "theme", which only the environment may set (override_level defaults to env; the flag is declared at line 5)',
    ],
    hints: [
      'to let organizations set it, write override_level: org on the flag (line 6); or remove this line',
      'to let organizations set it, write override_level: org on the flag (line 5); or remove this line',
    ],
  },
  {
    name: 'flag types and levels that are not among the choices, and a missing default',
    text: yaml('feature_flags:', '  - { key: a, name: A, type: boolean, default: true, override_level: user }', '  - { key: b, name: B, type: int }'),
    expected: [
      'SCHEMA_INVALID_CHOICE idm.yaml:3:30 "type" of feature flag "a" must be one of str, int, bool, got string "boolean"',
      'SCHEMA_INVALID_CHOICE idm.yaml:3:70 "override_level" of feature flag "a" must be one of env, org, usr, got string "user"',
      'SCHEMA_MISSING_FIELD idm.yaml:4:5 feature flag "b" is missing required field "default"',
    ],
    hints: [
      'did you mean "bool"?',
      'did you mean "usr"?',
      'add "default: ..." (the value wherever no environment or organization sets another; must match `type`: text for str, a whole number for int, true or false for bool)',
    ],
  },
  {
    name: 'a flag with a broken key: values of unknown flags are not reported (they might be that flag)',
    text: yaml('feature_flags:', '  - { key: "", name: A, type: bool, default: true }', 'environment: { feature_flags: { a: true } }'),
    expected: ['SCHEMA_EMPTY_VALUE idm.yaml:3:12 "key" of feature flag #1 must not be empty'],
  },
  {
    name: 'allowed domains that are not plain domain names',
    text: yaml(
      'organizations:',
      '  - external_id: acme',
      '    name: Acme',
      '    policies:',
      '      allowed_domains:',
      '        - https://acme.com/',
      '        - "*.acme.com"',
      '        - jane@acme.com',
      '        - acme.com/signup',
      '        - acme.com:443',
      '        - intranet',
      '        - acme.com.',
      '        - münchen.de',
      '        - -acme.com',
    ),
    expected: [
      'SCHEMA_INVALID_DOMAIN idm.yaml:7:11 allowed domain "https://acme.com/" of organization "acme" is not a valid domain name: it starts with "https://"',
      'SCHEMA_INVALID_DOMAIN idm.yaml:8:11 allowed domain "*.acme.com" of organization "acme" is not a valid domain name: wildcards are not supported',
      'SCHEMA_INVALID_DOMAIN idm.yaml:9:11 allowed domain "jane@acme.com" of organization "acme" is not a valid domain name: it looks like an email address',
      'SCHEMA_INVALID_DOMAIN idm.yaml:10:11 allowed domain "acme.com/signup" of organization "acme" is not a valid domain name: it has a path',
      'SCHEMA_INVALID_DOMAIN idm.yaml:11:11 allowed domain "acme.com:443" of organization "acme" is not a valid domain name: it has a port',
      'SCHEMA_INVALID_DOMAIN idm.yaml:12:11 allowed domain "intranet" of organization "acme" is not a valid domain name: it has no dot',
      'SCHEMA_INVALID_DOMAIN idm.yaml:13:11 allowed domain "acme.com." of organization "acme" is not a valid domain name: it ends with a dot',
      'SCHEMA_INVALID_DOMAIN idm.yaml:14:11 allowed domain "münchen.de" of organization "acme" is not a valid domain name: it has non-ASCII characters',
      'SCHEMA_INVALID_DOMAIN idm.yaml:15:11 allowed domain "-acme.com" of organization "acme" is not a valid domain name: each dot-separated part must be letters, digits and hyphens, not starting or ending with a hyphen, and the last part cannot be a number',
    ],
    hints: [
      'write the domain name only: "acme.com"',
      'write the domain name only: "acme.com", and list each subdomain separately',
      'write the domain name only: "acme.com"',
      'write the domain name only: "acme.com"',
      'write the domain name only: "acme.com"',
      'write the domain name only, e.g. "acme.com"',
      'write the domain name only: "acme.com"',
      'write an internationalised domain in its ASCII (punycode) form, which starts with xn--',
      'write the domain name only, e.g. "acme.com"',
    ],
  },
  {
    name: 'auto_join_domains without allowed domains (absent, or an empty list)',
    text: yaml(
      'organizations:',
      '  - { external_id: a, name: A, policies: { auto_join_domains: true } }',
      '  - { external_id: b, name: B, policies: { auto_join_domains: true, allowed_domains: [] } }',
      '  - { external_id: c, name: C, policies: { auto_join_domains: false } }',
    ),
    expected: [
      'AUTO_JOIN_WITHOUT_DOMAINS idm.yaml:3:63 organization "a" sets auto_join_domains: true but lists no allowed_domains',
      'AUTO_JOIN_WITHOUT_DOMAINS idm.yaml:4:63 organization "b" sets auto_join_domains: true but its allowed_domains list is empty',
    ],
    hints: [
      'list the domains whose users may join under policies, e.g. allowed_domains: [acme.com]; or set auto_join_domains: false',
      'list the domains whose users may join under policies, e.g. allowed_domains: [acme.com]; or set auto_join_domains: false',
    ],
  },
  {
    name: 'colours that are not #rgb or #rrggbb, and one that YAML read as a comment',
    text: yaml(
      'organizations:',
      '  - external_id: acme',
      '    name: Acme',
      '    colors:',
      '      background_color: white',
      '      button_color: "0056F1"',
      '      link_color: "#0056F1CC"',
      '      button_text_color: "#12"',
      '      link_color_dark: #1F2937',
      '      accent_color: "#000"',
    ),
    expected: [
      'SCHEMA_INVALID_COLOR idm.yaml:6:25 "background_color" of "colors" of organization "acme" ("white") must be a hex colour, #rgb or #rrggbb',
      'SCHEMA_INVALID_COLOR idm.yaml:7:21 "button_color" of "colors" of organization "acme" ("0056F1") must be a hex colour, #rgb or #rrggbb',
      'SCHEMA_INVALID_COLOR idm.yaml:8:19 "link_color" of "colors" of organization "acme" ("#0056F1CC") must be a hex colour, #rgb or #rrggbb',
      'SCHEMA_INVALID_COLOR idm.yaml:9:26 "button_text_color" of "colors" of organization "acme" ("#12") must be a hex colour, #rgb or #rrggbb',
      'SCHEMA_WRONG_TYPE idm.yaml:10:7 "link_color_dark" of "colors" of organization "acme" must be a string, got null (an empty value)',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:11:7 unknown field "accent_color" in "colors" of organization "acme"',
    ],
    hints: [
      'write it in quotes, e.g. "#0056f1" (without quotes, a # after a space starts a YAML comment)',
      'add the # and quotes: "#0056F1"',
      'colours with transparency are not supported: drop the last (alpha) digits',
      'after the #, write 3 or 6 hex digits (0-9, a-f), e.g. "#0056f1"',
      'put the colour in quotes: link_color_dark: "#1F2937" (without them, YAML reads " #" as the start of a comment and the value as empty)',
      'the fields allowed here are: background_color, button_color, button_text_color, link_color, background_color_dark, button_color_dark, button_text_color_dark, link_color_dark',
    ],
  },
  {
    name: 'an unquoted colour inside { }: the comment swallows the closing brace',
    text: yaml('organizations:', '  - external_id: acme', '    name: Acme', '    colors: { button_color: #0056F1 }'),
    expected: ['YAML_SYNTAX idm.yaml:6:1 invalid YAML: flow map in block collection must be sufficiently indented and end with a }'],
    hints: ['put the colour on line 5 in quotes: button_color: "#0056F1" (a # after a space starts a YAML comment, even inside { })'],
  },
  {
    name: 'business links that are not https URLs',
    text: yaml('business:', '  terms_url: http://acme.com/terms', '  privacy_url: acme.com/privacy'),
    expected: [
      'SCHEMA_INVALID_URL idm.yaml:3:14 "terms_url" of "business" ("http://acme.com/terms") must be an https:// URL',
      'SCHEMA_INVALID_URL idm.yaml:4:16 "privacy_url" of "business" ("acme.com/privacy") must be an https:// URL',
    ],
    hints: ['use https: "https://acme.com/terms"; Kinde shows the link on its sign-up page', 'add the scheme: "https://acme.com/privacy"'],
  },
  {
    name: 'an empty link, and a link of the wrong type',
    text: yaml('business: { terms_url: "", privacy_url: 42 }'),
    expected: [
      'SCHEMA_INVALID_URL idm.yaml:2:24 "terms_url" of "business" ("") must be an https:// URL',
      'SCHEMA_WRONG_TYPE idm.yaml:2:41 "privacy_url" of "business" must be a string or null, got number 42',
    ],
    hints: ['write null to remove the link, or an https:// URL', 'put the value in quotes to make it text: "42"'],
  },
  {
    name: 'handles that are not lower-case letters, digits and hyphens',
    text: yaml('organizations:', '  - { external_id: a, name: A, handle: Acme Corp }', '  - { external_id: b, name: B, handle: "acme_labs!" }'),
    expected: [
      'SCHEMA_INVALID_HANDLE idm.yaml:3:40 "handle" of organization "a" ("Acme Corp") may contain only lower-case letters, digits and hyphens',
      'SCHEMA_INVALID_HANDLE idm.yaml:4:40 "handle" of organization "b" ("acme_labs!") may contain only lower-case letters, digits and hyphens',
    ],
    hints: [
      'write the handle in lower case, with hyphens instead of spaces or other characters, e.g. "acme-corp"',
      'write the handle in lower case, with hyphens instead of spaces or other characters, e.g. "acme-labs"',
    ],
  },
  {
    name: 'MFA and passkey settings: factors, policies, and an empty factor list',
    text: yaml(
      'organizations:',
      '  - external_id: acme',
      '    name: Acme',
      '    mfa: { factors: [email, mfa:totp] }',
      '    passkey: { policy: required }',
      '  - { external_id: b, name: B, mfa: { factors: [] }, passkey: {} }',
      'environment:',
      '  mfa: { policy: mandatory, factors: [mfa:sms] }',
      '  passkey: { policy: on }',
    ),
    expected: [
      'SCHEMA_INVALID_CHOICE idm.yaml:5:22 item 1 of "factors" of "mfa" of organization "acme" must be one of mfa:email, mfa:sms, mfa:authenticator_app, got string "email"',
      'SCHEMA_INVALID_CHOICE idm.yaml:5:29 item 2 of "factors" of "mfa" of organization "acme" must be one of mfa:email, mfa:sms, mfa:authenticator_app, got string "mfa:totp"',
      'SCHEMA_INVALID_CHOICE idm.yaml:6:24 "policy" of "passkey" of organization "acme" must be one of off, optional, mandatory, got string "required"',
      'SCHEMA_EMPTY_VALUE idm.yaml:7:48 "factors" of "mfa" of organization "b" must not be empty',
      'SCHEMA_MISSING_FIELD idm.yaml:7:63 "passkey" of organization "b" is missing required field "policy"',
      'SCHEMA_INVALID_CHOICE idm.yaml:9:18 "policy" of "mfa" of "environment" must be one of required, off, optional, got string "mandatory"',
      'SCHEMA_INVALID_CHOICE idm.yaml:10:22 "policy" of "passkey" of "environment" must be one of off, optional, mandatory, got string "on"',
    ],
    hints: [
      'did you mean "mfa:email"?',
      'write one of: mfa:email, mfa:sms, mfa:authenticator_app',
      'did you mean "mandatory"?',
      'list at least one of: mfa:email, mfa:sms, mfa:authenticator_app; or remove "mfa" to leave it alone',
      'add "policy: ..." (off, optional or mandatory)',
      'did you mean "required"?',
      'did you mean "mandatory"?',
    ],
  },
  {
    name: 'environment MFA needs factors even with the policy off',
    text: yaml('environment: { mfa: { policy: off } }'),
    expected: ['SCHEMA_MISSING_FIELD idm.yaml:2:21 "mfa" of "environment" is missing required field "factors"'],
    hints: [
      'add "factors: ..." (the factors users may use, at least one: mfa:email, mfa:sms, mfa:authenticator_app. Needed even with policy off: Kinde sets the policy and the factors together. A set: order does not matter)',
    ],
  },
  {
    name: 'tracking IDs: empty, and a number where an ID is text',
    text: yaml('environment:', '  tracking: { google_analytics: "", hotjar_site_id: 1234567 }'),
    expected: [
      'SCHEMA_EMPTY_VALUE idm.yaml:3:33 "google_analytics" of "tracking" of "environment" must not be empty',
      'SCHEMA_WRONG_TYPE idm.yaml:3:53 "hotjar_site_id" of "tracking" of "environment" must be a string or null, got number 1234567',
    ],
    hints: ['write null for "none", or remove the line to leave the value alone', 'put the value in quotes to make it text: "1234567"'],
  },
  {
    name: 'unknown fields in the new sections, with suggestions',
    text: yaml(
      'feature_flags:',
      '  - { key: a, name: A, type: bool, default: true, overide_level: org }',
      'organizations:',
      '  - { external_id: acme, name: Acme, policies: { enforce_mfa: true, auto_join: true } }',
      'business: { policy_acceptence: true }',
      'environment: { tracking: { google_analytic: G-1 } }',
    ),
    expected: [
      'SCHEMA_UNKNOWN_FIELD idm.yaml:3:51 unknown field "overide_level" in feature flag "a"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:5:69 unknown field "auto_join" in "policies" of organization "acme"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:6:13 unknown field "policy_acceptence" in "business"',
      'SCHEMA_UNKNOWN_FIELD idm.yaml:7:28 unknown field "google_analytic" in "tracking" of "environment"',
    ],
    hints: ['did you mean "override_level"?', 'the fields allowed here are: auto_membership, allowed_domains, auto_join_domains, enforce_mfa', 'did you mean "policy_acceptance"?', 'did you mean "google_analytics"?'],
  },
  {
    name: 'values from the environment are never quoted, in errors and in hints',
    text: yaml(
      'feature_flags:',
      '  - { key: enabled, name: On, type: bool, default: "${env:FLAG}" }',
      'organizations:',
      '  - external_id: acme',
      '    name: Acme',
      '    handle: "${env:HANDLE}"',
      '    colors: { link_color: "${env:COLOR}" }',
      '    policies: { allowed_domains: ["${env:DOMAIN}"] }',
      'business: { terms_url: "${env:TERMS}" }',
    ),
    env: { FLAG: 'yes-please', HANDLE: 'Secret Handle', COLOR: 'c0ffee', DOMAIN: 'https://secret.example', TERMS: 'http://secret.example' },
    expected: [
      'FEATURE_FLAG_VALUE_TYPE idm.yaml:3:52 feature flag "enabled" has type bool, so its default must be a boolean, got a string from ${env:FLAG}',
      'SCHEMA_INVALID_HANDLE idm.yaml:7:13 "handle" of organization "acme" (a string from ${env:HANDLE}) may contain only lower-case letters, digits and hyphens',
      'SCHEMA_INVALID_COLOR idm.yaml:8:27 "link_color" of "colors" of organization "acme" (a string from ${env:COLOR}) must be a hex colour, #rgb or #rrggbb',
      'SCHEMA_INVALID_DOMAIN idm.yaml:9:35 allowed domain from ${env:DOMAIN} of organization "acme" is not a valid domain name: it starts with a scheme such as https://',
      'SCHEMA_INVALID_URL idm.yaml:10:24 "terms_url" of "business" (a string from ${env:TERMS}) must be an https:// URL',
    ],
    hints: [
      'a value from ${env:...} is always a string; write true or false here',
      'write the handle in lower case, with hyphens instead of spaces or other characters, e.g. "acme-corp"',
      'add a # before the hex digits',
      'write the domain name only, e.g. "acme.com"',
      'use https://; Kinde shows the link on its sign-up page',
    ],
  },
];

describe('parseConfig: invalid flags, organizations, business, environment', () => {
  it.each(badCases)('$name', (c) => {
    expectRejected(c);
  });

  it('never puts a value from the environment in any message or hint', () => {
    const c = badCases.find((b) => b.env)!;
    const found = failures(c.text!, 'idm.yaml', c.env);
    for (const secret of Object.values(c.env!)) {
      for (const d of found) expect(`${d.message} ${d.hint ?? ''}`, brief(d)).not.toContain(secret);
    }
  });
});
