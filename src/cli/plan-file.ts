/** Saved plans (`idm plan --out FILE`, `idm apply FILE`): written as the plan's JSON, read back only if valid. */
import { readFile, writeFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { IdmError } from '../errors.js';
import type { Plan } from '../model/plan.js';
import { renderJson } from '../render/json.js';
import { schemaPath } from '../util/package-root.js';

let validator: ((value: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

async function validatePlan(value: unknown): Promise<string[]> {
  if (!validator) {
    const schema = JSON.parse(await readFile(schemaPath('plan.schema.json'), 'utf8'));
    validator = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);
  }
  return validator(value) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFile(file, renderJson(plan));
}

export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new IdmError(`cannot read plan file ${file}: ${(error as Error).message}`, 'PLAN_FILE_UNREADABLE', 'make a plan with `idm plan --out FILE` first');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IdmError(`${file} is not JSON: ${(error as Error).message}`, 'PLAN_FILE_INVALID', 'pass a file written by `idm plan --out FILE`');
  }
  const problems = await validatePlan(value);
  if (problems.length > 0) {
    throw new IdmError(`${file} is not a valid idm plan:\n  ${problems.slice(0, 5).join('\n  ')}`, 'PLAN_FILE_INVALID', 'pass a file written by `idm plan --out FILE` by this version of idm');
  }
  return value as Plan;
}
