/**
 * Validation against schemas/idm.schema.json (ajv, every error), with each ajv error turned into one located,
 * human diagnostic: what is wrong, where in the file, and what to write instead.
 */
import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { ColorName, FlagType, HashingMethod, Json, JsonObject, MfaFactor, OverrideLevel, PasskeyPolicy, TrackingName, UsersMode } from '../model/desired.js';
import type { ProviderName } from '../model/target.js';
import { schemaPath } from '../util/package-root.js';
import { ConfigCode } from './codes.js';
import { type Describer, entities, valueAt } from './describe.js';
import { dedupe, error, quote } from './diagnostic.js';
import { explainFormat, type FormatName, isFormatName } from './formats.js';
import { closest } from './suggest.js';
import type { ConfigSource, Locator, Path, PathSegment } from './source.js';
import type { Substitutions } from './variables.js';

/** The config as the schema guarantees it (field names as written in YAML). */
export interface RawPermission {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
}
export interface RawRole {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  readonly default?: boolean;
  readonly permissions?: readonly string[];
}
/** A flag value as written; the schema leaves its type to the flag checks, which know the flag's declared type. */
export type RawFlagValue = string | number | boolean;
export interface RawFeatureFlag {
  readonly key: string;
  readonly name: string;
  readonly description?: string;
  readonly type: FlagType;
  readonly default: RawFlagValue;
  readonly override_level?: OverrideLevel;
}
export interface RawMfa {
  readonly factors: readonly MfaFactor[];
  readonly recovery_codes?: boolean;
}
export interface RawOrganization {
  readonly external_id: string;
  readonly name: string;
  readonly handle?: string;
  readonly colors?: Readonly<Partial<Record<ColorName, string>>>;
  readonly policies?: {
    readonly auto_membership?: boolean;
    readonly allowed_domains?: readonly string[];
    readonly auto_join_domains?: boolean;
    readonly enforce_mfa?: boolean;
  };
  readonly mfa?: RawMfa;
  readonly passkey?: { readonly policy: PasskeyPolicy; readonly override_environment?: boolean };
  readonly feature_flags?: Readonly<Record<string, RawFlagValue>>;
  readonly properties?: Readonly<Record<string, string>>;
}
export interface RawBusiness {
  readonly name?: string;
  readonly policy_acceptance?: boolean;
  readonly terms_url?: string | null;
  readonly privacy_url?: string | null;
}
export interface RawEnvironment {
  readonly tracking?: Readonly<Partial<Record<TrackingName, string | null>>>;
  readonly feature_flags?: Readonly<Record<string, RawFlagValue>>;
  readonly mfa?: RawMfa & { readonly policy: 'required' | 'off' | 'optional' };
  readonly passkey?: { readonly policy: PasskeyPolicy };
}
export interface RawIdentity {
  readonly type: string;
  readonly value: string;
  readonly verified?: boolean;
  readonly primary?: boolean;
  readonly connection_id?: string;
}
export interface RawPassword {
  readonly method?: HashingMethod;
  readonly hash?: string;
  readonly hash_file?: string;
  readonly salt?: string;
  readonly salt_position?: 'prefix' | 'suffix';
  readonly salt_format?: 'hex' | 'string';
  readonly iterations?: number;
  readonly variant?: string;
  readonly signer_key?: string;
  readonly salt_separator?: string;
  readonly rounds?: number;
  readonly mem_cost?: number;
  readonly temporary?: boolean;
  readonly version?: number;
}
export interface RawMembership {
  readonly external_id: string;
  readonly roles?: readonly string[];
  readonly permissions?: readonly string[];
}
/** A user as written in `users.list` and in idm NDJSON users files. */
export interface RawUser {
  readonly id?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly suspended?: boolean;
  readonly identities: readonly RawIdentity[];
  readonly password?: RawPassword;
  readonly properties?: Readonly<Record<string, string>>;
  readonly feature_flags?: Readonly<Record<string, RawFlagValue>>;
  readonly organizations: readonly RawMembership[];
}
export interface RawKratosLink {
  readonly provider: string;
  readonly subject: string;
}
/** A Kratos identity as written in `identities:`. */
export interface RawKratosIdentity {
  readonly schema_id?: string;
  readonly external_id?: string;
  readonly state?: 'active' | 'inactive';
  readonly traits: JsonObject;
  readonly metadata_public?: Json;
  readonly metadata_admin?: Json;
  readonly verified_addresses?: readonly string[];
  readonly credentials?: {
    readonly password?: { readonly hash: string; readonly initial?: boolean };
    readonly oidc?: readonly RawKratosLink[];
    readonly saml?: readonly RawKratosLink[];
    readonly totp?: { readonly url: string };
    readonly lookup_secret?: { readonly codes: readonly string[] };
  };
}
export type UsersFileFormat = 'idm' | 'kinde-csv' | 'kinde-ndjson' | 'auth0';
/** `local`, or a provider and its tenant: credentials only by the names of the environment variables holding them. */
export type RawTarget =
  | 'local'
  | {
      readonly provider: ProviderName;
      readonly local?: boolean;
      readonly domain?: string;
      readonly client_id_env?: string;
      readonly client_secret_env?: string;
      readonly admin_url?: string;
      readonly api_key_env?: string;
    };
export interface RawEnvironmentDeclaration {
  readonly target?: RawTarget;
  readonly file?: string;
  readonly vars?: Readonly<Record<string, string | number | boolean>>;
  readonly production?: boolean;
}
export type RawUsersFile = string | { readonly path: string; readonly format?: UsersFileFormat; readonly default_organization?: string };
export interface RawConfig {
  readonly version: 1;
  readonly permissions?: readonly RawPermission[];
  readonly roles?: readonly RawRole[];
  readonly feature_flags?: readonly RawFeatureFlag[];
  readonly organizations?: readonly RawOrganization[];
  readonly business?: RawBusiness;
  readonly environment?: RawEnvironment;
  readonly users?: { readonly mode?: UsersMode; readonly list?: readonly RawUser[] };
  readonly users_file?: RawUsersFile;
  readonly kratos?: { readonly match?: string; readonly schema_id?: string };
  readonly identities?: readonly RawKratosIdentity[];
  readonly prune?: {
    readonly permissions?: boolean;
    readonly roles?: boolean;
    readonly organizations?: boolean;
    readonly feature_flags?: boolean;
    readonly users?: boolean;
    readonly identities?: boolean;
  };
  readonly target?: RawTarget;
  readonly environments?: Readonly<Record<string, RawEnvironmentDeclaration>>;
}

interface SchemaNode {
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly additionalProperties?: boolean | SchemaNode;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

interface CompiledSchema {
  readonly schema: SchemaNode;
  readonly validate: ValidateFunction<RawConfig>;
  /** Validates one user, as written in `users.list` or on a line of an idm NDJSON users file. */
  readonly validateUser: ValidateFunction<RawUser>;
}
let cached: CompiledSchema | undefined;

/** The schema shipped in schemas/idm.schema.json, compiled once. */
export function configSchema(): CompiledSchema {
  if (!cached) {
    const schema = JSON.parse(readFileSync(schemaPath('idm.schema.json'), 'utf8')) as SchemaNode & { $id: string };
    // Union types: `users_file` is a path or { path, format }. Editors read them fine; ajv wants them allowed.
    const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
    const validate = ajv.compile<RawConfig>(schema);
    const validateUser = ajv.getSchema<RawUser>(`${schema.$id}#/$defs/user`);
    if (!validateUser) throw new Error('schemas/idm.schema.json has no $defs/user');
    cached = { schema, validate, validateUser };
  }
  return cached;
}

const articles: Readonly<Record<string, string>> = {
  string: 'a string',
  boolean: 'a boolean',
  array: 'a list',
  object: 'a mapping',
  integer: 'a whole number',
  number: 'a number',
  null: 'null',
};
/** `a string`; for a union as ajv reports it (`string,null`), `a string or null`. */
const article = (type: string): string =>
  type
    .split(',')
    .map((t) => articles[t] ?? t)
    .join(' or ');

/**
 * Choices people write for an enum value, and the one they mean, where edit distance would not find it
 * (`boolean` is far from `bool`; `mandatory` is the passkey word for MFA's `required`).
 */
const choiceAliases: Readonly<Record<string, readonly string[]>> = {
  bool: ['boolean'],
  str: ['string', 'text'],
  int: ['integer', 'number', 'num'],
  env: ['environment'],
  org: ['organization', 'organisation'],
  usr: ['user'],
  required: ['mandatory', 'on'],
  mandatory: ['required', 'on'],
};

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Every schema problem of `data`, located in `source`. Empty when the data is valid. */
export function validateSchema(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): Diagnostic[] {
  const { schema, validate } = configSchema();
  if (validate(data)) return [];
  const mapper = new ErrorMapper(schema, data, source, describe);
  const found: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    const path = toPath(data, e.instancePath);
    // A value whose ${...} could not be resolved is not the real value: judge only its type, which env cannot change.
    const node = source.nodeAt(path);
    if (e.keyword !== 'type' && isScalar(node) && substitutions.unresolved.has(node)) continue;
    const d = mapper.map(e, path);
    if (!d) continue;
    // Another format version: the rest of the file is not in a format this idm knows, so its errors would be noise.
    if (d.code === ConfigCode.UnsupportedVersion && typeof valueAt(data, ['version']) === 'number') return [d];
    found.push(d);
  }
  return dedupe(found);
}

/**
 * Every schema problem of one user read from a users file (a JSON line, so no ${env:...} and no YAML nodes), located
 * by `source`; `describe` names the user at the empty path.
 */
export function validateUserSchema(data: unknown, source: Locator, describe: Describer): Diagnostic[] {
  const { schema, validateUser } = configSchema();
  if (validateUser(data)) return [];
  const mapper = new ErrorMapper({ $ref: '#/$defs/user', $defs: schema.$defs ?? {} }, data, source, describe, 'user');
  const found: Diagnostic[] = [];
  for (const e of validateUser.errors ?? []) {
    const d = mapper.map(e, toPath(data, e.instancePath));
    if (d) found.push(d);
  }
  return dedupe(found);
}

/** A JSON pointer from ajv as a path, with list indexes as numbers. */
export function toPath(data: unknown, pointer: string): Path {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let value = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(value) ? Number(segment) : undefined;
    path.push(index ?? segment);
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

class ErrorMapper {
  constructor(
    private readonly root: SchemaNode,
    private readonly data: unknown,
    private readonly source: Locator,
    private readonly describe: Describer,
    /** What the validated value is: the whole config, or one user of a users file. */
    private readonly kind: 'config' | 'user' = 'config',
  ) {}

  /** One diagnostic per ajv error, or undefined for an error that only repeats another. */
  map(e: ErrorObject, path: Path): Diagnostic | undefined {
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties':
        return this.unknownField(path, String(params.additionalProperty));
      case 'required':
        return this.missingField(path, String(params.missingProperty));
      case 'type':
        return this.wrongType(path, String(params.type), e.schemaPath);
      case 'const':
        return this.version(path);
      case 'enum':
        return this.invalidChoice(path, (params.allowedValues as readonly unknown[] | undefined) ?? []);
      case 'pattern': {
        const def = /\$defs\/(\w+)\/pattern$/.exec(e.schemaPath)?.[1] ?? '';
        // ajv compiles the target schema on its own, so its errors carry a schemaPath relative to it.
        if (e.parentSchema === this.root.$defs?.target) return this.badTarget(path);
        if (def === 'envName') return this.badVariableName(path);
        return isFormatName(def) ? this.badFormat(path, def) : this.invalidKey(path);
      }
      case 'minLength':
        return this.empty(path);
      case 'minItems':
        return this.emptyList(path);
      case 'maxLength':
        return this.tooLong(path, Number(params.limit));
      default:
        return error(ConfigCode.SchemaInvalid, `${this.describe.subject(path)} ${e.message ?? 'is invalid'}`, this.source.locate(path), 'see schemas/idm.schema.json');
    }
  }

  private unknownField(parent: Path, field: string): Diagnostic {
    const path = [...parent, field];
    const allowed = Object.keys(this.schemaAt(parent)?.properties ?? {});
    const suggestion = closest(field, allowed);
    let hint: string;
    const comma = this.commaInFlowMapping(path);
    if (comma) hint = comma;
    else if (suggestion) hint = `did you mean ${quote(suggestion)}?`;
    else if (field === '<<') hint = 'YAML merge keys (<<) are not supported; use an alias (*name) for the whole value, or write the fields out';
    else hint = `the fields allowed here are: ${allowed.join(', ')}`;
    return error(ConfigCode.UnknownField, `unknown field ${quote(field)} ${this.describe.container(parent)}`, this.source.locate(path, { key: true }), hint);
  }

  /**
   * `{ name: X, description: A, b }` reads as a field "b" with no value: a comma inside { } ends a value.
   * When an unknown field looks like that, the fix is to quote the value before it.
   */
  private commaInFlowMapping(path: Path): string | undefined {
    const map = this.source.nodeAt(path.slice(0, -1));
    const pair = this.source.pairAt(path);
    if (!isMap(map) || !map.flow || !pair || (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null))) return undefined;
    const previous = map.items[map.items.indexOf(pair) - 1];
    if (!previous || !isScalar(previous.key) || !isScalar(previous.value) || typeof previous.value.value !== 'string') return undefined;
    const field = String(previous.key.value);
    if (this.describe.secretVars([...path.slice(0, -1), field])) return 'inside { }, a comma ends a value: put the value before this one in quotes';
    const joined = `${previous.value.value}, ${path[path.length - 1]}`;
    return `inside { }, a comma ends a value: quote the ${quote(field)} value, as in ${field}: ${JSON.stringify(joined)}`;
  }

  private missingField(parent: Path, field: string): Diagnostic {
    const location = this.source.locate(parent);
    if (this.kind === 'config' && parent.length === 0 && field === 'version') {
      return error(ConfigCode.MissingField, 'the config is missing required field "version"', location, 'add "version: 1" as the first line of the file');
    }
    const description = this.schemaAt([...parent, field])?.description;
    return error(
      ConfigCode.MissingField,
      `${this.describe.subject(parent)} is missing required field ${quote(field)}`,
      location,
      `add "${field}: ..."` + (description ? ` (${lowerFirst(description).replace(/\.$/, '')})` : ''),
    );
  }

  private wrongType(path: Path, expected: string, schemaPath: string): Diagnostic {
    const value = valueAt(this.data, path);
    const location = this.source.locate(path);
    if (path.length === 0 && this.kind === 'user') {
      return error(ConfigCode.WrongType, `each line of an idm users file must be a JSON object (one user), got ${this.describe.value(path, value)}`, location, 'write one user per line, e.g. {"id": "u-1", "identities": [...], "organizations": [...]}');
    }
    if (path.length === 0) {
      return error(ConfigCode.WrongType, `the config must be a mapping of fields, got ${this.describe.value(path, value)}`, location, 'start the file with "version: 1", then permissions: and roles:');
    }
    const message = `${this.describe.subject(path)} must be ${article(expected)}, got ${this.describe.value(path, value)}`;
    const hint = (value === null && schemaPath.startsWith('#/$defs/color/') && this.commentedColor(path)) || this.typeHint(path, expected.split(',')[0]!, value);
    return error(ConfigCode.WrongType, message, location, hint);
  }

  /**
   * `button_color: #0056F1` reads as an empty value followed by a comment: YAML starts a comment at " #". When the
   * line of an empty colour has such a comment, the fix is the quotes.
   */
  private commentedColor(path: Path): string | undefined {
    const key = this.source.pairAt(path)?.key;
    if (!isScalar(key) || !key.range) return undefined;
    const text = this.source.textOf(key);
    const lineEnd = text.indexOf('\n', key.range[0]);
    const rest = text.slice(key.range[1], lineEnd < 0 ? undefined : lineEnd);
    const comment = /^:\s+#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})\b/.exec(rest);
    if (!comment) return undefined;
    return `put the colour in quotes: ${String(key.value)}: "#${comment[1]}" (without them, YAML reads " #" as the start of a comment and the value as empty)`;
  }

  private typeHint(path: Path, expected: string, value: unknown): string {
    const optional = !this.isRequired(path);
    if (value === null || value === undefined) {
      if (expected === 'array') return `write [] for an empty list${optional ? ', or remove the line' : ''}`;
      return `write a value after the colon${optional ? ', or remove the line' : ''}`;
    }
    const secret = this.describe.secretVars(path);
    if (path.length === 1 && path[0] === 'users' && Array.isArray(value)) {
      return 'put the list under list:, as in users: { mode: seed, list: [...] } (mode is seed or managed; seed is the default)';
    }
    switch (expected) {
      case 'boolean':
        if (secret) return 'a value from ${env:...} is always a string; write true or false here';
        if (typeof value === 'string' && /^(y|n|yes|no|on|off|true|false)$/i.test(value)) {
          return 'write true or false without quotes (YAML 1.2 reads yes, no, on and off as text)';
        }
        return 'write true or false';
      case 'string':
        return typeof value === 'number' || typeof value === 'boolean'
          ? `put the value in quotes to make it text: "${String(value)}"`
          : 'write the value as text';
      case 'array':
        return typeof value === 'string' ? `write a list: [${secret ? '...' : value}], or one "- item" per line` : 'write a list: [a, b], or one "- item" per line';
      case 'object':
        return 'write a mapping of "field: value" lines';
      default:
        return `write ${article(expected)}`;
    }
  }

  private version(path: Path): Diagnostic {
    const value = valueAt(this.data, path);
    const message = `"version" must be 1, got ${this.describe.value(path, value)}`;
    let hint = 'write "version: 1"';
    if (typeof value === 'number' && value > 1) hint = `this version of idm reads config version 1; upgrade idm to read version ${value}`;
    else if (value === '1') hint = 'write version: 1 without quotes';
    return error(ConfigCode.UnsupportedVersion, message, this.source.locate(path), hint);
  }

  /** `"<field>" of <entity> must be one of a, b, c`, with the choice the value most likely meant. */
  private invalidChoice(path: Path, allowed: readonly unknown[]): Diagnostic {
    const value = valueAt(this.data, path);
    const choices = allowed.map(String);
    const message = `${this.describe.subject(path)} must be one of ${choices.join(', ')}, got ${this.describe.value(path, value)}`;
    let meant: string | undefined;
    if (typeof value === 'string' && !this.describe.secretVars(path)) {
      const lower = value.toLowerCase();
      meant =
        choices.find((c) => c.toLowerCase() === lower) ??
        choices.find((c) => (choiceAliases[c] ?? []).includes(lower)) ??
        choices.find((c) => c === `mfa:${lower}`) ??
        closest(value, choices);
    } else if (value === true || value === false) {
      // YAML 1.2 reads on/off as text, but true/false as booleans.
      meant = choices.find((c) => c === (value ? 'required' : 'off'));
    }
    const hint = meant ? `did you mean ${quote(meant)}?` : `write one of: ${choices.join(', ')}`;
    return error(ConfigCode.InvalidChoice, message, this.source.locate(path), hint);
  }

  /** A value of the right type whose form is wrong: a handle, a colour, a domain, an https link. */
  private badFormat(path: Path, format: FormatName): Diagnostic | undefined {
    const value = valueAt(this.data, path);
    if (typeof value !== 'string') return undefined;
    const secret = this.describe.secretVars(path) !== undefined;
    const { code, problem, hint } = explainFormat(format, value, secret);
    const [collection, index, field, , item] = path;
    // "item 2 of "allowed_domains" of "policies" of organization "acme"" says less than this.
    const subject =
      collection === 'organizations' && field === 'policies' && typeof item === 'number'
        ? `allowed domain ${this.describe.quoted(path, value)} of ${this.describe.entity('organizations', Number(index))}`
        : `${this.describe.subject(path)} (${secret ? this.describe.value(path, value) : quote(value)})`;
    return error(code, `${subject} ${problem}`, this.source.locate(path), hint);
  }

  /** A target written as text: only `local` is, the others are mappings. */
  private badTarget(path: Path): Diagnostic {
    const value = valueAt(this.data, path);
    const meant = typeof value === 'string' && value.toLowerCase().trim() === 'local';
    return error(
      ConfigCode.TargetInvalid,
      `${this.describe.subject(path)} must be local or a mapping, got ${this.describe.value(path, value)}`,
      this.source.locate(path),
      meant
        ? 'write local, in lower case'
        : 'write local for the built-in emulator, or name a tenant: { provider: kinde, domain: https://acme.kinde.com, client_id_env: ..., client_secret_env: ... }',
    );
  }

  /** `client_secret_env` and the like name a variable; a value that is not a name may be the credential itself: never shown. */
  private badVariableName(path: Path): Diagnostic {
    const field = String(path[path.length - 1]);
    const example = field === 'client_id_env' ? 'KINDE_PROD_CLIENT_ID' : field === 'client_secret_env' ? 'KINDE_PROD_CLIENT_SECRET' : 'ORY_API_KEY';
    return error(
      ConfigCode.TargetInvalid,
      `${this.describe.subject(path)} must be the name of an environment variable (upper-case letters, digits and _); its value is not shown, in case it is a credential`,
      this.source.locate(path),
      `credentials never go in the config: write the variable's name, e.g. ${field}: ${example}, and set that variable where idm runs (in CI, as a secret)`,
    );
  }

  /** The key rules (no whitespace, no control characters) of permission, role and flag keys and organization external ids. */
  private invalidKey(path: Path): Diagnostic | undefined {
    const value = String(valueAt(this.data, path));
    if (value === '') return undefined; // reported by minLength
    const shown = this.describe.quoted(path, value);
    const [collection, index, field] = path;
    let what: string;
    if (collection === 'roles' && field === 'permissions') what = `permission key ${shown} in ${this.describe.entity('roles', Number(index))}`;
    else {
      const entity = entities[String(collection)];
      what = entity ? `${entity.kind} ${entity.id === 'key' ? 'key' : entity.id} ${shown}` : `${this.describe.subject(path)} ${shown}`;
    }
    const secret = this.describe.secretVars(path) !== undefined;
    if (/\s/.test(value)) {
      // An example only for plain spaces: "read invoices" -> "read:invoices", "billing admin" -> "billing-admin",
      // "new checkout" -> "new_checkout" (flag keys are read in code, where underscores are the custom).
      const separator = collection === 'permissions' && !value.includes(':') ? ':' : collection === 'feature_flags' ? '_' : '-';
      const fixed = value.trim().replace(/ +/, separator).replace(/ +/g, '-');
      const example = secret || fixed === '' || /\s/.test(fixed) ? '' : `, e.g. ${quote(fixed)}`;
      return error(ConfigCode.InvalidKey, `${what} contains whitespace`, this.source.locate(path), `keys are identifiers: use "-", "_" or ":" instead of spaces${example}`);
    }
    if (collection === 'feature_flags' && value.includes('.')) {
      // Plans address a flag's value as `feature_flags.<key>`: a dot in the key would make that path ambiguous.
      return error(ConfigCode.InvalidKey, `${what} contains a dot`, this.source.locate(path), `use "_" or "-" instead, e.g. ${quote(value.replace(/\./g, '_'))}`);
    }
    return error(
      ConfigCode.InvalidKey,
      `${what} contains a control character`,
      this.source.locate(path),
      'remove the invisible character (a tab, a line break or similar, often from an escape in double quotes or a copy and paste)',
    );
  }

  private empty(path: Path): Diagnostic {
    const secret = this.describe.secretVars(path);
    const last = path[path.length - 1];
    const schema = this.schemaAt(path);
    const description = schema?.description;
    let hint = description ? `write a value: ${lowerFirst(description)}` : 'write a value';
    if (secret) hint = `the environment variable ${secret.join(' or ')} is set to an empty string; give it a value`;
    else if (last === 'description') hint = 'remove the line to leave the description unmanaged (Kinde cannot clear a description), or write one';
    else if (Array.isArray(schema?.type) && schema.type.includes('null')) hint = 'write null for "none", or remove the line to leave the value alone';
    return error(ConfigCode.EmptyValue, `${this.describe.subject(path)} must not be empty`, this.source.locate(path), hint);
  }

  private emptyList(path: Path): Diagnostic {
    const choices = this.schemaAt([...path, 0])?.enum;
    const parent = path.slice(0, -1);
    const last = path[path.length - 1];
    let hint: string;
    if (choices) hint = `list at least one of: ${choices.map(String).join(', ')}; or remove ${quote(String(parent[parent.length - 1] ?? last))} to leave it alone`;
    else if (last === 'identities') hint = 'list at least one identity, e.g. [{ type: email, value: ada@acme.com }]';
    else if (last === 'organizations') hint = 'list the organizations the user belongs to, e.g. [{ external_id: acme }]: every Kinde user is in at least one';
    else hint = this.isRequired(path) ? 'list at least one item' : 'list at least one item, or remove the line';
    return error(ConfigCode.EmptyValue, `${this.describe.subject(path)} must not be empty`, this.source.locate(path), hint);
  }

  private tooLong(path: Path, limit: number): Diagnostic {
    const value = valueAt(this.data, path);
    const length = typeof value === 'string' ? [...value].length : 0;
    return error(ConfigCode.TooLong, `${this.describe.subject(path)} is too long: ${length} characters, at most ${limit}`, this.source.locate(path), `shorten it to ${limit} characters or fewer`);
  }

  /** The schema describing the value at `path` ($refs followed), if the schema describes it. */
  private schemaAt(path: Path): SchemaNode | undefined {
    let node: SchemaNode | undefined = this.deref(this.root);
    for (const segment of path) {
      if (!node) return undefined;
      const additional = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
      node = this.deref(typeof segment === 'number' ? node.items : (node.properties?.[segment] ?? additional));
    }
    return node;
  }

  private isRequired(path: Path): boolean {
    if (path.length === 0) return true;
    const last = path[path.length - 1]!;
    return typeof last === 'string' && (this.schemaAt(path.slice(0, -1))?.required ?? []).includes(last);
  }

  /** A local `$ref` merged with the fields written beside it (which win, as annotations). */
  private deref(node: SchemaNode | undefined): SchemaNode | undefined {
    if (!node?.$ref) return node;
    const name = node.$ref.replace('#/$defs/', '');
    const { $ref: _ref, ...rest } = node;
    return { ...this.deref(this.root.$defs?.[name]), ...rest };
  }
}
