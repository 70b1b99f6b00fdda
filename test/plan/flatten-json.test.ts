import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/model/desired.js';
import { flattenJson } from '../../src/plan/flatten-json.js';

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

  it('reordering an array is a change', () => {
    expect(flattenJson('traits', { tags: ['a', 'b'] })).not.toStrictEqual(flattenJson('traits', { tags: ['b', 'a'] }));
  });
});
