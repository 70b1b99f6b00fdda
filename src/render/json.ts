import type { Plan } from '../model/plan.js';

/** The plan exactly as its type and schemas/plan.schema.json describe it. */
export const renderJson = (plan: Plan): string => JSON.stringify(plan, null, 2) + '\n';
