import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/config/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['descripton', 'description', 1],
    ['defualt', 'default', 1], // a transposition is one edit
    ['kitten', 'sitting', 3],
  ])('%s -> %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const fields = ['key', 'name', 'description', 'default', 'permissions'];
  it.each([
    ['descripton', 'description'],
    ['defualt', 'default'],
    ['Name', 'name'],
    ['permission', 'permissions'],
    ['kye', 'key'],
    ['colour', undefined],
    ['id', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(closest(word, fields)).toBe(expected);
  });

  it('finds misspelt permission keys', () => {
    expect(closest('write:invoice', ['read:invoices', 'write:invoices'])).toBe('write:invoices');
    expect(closest('delete:everything', ['read:invoices', 'write:invoices'])).toBeUndefined();
  });
});
