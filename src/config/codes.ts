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
  /** `${var:name}`: only meaningful inside environments, which are not supported yet. */
  VarUnsupported: 'VAR_UNSUPPORTED',
  /** A malformed `${...}`: unterminated, no source, or an invalid name. */
  VarSyntax: 'VAR_SYNTAX',

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
} as const;

export type ConfigCode = (typeof ConfigCode)[keyof typeof ConfigCode];
