import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/model/desired.js';
import { flattenJson, unflattenJson } from '../../src/plan/flatten-json.js';

const rows: { name: string; path: string; value: Json; flat: Record<string, unknown> }[] = [
  { name: 'a string leaf', path: 'traits', value: { email: 'ada@acme.com' }, flat: { 'traits.email': 'ada@acme.com' } },
  {
    name: 'nested objects recurse to their leaves',
    path: 'traits',
    value: { name: { first: 'Ada', last: 'Lovelace' }, age: 36, admin: false },
    flat: { 'traits.name.first': 'Ada', 'traits.name.last': 'Lovelace', 'traits.age': 36, 'traits.admin': false },
  },
  {
    name: 'an array is one leaf holding its JSON, so order counts',
    path: 'traits',
    value: { emails: ['b@acme.com', 'a@acme.com'] },
    flat: { 'traits.emails': '["b@acme.com","a@acme.com"]' },
  },
  {
    name: 'objects inside an array are written with sorted members',
    path: 'metadata_public',
    value: { roles: [{ scope: 'acme', name: 'admin' }] },
    flat: { 'metadata_public.roles': '[{"name":"admin","scope":"acme"}]' },
  },
  { name: 'null is its JSON text, not absent', path: 'traits', value: { nickname: null }, flat: { 'traits.nickname': 'null' } },
  { name: 'an empty object is a leaf, not nothing', path: 'traits', value: { address: {} }, flat: { 'traits.address': '{}' } },
  { name: 'an empty top-level object', path: 'metadata_admin', value: {}, flat: { metadata_admin: '{}' } },
  { name: 'a null top level (Kratos: metadata never set)', path: 'metadata_public', value: null, flat: { metadata_public: 'null' } },
  { name: 'a scalar top level stays at the path itself', path: 'metadata_public', value: 'vip', flat: { metadata_public: 'vip' } },
  { name: 'an array top level', path: 'metadata_admin', value: [1, 2], flat: { metadata_admin: '[1,2]' } },
  { name: 'the empty string is a value', path: 'traits', value: { phone: '' }, flat: { 'traits.phone': '' } },
  {
    name: 'a string that reads like JSON text holds its own JSON text, unlike the JSON it reads like',
    path: 'traits',
    value: { a: 'null', b: '[1]', c: '{}', d: '"quoted"', e: 'plain [text]' },
    flat: { 'traits.a': '"null"', 'traits.b': '"[1]"', 'traits.c': '"{}"', 'traits.d': '"\\"quoted\\""', 'traits.e': 'plain [text]' },
  },
  {
    name: 'a member name with a dot, an empty one, or one starting with a quote is written quoted',
    path: 'metadata_public',
    value: { 'a.b': 1, '': 2, '"x': 3, 'y"z': 4 },
    flat: { 'metadata_public."a.b"': 1, 'metadata_public.""': 2, 'metadata_public."\\"x"': 3, 'metadata_public.y"z': 4 },
  },
];

/** Pairs of different JSON that once flattened the same, so a plan could miss the difference. */
const distinct: [string, Json, Json][] = [
  ['the string "null" and null', { n: 'null' }, { n: null }],
  ['a string of an array and the array', { tags: '["a"]' }, { tags: ['a'] }],
  ['the string "{}" and an empty object', { o: '{}' }, { o: {} }],
  ['a string holding a quoted string and that string', { s: '"a"' }, { s: JSON.stringify('"a"') }],
  ['a dotted member name and nesting', { 'a.b': 1 }, { a: { b: 1 } }],
];

describe('flattenJson', () => {
  it.each(rows)('$name', ({ path, value, flat }) => {
    expect(flattenJson(path, value)).toStrictEqual(flat);
  });

  it('member order in the source does not change the result', () => {
    const a = flattenJson('traits', { x: [{ b: 1, a: { d: 2, c: 3 } }], y: 1, z: { q: 1, p: 2 } });
    const b = flattenJson('traits', { z: { p: 2, q: 1 }, y: 1, x: [{ a: { c: 3, d: 2 }, b: 1 }] });
    expect(a).toStrictEqual(b);
  });

  it.each(distinct)('tells apart %s', (_name, a, b) => {
    expect(flattenJson('traits', a)).not.toStrictEqual(flattenJson('traits', b));
  });

  it.each(rows)('unflattens back to the JSON: $name', ({ path, value }) => {
    expect(unflattenJson(path, { other: 1, ...flattenJson(path, value) })).toStrictEqual(value);
  });

  it('a path with nothing under it unflattens to nothing', () => {
    expect(unflattenJson('metadata_admin', { 'traits.email': 'a@x.io', metadata_administrator: 'x' })).toBeUndefined();
  });

  it('reordering an array is a change', () => {
    expect(flattenJson('traits', { tags: ['a', 'b'] })).not.toStrictEqual(flattenJson('traits', { tags: ['b', 'a'] }));
  });
});
