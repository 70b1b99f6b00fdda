import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../../schemas/idm.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;

/** Every subschema with the JSON pointer where it sits. */
function* subschemas(node: Json, pointer = '#'): Generator<[string, Json]> {
  yield [pointer, node];
  for (const [name, child] of Object.entries((node.properties as Record<string, Json> | undefined) ?? {})) yield* subschemas(child, `${pointer}/properties/${name}`);
  for (const [name, child] of Object.entries((node.$defs as Record<string, Json> | undefined) ?? {})) yield* subschemas(child, `${pointer}/$defs/${name}`);
  if (node.items) yield* subschemas(node.items as Json, `${pointer}/items`);
}

describe('schemas/idm.schema.json', () => {
  it('is a draft 2020-12 schema with an $id that compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\//);
    expect(() => new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it('closes every object: additionalProperties is false, except in maps keyed by flag, property, environment or var, whose values have a schema', () => {
    for (const [pointer, node] of subschemas(schema)) {
      if (node.type !== 'object' && !(Array.isArray(node.type) && node.type.includes('object'))) continue;
      // A map's keys are checked against the declared flags after the schema, with a did-you-mean.
      if (pointer === '#/$defs/flagValues') expect(node.additionalProperties, pointer).toEqual({ $ref: '#/$defs/flagValue' });
      // Property keys are defined in Kinde, not in the config: any key, text values.
      else if (pointer === '#/$defs/propertyValues') expect(node.additionalProperties, pointer).toMatchObject({ type: 'string' });
      // Kratos validates traits against the identity schema, which lives in Kratos, not here.
      else if (pointer === '#/$defs/kratosIdentity/properties/traits') expect(node.additionalProperties, pointer).toBeUndefined();
      // Environments are named by the config, and so are their vars.
      else if (pointer === '#/properties/environments') expect(node.additionalProperties, pointer).toEqual({ $ref: '#/$defs/environmentDeclaration' });
      else if (pointer === '#/$defs/environmentDeclaration/properties/vars') expect(node.additionalProperties, pointer).toMatchObject({ type: ['string', 'number', 'boolean'] });
      else expect(node.additionalProperties, pointer).toBe(false);
    }
  });

  it('gives every property a title and a description, for editors', () => {
    for (const [pointer, node] of subschemas(schema)) {
      if (!/\/properties\/[^/]+$/.test(pointer)) continue;
      expect(node.title, pointer).toEqual(expect.any(String));
      expect(node.description, pointer).toEqual(expect.any(String));
    }
  });

  it('accepts a valid config and rejects keys with whitespace or control characters, and unknown fields', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);
    const valid = parseDocument(readFileSync(new URL('../fixtures/config/valid.yaml', import.meta.url), 'utf8')).toJS();
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ version: 1, roles: [{ key: 'billing admin', name: 'B' }] })).toBe(false);
    expect(validate({ version: 1, roles: [{ key: 'a\u0007', name: 'B' }] })).toBe(false);
    expect(validate({ version: 1, permissions: [{ key: 'read:invoices', name: 'R', extra: 1 }] })).toBe(false);
  });

  it('accepts the full example of every section, and rejects malformed handles, colours, domains and links as an editor would', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema);
    const full = parseDocument(readFileSync(new URL('../fixtures/config/full.yaml', import.meta.url), 'utf8')).toJS();
    expect(validate(full), JSON.stringify(validate.errors)).toBe(true);
    const org = (extra: Record<string, unknown>): unknown => ({ version: 1, organizations: [{ external_id: 'acme', name: 'Acme', ...extra }] });
    expect(validate(org({ handle: 'Acme' }))).toBe(false);
    expect(validate(org({ colors: { button_color: '0056f1' } }))).toBe(false);
    expect(validate(org({ colors: { button_colour: '#0056f1' } }))).toBe(false);
    expect(validate(org({ policies: { allowed_domains: ['https://acme.com'] } }))).toBe(false);
    expect(validate(org({ policies: { allowed_domains: ['*.acme.com'] } }))).toBe(false);
    expect(validate(org({ mfa: { factors: [] } }))).toBe(false);
    expect(validate({ version: 1, business: { terms_url: 'http://acme.com/terms' } })).toBe(false);
    expect(validate({ version: 1, business: { terms_url: null } })).toBe(true);
    // users is { mode, list }, not a list.
    expect(validate({ version: 1, users: [] })).toBe(false);
    expect(validate({ version: 1, users: { mode: 'seed', list: [] }, users_file: 'users.csv' })).toBe(true);
    expect(validate({ version: 1, users_file: { path: 'users.ndjson', format: 'auth0', default_organization: 'acme' } })).toBe(true);
    expect(validate({ version: 1, users_file: { path: 'users.ndjson', format: 'okta' } })).toBe(false);
  });
});
