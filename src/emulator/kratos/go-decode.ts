/**
 * Decoding a JSON body into a Go struct the way encoding/json does, because Kratos' answers to bad bodies come from
 * it: a strict decoder refuses unknown fields (`json: unknown field "id"`), a type mismatch is
 * `json: cannot unmarshal string into Go struct field CreateIdentityBody.state of type identity.State`, a JSON null
 * leaves the field at its zero value, and `[]byte` fields take base64 (or, as Go also accepts, an array of bytes).
 * A shape lists a struct's JSON fields; decoding returns plain values with Go's zero values filled in.
 */
import { badRequestMessage, type KratosFailure } from './errors.js';

export type FieldShape =
  | { readonly kind: 'string'; readonly goType?: string }
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly goType: string; readonly min?: number; readonly max?: number }
  | { readonly kind: 'raw' }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'time'; readonly nullable: boolean }
  | { readonly kind: 'null-uuid' }
  | { readonly kind: 'struct'; readonly shape: StructShape; readonly pointer: boolean }
  | { readonly kind: 'array'; readonly of: FieldShape; readonly goType: string }
  | { readonly kind: 'string-array' };

export interface StructShape {
  /** Go's name, e.g. `identity.CreateIdentityBody`, used in error messages. */
  readonly goName: string;
  readonly fields: Readonly<Record<string, FieldShape>>;
}

export const str = (goType?: string): FieldShape => (goType ? { kind: 'string', goType } : { kind: 'string' });
export const bool: FieldShape = { kind: 'bool' };
export const int = (goType: string, min?: number, max?: number): FieldShape => ({ kind: 'int', goType, min, max });
export const raw: FieldShape = { kind: 'raw' };
export const bytes: FieldShape = { kind: 'bytes' };
export const time: FieldShape = { kind: 'time', nullable: false };
export const nullTime: FieldShape = { kind: 'time', nullable: true };
export const nullUuid: FieldShape = { kind: 'null-uuid' };
export const struct = (shape: StructShape, pointer = true): FieldShape => ({ kind: 'struct', shape, pointer });
export const arrayOf = (of: FieldShape, goType: string): FieldShape => ({ kind: 'array', of, goType });
export const strings: FieldShape = { kind: 'string-array' };

export type Decoded = { readonly [key: string]: unknown };

interface Context {
  readonly strict: boolean;
  /** The top-level struct's short name, as Go names fields in errors: `CreateIdentityBody.credentials.password`. */
  readonly root: string;
}

const jsonKind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : typeof value;

/** Decodes `value` (already parsed JSON) into the struct; throws Kratos' 400 with Go's message on the first problem. */
export function decodeStruct(value: unknown, shape: StructShape, strict: boolean): Decoded {
  const root = shape.goName.split('.').pop()!;
  return decodeObject(value, shape, '', { strict, root }, shape.goName) ?? zeroStruct(shape);
}

function mismatch(context: Context, value: unknown, path: string, goType: string): KratosFailure {
  const what = typeof value === 'number' ? `number ${value}` : jsonKind(value);
  const into = path === '' ? `Go value of type ${goType}` : `Go struct field ${context.root}.${path} of type ${goType}`;
  return badRequestMessage(`json: cannot unmarshal ${what} into ${into}`);
}

function decodeObject(value: unknown, shape: StructShape, path: string, context: Context, goType: string): Decoded | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw mismatch(context, value, path, goType);
  const out: Record<string, unknown> = zeroStruct(shape);
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = shape.fields[key];
    if (!field) {
      if (context.strict) throw badRequestMessage(`json: unknown field "${key}"`);
      continue;
    }
    const fieldPath = path === '' ? key : `${path}.${key}`;
    const decoded = decodeField(fieldValue, field, fieldPath, context);
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function zeroStruct(shape: StructShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape.fields)) {
    const zero = zeroValue(field);
    if (zero !== undefined) out[key] = zero;
  }
  return out;
}

/** Go's zero value, or undefined for what is a nil pointer, slice or raw message (absent). */
function zeroValue(field: FieldShape): unknown {
  switch (field.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'struct':
      return field.pointer ? undefined : zeroStruct(field.shape);
    default:
      return undefined;
  }
}

function decodeField(value: unknown, field: FieldShape, path: string, context: Context): unknown {
  // A JSON null leaves any Go field as it was: its zero value here.
  if (value === null) return zeroValue(field);
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(context, value, path, field.goType ?? 'string');
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw mismatch(context, value, path, 'bool');
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || (field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
        throw mismatch(context, value, path, field.goType);
      }
      return value;
    case 'raw':
      return value;
    case 'bytes':
      return decodeBytes(value, path, context);
    case 'time':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) {
        if (typeof value !== 'string') throw mismatch(context, value, path, field.nullable ? 'sqlxx.NullTime' : 'time.Time');
        throw badRequestMessage(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
      }
      return value;
    case 'null-uuid':
      if (typeof value !== 'string') throw mismatch(context, value, path, 'uuid.NullUUID');
      if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(value)) {
        throw badRequestMessage(`uuid: incorrect UUID length ${value.length} in string ${JSON.stringify(value)}`);
      }
      return value.toLowerCase();
    case 'struct':
      return decodeObject(value, field.shape, path, context, `${field.pointer ? '*' : ''}${field.shape.goName}`);
    case 'array':
      if (!Array.isArray(value)) throw mismatch(context, value, path, field.goType);
      return value.map((item) => decodeField(item, field.of, path, context));
    case 'string-array':
      if (!Array.isArray(value)) throw mismatch(context, value, path, '[]string');
      return value.map((item) => {
        if (typeof item !== 'string') throw mismatch(context, item, path, 'string');
        return item;
      });
  }
}

/** `[]byte`: standard base64 with padding, as Go encodes it, or an array of numbers 0..255. Returns a Buffer. */
function decodeBytes(value: unknown, path: string, context: Context): Buffer {
  if (typeof value === 'string') {
    const index = value.search(/[^A-Za-z0-9+/=]/);
    if (index >= 0 || value.length % 4 !== 0) throw badRequestMessage(`illegal base64 data at input byte ${index >= 0 ? index : value.length - (value.length % 4)}`);
    return Buffer.from(value, 'base64');
  }
  if (Array.isArray(value)) {
    return Buffer.from(
      value.map((b) => {
        if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) throw mismatch(context, b, path, 'uint8');
        return b;
      }),
    );
  }
  throw mismatch(context, value, path, '[]uint8');
}
