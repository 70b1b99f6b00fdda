import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { renderText } from '../../src/render/text.js';
import { renderJson } from '../../src/render/json.js';
import { expectGolden } from '../helpers/golden.js';
import { planSchemaErrors } from '../helpers/schemas.js';
import { cases } from './plans.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));

describe('text renderer', () => {
  for (const [name, p] of Object.entries(cases)) {
    it(`renders ${name}`, () => expectGolden(golden(`${name}.txt`), renderText(p, { color: false })));
  }

  it('colours symbols only on request', () => {
    const colored = renderText(cases['mixed-with-deletes'], { color: true });
    expectGolden(golden('mixed-with-deletes.color.txt'), colored);
    expect(colored).toContain('\u001b[31m-\u001b[39m role "legacy"');
    expect(renderText(cases['mixed-with-deletes'], { color: false })).not.toContain('\u001b[');
  });

  it('ends with a summary line counting every change', () => {
    expect(renderText(cases['mixed-with-deletes'], { color: false }).trimEnd().split('\n').at(-1)).toBe('Plan: 0 to create, 2 to change, 2 to destroy.');
  });
});

describe('json renderer', () => {
  for (const [name, p] of Object.entries(cases)) {
    it(`renders ${name} valid against plan.schema.json`, () => {
      const text = renderJson(p);
      expect(planSchemaErrors(JSON.parse(text))).toEqual([]);
      expectGolden(golden(`${name}.json`), text);
    });
  }

  it('rejects a plan that breaks the schema', () => {
    const broken = { ...JSON.parse(renderJson(cases['create-from-empty'])), summary: { create: -1 } };
    expect(planSchemaErrors(broken)).not.toEqual([]);
  });
});
