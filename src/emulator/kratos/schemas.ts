/**
 * Identity schemas: the registry `GET /schemas` serves, and trait validation as Kratos does it. The document checked
 * is `{"traits": …}` against the whole schema, and a failure is reported like ory/jsonschema's first leaf error,
 * `I[#/traits/email] S[#/properties/traits/properties/email/format] "x" is not valid "email"`. While validating,
 * the `ory.sh/kratos` extension marks are collected: which traits are password, webauthn or code identifiers, and
 * which are verification and recovery addresses.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { IdmError } from '../../errors.js';
import { badRequest } from './errors.js';
import type { Json } from './identity.js';
import { normalizeIdentifier } from './normalize.js';

export interface AddressMark {
  readonly value: string;
  readonly via: string;
}

/** What the traits say through the schema's `ory.sh/kratos` marks, normalised, in schema walk order, without repeats. */
export interface TraitMarks {
  readonly password: readonly string[];
  readonly webauthn: readonly string[];
  readonly code: readonly AddressMark[];
  readonly verification: readonly AddressMark[];
  readonly recovery: readonly AddressMark[];
}

interface KratosMark {
  readonly credentials?: {
    readonly password?: { readonly identifier?: boolean };
    readonly webauthn?: { readonly identifier?: boolean };
    readonly code?: { readonly identifier?: boolean; readonly via?: string };
  };
  readonly verification?: { readonly via?: string };
  readonly recovery?: { readonly via?: string };
}

/** The schema Kratos' quickstart ships, trimmed: an email that is the password identifier and is verified and recovered by email, and a name. */
export const defaultIdentitySchema = {
  $id: 'https://schemas.ory.sh/presets/kratos/identity.email.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Person',
  type: 'object',
  properties: {
    traits: {
      type: 'object',
      properties: {
        email: {
          type: 'string',
          format: 'email',
          title: 'E-Mail',
          'ory.sh/kratos': {
            credentials: { password: { identifier: true } },
            verification: { via: 'email' },
            recovery: { via: 'email' },
          },
        },
        name: {
          type: 'object',
          properties: {
            first: { type: 'string', title: 'First name' },
            last: { type: 'string', title: 'Last name' },
          },
        },
      },
      required: ['email'],
      additionalProperties: false,
    },
  },
};

// Close to Go's net/mail acceptance for the common cases: a local part, an @, a dotted or single-label domain.
const emailPattern = /^[^\s@"(),:;<>[\\\]]+@[^\s@"(),:;<>[\\\]]+$/;
const isEmail = (value: string): boolean => emailPattern.test(value) && !value.startsWith('.') && !value.includes('..');

const formats = {
  email: isEmail,
  'idn-email': isEmail,
  tel: (value: string) => /^\+?[0-9 ()./-]{4,}$/.test(value),
  'no-validate': () => true,
  uri: (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value),
  uuid: (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  date: (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
  'date-time': (value: string) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value),
};

const addUnique = (list: string[], value: string): void => void (list.includes(value) || list.push(value));
const addMark = (list: AddressMark[], mark: AddressMark): void =>
  void (list.some((m) => m.value === mark.value && m.via === mark.via) || list.push(mark));

type SchemaNode = { readonly [key: string]: unknown };

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Walks the traits alongside the (already passed) schema and collects the values its `ory.sh/kratos` marks point
 * at, as Kratos' extension runner does during validation. Local `$ref`s and the `allOf`/`anyOf`/`oneOf` branches are
 * followed. Returns the path of an address marked for email verification or recovery that is not an email when
 * the schema names no format for it: Kratos checks those as emails anyway.
 */
function collectMarks(root: SchemaNode, node: SchemaNode, data: unknown, instancePath: string, schemaPath: string, found: Collector, seen: Set<SchemaNode>): string | undefined {
  if (seen.has(node)) return undefined;
  seen.add(node);
  try {
    const ref = node.$ref;
    if (typeof ref === 'string' && ref.startsWith('#')) {
      const target = ref
        .slice(1)
        .split('/')
        .filter(Boolean)
        .reduce<unknown>((at, part) => (isNode(at) ? at[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
      if (isNode(target)) {
        const problem = collectMarks(root, target, data, instancePath, `${schemaPath}/$ref`, found, seen);
        if (problem) return problem;
      }
    }
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const branches = node[combinator];
      if (!Array.isArray(branches)) continue;
      for (const [i, branch] of branches.entries()) {
        const problem = isNode(branch) ? collectMarks(root, branch, data, instancePath, `${schemaPath}/${combinator}/${i}`, found, seen) : undefined;
        if (problem) return problem;
      }
    }
    const mark = node['ory.sh/kratos'];
    if (isNode(mark) && data !== null && data !== undefined && typeof data !== 'object') {
      const problem = collectMark(mark as KratosMark, node, String(data), found);
      if (problem) return `I[#${instancePath}] S[${schemaPath}/format] ${problem}`;
    }
    const properties = node.properties;
    if (isNode(properties) && isNode(data)) {
      for (const [name, child] of Object.entries(properties)) {
        if (!(name in data) || !isNode(child)) continue;
        const problem = collectMarks(root, child, data[name], `${instancePath}/${name}`, `${schemaPath}/properties/${name}`, found, seen);
        if (problem) return problem;
      }
    }
    const items = node.items;
    if (isNode(items) && Array.isArray(data)) {
      for (const [i, item] of data.entries()) {
        const problem = collectMarks(root, items, item, `${instancePath}/${i}`, `${schemaPath}/items`, found, seen);
        if (problem) return problem;
      }
    }
    return undefined;
  } finally {
    seen.delete(node);
  }
}

function collectMark(mark: KratosMark, node: SchemaNode, raw: string, found: Collector): string | undefined {
  const value = normalizeIdentifier(raw);
  const credentials = mark.credentials;
  if (credentials?.password?.identifier) addUnique(found.password, value);
  if (credentials?.webauthn?.identifier) addUnique(found.webauthn, value);
  if (credentials?.code?.identifier) addMark(found.code, { value, via: credentials.code.via ?? 'email' });
  const byEmail = mark.verification?.via === 'email' || mark.recovery?.via === 'email';
  if (byEmail && node.format === undefined && !isEmail(raw.trim())) return `"${raw}" is not valid "email"`;
  if (mark.verification?.via) addMark(found.verification, { value, via: mark.verification.via });
  if (mark.recovery?.via) addMark(found.recovery, { value, via: mark.recovery.via });
  return undefined;
}

interface Collector {
  password: string[];
  webauthn: string[];
  code: AddressMark[];
  verification: AddressMark[];
  recovery: AddressMark[];
}

function compiler(schema: { $schema?: unknown }): Ajv | Ajv2019 | Ajv2020 {
  const draft = String(schema.$schema ?? '');
  const options = { strict: false, allErrors: false, verbose: true, logger: false as const, formats };
  // Unknown keywords, `ory.sh/kratos` among them, are ignored by a non-strict ajv; collectMarks reads them.
  return draft.includes('2020-12') ? new Ajv2020(options) : draft.includes('2019-09') ? new Ajv2019(options) : new Ajv(options);
}

export interface SchemaEntry {
  readonly id: string;
  readonly schema: object;
}

export class SchemaRegistry {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    private readonly schemas: Readonly<Record<string, object>>,
    readonly defaultId: string,
  ) {
    if (!(defaultId in schemas)) {
      throw new IdmError(`The default identity schema "${defaultId}" is not among the schemas given`, 'EMULATOR_OPTIONS_INVALID', `give a schema with id "${defaultId}" or pick one of: ${Object.keys(schemas).join(', ')}`);
    }
    for (const [id, schema] of Object.entries(schemas)) {
      try {
        this.validators.set(id, compiler(schema).compile(schema));
      } catch (error) {
        throw new IdmError(`Identity schema "${id}" does not compile: ${(error as Error).message}`, 'EMULATOR_OPTIONS_INVALID', 'fix the JSON Schema; Kratos would refuse it too');
      }
    }
  }

  list(): SchemaEntry[] {
    return Object.entries(this.schemas).map(([id, schema]) => ({ id, schema }));
  }

  /** By id, or by the unpadded base64url form `schema_url` uses. */
  find(idOrEncoded: string): SchemaEntry | undefined {
    const direct = this.schemas[idOrEncoded];
    if (direct) return { id: idOrEncoded, schema: direct };
    const decoded = Buffer.from(idOrEncoded, 'base64url').toString('utf8');
    const schema = this.schemas[decoded];
    return schema && Buffer.from(decoded).toString('base64url') === idOrEncoded ? { id: decoded, schema } : undefined;
  }

  has(id: string): boolean {
    return this.validators.has(id);
  }

  /** Validates traits against a schema; throws Kratos' 400 for an unknown schema or the first violation. */
  validate(schemaId: string, traits: Json): TraitMarks {
    const validate = this.validators.get(schemaId);
    if (!validate) throw badRequest(`Unable to find JSON Schema ID: ${schemaId}`);
    const document = { traits };
    if (!validate(document)) throw badRequest(describe(validate.errors?.[0]));
    const found: Collector = { password: [], webauthn: [], code: [], verification: [], recovery: [] };
    const schema = this.schemas[schemaId] as SchemaNode;
    const problem = collectMarks(schema, schema, document, '', '#', found, new Set());
    if (problem) throw badRequest(problem);
    return found;
  }
}

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'boolean' : typeof value;

const quoted = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** ajv's error in ory/jsonschema's words, which clients and people match on. */
function describe(error: ErrorObject | undefined): string {
  if (!error) return 'I[#] S[#] validation failed';
  const params = error.params as Record<string, unknown>;
  let message: string;
  switch (error.keyword) {
    case 'type':
      message = `expected ${[params.type].flat().join(' or ')}, but got ${jsonType(error.data)}`;
      break;
    case 'required':
      message = `missing properties: ${quoted([params.missingProperty])}`;
      break;
    case 'additionalProperties':
      message = `additionalProperties ${quoted([params.additionalProperty])} not allowed`;
      break;
    case 'format':
      message = error.message?.startsWith('"') ? error.message : `${JSON.stringify(error.data)} is not valid ${JSON.stringify(params.format)}`;
      break;
    case 'enum':
      message = `value must be one of ${quoted(params.allowedValues as unknown[])}`;
      break;
    case 'const':
      message = `value must be ${JSON.stringify(params.allowedValue)}`;
      break;
    case 'minLength':
      message = `length must be >= ${params.limit}, but got ${String(error.data).length}`;
      break;
    case 'maxLength':
      message = `length must be <= ${params.limit}, but got ${String(error.data).length}`;
      break;
    case 'pattern':
      message = `does not match pattern ${JSON.stringify(params.pattern)}`;
      break;
    case 'minimum':
      message = `must be >= ${params.limit} but found ${String(error.data)}`;
      break;
    case 'maximum':
      message = `must be <= ${params.limit} but found ${String(error.data)}`;
      break;
    case 'minItems':
      message = `minimum ${params.limit} items allowed, but found ${(error.data as unknown[]).length} items`;
      break;
    case 'maxItems':
      message = `maximum ${params.limit} items allowed, but found ${(error.data as unknown[]).length} items`;
      break;
    default:
      message = error.message ?? 'validation failed';
  }
  return `I[#${error.instancePath}] S[${error.schemaPath}] ${message}`;
}
