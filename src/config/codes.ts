/**
 * The codes of every diagnostic the config loader emits. Stable: tests, docs and users' scripts may match on them.
 */
export const ConfigCode = {
  /** The config file does not exist. */
  NotFound: 'CONFIG_NOT_FOUND',
  /** The config file exists but cannot be read (a directory, no permission, ...). */
  Unreadable: 'CONFIG_UNREADABLE',
  /** The file holds no YAML document at all (empty, or comments only). */
  Empty: 'CONFIG_EMPTY',

  /** The YAML parser rejected the text. */
  YamlSyntax: 'YAML_SYNTAX',
  /** The same key twice in one mapping. */
  YamlDuplicateKey: 'YAML_DUPLICATE_KEY',
  /** An alias (`*name`) with no anchor (`&name`) before it. */
  YamlUnknownAlias: 'YAML_UNKNOWN_ALIAS',
  /** An alias used inside the value it refers to. */
  YamlAliasCycle: 'YAML_ALIAS_CYCLE',
  /** Aliases expand the document beyond the size limit (an "alias bomb"). */
  YamlAliasLimit: 'YAML_ALIAS_LIMIT',
  /** Warning: an anchor name defined twice. */
  YamlDuplicateAnchor: 'YAML_DUPLICATE_ANCHOR',
  /** Warning: something the YAML parser accepted but flagged (an unknown tag, ...). */
  YamlWarning: 'YAML_WARNING',

  /** `${env:NAME}` names a variable that is not set. */
  VarUnset: 'VAR_UNSET',
  /** `${source:name}` with a source other than `env`. */
  VarUnknownSource: 'VAR_UNKNOWN_SOURCE',
  /** `${var:name}` in a config that declares no environments, or inside `target:`/`environments:`. */
  VarUnsupported: 'VAR_UNSUPPORTED',
  /** `${var:name}` names a var the chosen environment does not set. */
  VarUndefined: 'VAR_UNDEFINED',
  /** A malformed `${...}`: unterminated, no source, or an invalid name. */
  VarSyntax: 'VAR_SYNTAX',

  /** An environment name that cannot name a directory of the local target's state, or is the reserved `all`. */
  EnvironmentName: 'ENVIRONMENT_NAME',
  /** An environment's overlay file does not exist or cannot be read. */
  OverlayUnreadable: 'OVERLAY_UNREADABLE',
  /** An overlay that is not a mapping, or sets a field only the base config may set (`environments`, `target`). */
  OverlayField: 'OVERLAY_FIELD',
  /** Warning: seed users of the base config left out of a production environment. */
  ProductionUsers: 'PRODUCTION_USERS',
  /** A target whose fields do not fit together (a remote Kinde target with no domain, a local one with a URL, ...). */
  TargetInvalid: 'TARGET_INVALID',

  /** A field the schema does not define. */
  UnknownField: 'SCHEMA_UNKNOWN_FIELD',
  /** A required field is absent. */
  MissingField: 'SCHEMA_MISSING_FIELD',
  /** A value of the wrong type. */
  WrongType: 'SCHEMA_WRONG_TYPE',
  /** `version` is not 1. */
  UnsupportedVersion: 'SCHEMA_VERSION',
  /** A key with whitespace or control characters. */
  InvalidKey: 'SCHEMA_INVALID_KEY',
  /** An empty string where a value is needed. */
  EmptyValue: 'SCHEMA_EMPTY_VALUE',
  /** A string longer than the schema allows. */
  TooLong: 'SCHEMA_TOO_LONG',
  /** A value that is not one of the choices the schema lists (a flag `type`, an MFA policy, ...). */
  InvalidChoice: 'SCHEMA_INVALID_CHOICE',
  /** An organization handle with characters other than lower-case letters, digits and hyphens. */
  InvalidHandle: 'SCHEMA_INVALID_HANDLE',
  /** A colour that is not `#rgb` or `#rrggbb`. */
  InvalidColor: 'SCHEMA_INVALID_COLOR',
  /** An allowed domain that is not a plain DNS name (a scheme, a path, a wildcard, ...). */
  InvalidDomain: 'SCHEMA_INVALID_DOMAIN',
  /** A link that is not an `https://` URL. */
  InvalidUrl: 'SCHEMA_INVALID_URL',
  /** Any other schema violation. */
  SchemaInvalid: 'SCHEMA_INVALID',

  /** Two permissions with the same key. */
  DuplicatePermission: 'DUPLICATE_PERMISSION',
  /** Two roles with the same key. */
  DuplicateRole: 'DUPLICATE_ROLE',
  /** A role lists a permission key that is not declared under `permissions:`. */
  UnknownPermission: 'UNKNOWN_PERMISSION',
  /** Warning: a permission key not in `action:area` form. */
  PermissionKeyConvention: 'PERMISSION_KEY_CONVENTION',
  /** Warning: a role lists the same permission twice. */
  DuplicateRolePermission: 'DUPLICATE_ROLE_PERMISSION',

  /** Two feature flags with the same key. */
  DuplicateFeatureFlag: 'DUPLICATE_FEATURE_FLAG',
  /** An organization or the environment sets a flag that is not declared under `feature_flags:`. */
  UnknownFeatureFlag: 'UNKNOWN_FEATURE_FLAG',
  /** A flag value (a default or an override) that does not match the flag's `type`. */
  FeatureFlagValueType: 'FEATURE_FLAG_VALUE_TYPE',
  /** An organization overrides a flag whose `override_level` does not allow organization overrides. */
  FeatureFlagOverrideLevel: 'FEATURE_FLAG_OVERRIDE_LEVEL',

  /** A user lists an organization that is not declared under `organizations:`. */
  UnknownOrganization: 'UNKNOWN_ORGANIZATION',
  /** A user is given a role in an organization, and the role is not declared under `roles:`. */
  UnknownRole: 'UNKNOWN_ROLE',
  /** Two users with the same key (provided id, else primary email). */
  DuplicateUser: 'DUPLICATE_USER',
  /** The same identity twice in one user, or an email or username that two users claim. */
  DuplicateIdentity: 'DUPLICATE_IDENTITY',
  /** A user lists the same organization twice. */
  DuplicateMembership: 'DUPLICATE_MEMBERSHIP',
  /** A user with neither a provided id nor an email identity: idm could not match it with the tenant's. */
  UserNoKey: 'USER_NO_KEY',
  /** A user from a users file with no identity. (In the YAML, the schema reports it.) */
  UserNoIdentity: 'USER_NO_IDENTITY',
  /** A user from a users file in no organization, with no default_organization to fall back on. */
  UserNoOrganization: 'USER_NO_ORGANIZATION',
  /** Rows of a Kinde CSV merged into one user disagree about a value (a name, a password, ...). */
  UserConflict: 'USER_CONFLICT',
  /** An email identity that is not an email address. */
  InvalidEmail: 'INVALID_EMAIL',
  /** A phone identity not in E.164 form (+ and the country code, then digits). */
  InvalidPhone: 'INVALID_PHONE',
  /** A username with whitespace or control characters. */
  InvalidUsername: 'INVALID_USERNAME',
  /** An identity of the wrong kind for its fields: a connection_id on an email, phone or username identity. */
  InvalidIdentity: 'INVALID_IDENTITY',
  /** More than one identity of a type marked primary. */
  MultiplePrimary: 'MULTIPLE_PRIMARY_IDENTITIES',
  /** An enterprise identity beside other identities, which Kinde does not allow. */
  EnterpriseNotAlone: 'ENTERPRISE_IDENTITY_NOT_ALONE',
  /** A password with neither `hash` nor `hash_file`, or with both. */
  PasswordNoHash: 'PASSWORD_NO_HASH',
  /** A hash that is not of the form its method produces (a bcrypt hash that is not $2a$..., an md5 that is not 32 hex digits). */
  PasswordHashFormat: 'PASSWORD_HASH_FORMAT',
  /** A salt, salt position or salt format the method does not take, or a salt the method requires that is missing. */
  PasswordSalt: 'PASSWORD_SALT',
  /** A method parameter (variant, iterations, signer_key, salt_separator, rounds, mem_cost, version) missing, out of range or not for this method. */
  PasswordParameter: 'PASSWORD_PARAMETER',
  /** A hash_file that cannot be read or is empty. */
  PasswordHashFile: 'PASSWORD_HASH_FILE',
  /** A hashing algorithm of an import (Auth0's sha1, argon2, ...) that Kinde cannot take. */
  PasswordUnsupported: 'PASSWORD_UNSUPPORTED',
  /** Warning: a password hash written out in the config instead of read from ${env:...} or hash_file. */
  PasswordLiteral: 'PASSWORD_LITERAL',
  /** Warning: `prune.users` in seed mode (it does nothing), or in managed mode with no users (it deletes them all). */
  PruneUsers: 'PRUNE_USERS',

  /** The users file does not exist. */
  UsersFileNotFound: 'USERS_FILE_NOT_FOUND',
  /** The users file exists but cannot be read. */
  UsersFileUnreadable: 'USERS_FILE_UNREADABLE',
  /** The format of the users file cannot be told from its extension and content. */
  UsersFormatUnknown: 'USERS_FORMAT_UNKNOWN',
  /** Warning: a column or field of a users file that idm does not import. */
  UsersFieldIgnored: 'USERS_FIELD_IGNORED',
  /** Warning: invalid users of a users file were skipped (skipInvalid), each reported above. */
  UsersSkipped: 'USERS_SKIPPED',
  /** A line of an NDJSON or JSON users file that is not valid JSON. */
  JsonSyntax: 'JSON_SYNTAX',
  /** A CSV file that breaks RFC 4180: an unclosed quote, text after a closing quote, a row of the wrong length. */
  CsvSyntax: 'CSV_SYNTAX',
  /** The heading row of a CSV file: missing, repeated or without an email, phone or username column. */
  CsvHeader: 'CSV_HEADER',
  /** A CSV cell starting with =, +, -, @ (or a tab or carriage return): a spreadsheet formula, not data. */
  CsvInjection: 'CSV_INJECTION',

  /** Two organizations with the same `external_id`. */
  DuplicateOrganization: 'DUPLICATE_ORGANIZATION',
  /** `auto_join_domains: true` with no `allowed_domains` to join from. */
  AutoJoinWithoutDomains: 'AUTO_JOIN_WITHOUT_DOMAINS',
  /** Warning: an organization lists the same allowed domain twice (compared without case). */
  DuplicateDomain: 'DUPLICATE_DOMAIN',
  /** Warning: an MFA factor listed twice. */
  DuplicateMfaFactor: 'DUPLICATE_MFA_FACTOR',
  /** Warning: a tracking ID that does not look like one of its kind (Google Analytics, Hotjar). */
  TrackingIdFormat: 'TRACKING_ID_FORMAT',

  /** Two Kratos identities with the same match value (`kratos.match`). */
  DuplicateKratosIdentity: 'DUPLICATE_KRATOS_IDENTITY',
  /** A Kratos identity without the trait (or external_id) it is matched on. */
  KratosMatchMissing: 'KRATOS_MATCH_MISSING',
  /** A password hash in no format Kratos imports, or beyond the cost Kratos accepts. */
  KratosHashFormat: 'KRATOS_HASH_FORMAT',
  /** Warning: the same oidc/saml link twice on one identity. */
  DuplicateKratosLink: 'DUPLICATE_KRATOS_LINK',
  DuplicateRecoveryCode: 'DUPLICATE_RECOVERY_CODE',
  /** A verified address that is none of the identity's trait values. */
  KratosAddressUnknown: 'KRATOS_ADDRESS_UNKNOWN',
} as const;

export type ConfigCode = (typeof ConfigCode)[keyof typeof ConfigCode];
