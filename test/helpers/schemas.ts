import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const planSchema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'));
const validatePlan = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(planSchema);

/** Schema errors of a JSON plan, empty when it is valid. */
export function planSchemaErrors(value: unknown): string[] {
  return validatePlan(value) ? [] : (validatePlan.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
