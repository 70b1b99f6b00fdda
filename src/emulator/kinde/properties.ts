/**
 * Property definitions (`/api/v1/properties`) and their categories (`/api/v1/property_categories`): list (cursor
 * style, with `has_more`) and create. A property's key, type and context cannot change once created (Kinde's
 * docs); keys are unique in the business. Values live on users and organizations (property-values.ts).
 *
 * Kinde's own built-in properties (`kp_…`, `is_kinde_property: true`) are not seeded: a new emulated tenant has
 * none, so that reads show only what a test defined.
 */
import { randomBytes } from 'node:crypto';
import { IdmError } from '../../errors.js';
import { bodyObject, optionalBoolean, optionalString, requiredEnum, requiredString } from './input.js';
import { cursorPaginate } from './pagination.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { findByKey, propertyContexts, propertyTypes, type PropertyContext, type PropertyRecord, type Tenant } from './tenant.js';

const timeLedHex = (): string => `${Date.now().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;

function newPropertyId(tenant: Tenant): string {
  let id = `prop_${timeLedHex()}`;
  while (tenant.properties.has(id)) id = `prop_${timeLedHex()}`;
  return id;
}

function newCategoryId(tenant: Tenant): string {
  let id = `cat_${timeLedHex()}`;
  while (tenant.propertyCategories.has(id)) id = `cat_${timeLedHex()}`;
  return id;
}

/** `property`: the schema's description is a non-nullable string, so a property without one has none. */
const propertyView = (p: PropertyRecord) => ({
  id: p.id,
  key: p.key,
  name: p.name,
  is_private: p.isPrivate,
  ...(p.description === null ? {} : { description: p.description }),
  is_kinde_property: false,
});

function checkKey(tenant: Tenant, key: string): string | undefined {
  if (/\s/.test(key)) return 'a property key must not contain spaces';
  if (findByKey(tenant.properties, key)) return `a property with key ${key} already exists`;
  return undefined;
}

/** The admin hook's input. */
export interface PropertyDefinition {
  key: string;
  /** Default: the key. */
  name?: string;
  context: 'usr' | 'org';
  /** Default true, as the admin UI's switch starts. */
  is_private?: boolean;
  description?: string;
}

/** Defines a property as `POST /properties` would, minus the category it requires. Returns its id. */
export function defineProperty(tenant: Tenant, definition: PropertyDefinition): string {
  const invalid = (why: string): never => {
    throw new IdmError(`Cannot define property ${JSON.stringify(definition.key)}: ${why}`, 'EMULATOR_SEED_INVALID', 'pick another key, or fix the definition');
  };
  if (typeof definition.key !== 'string' || definition.key.trim() === '') invalid('the key must be a non-empty string');
  if (definition.context !== 'usr' && definition.context !== 'org') invalid('context must be usr or org');
  const problem = checkKey(tenant, definition.key);
  if (problem) invalid(problem);
  const id = newPropertyId(tenant);
  tenant.properties.set(id, {
    id,
    seq: tenant.nextSeq++,
    key: definition.key,
    name: definition.name ?? definition.key,
    description: definition.description ?? null,
    type: 'single_line_text',
    context: definition.context,
    isPrivate: definition.is_private ?? true,
    categoryId: null,
  });
  return id;
}

function readContext<T extends string>(query: URLSearchParams, values: readonly T[]): T | undefined {
  const context = query.get('context');
  if (context === null || context === '') return undefined;
  if (!values.includes(context as T)) throw badRequest('INVALID_REQUEST', `context must be one of ${values.join(', ')}`);
  return context as T;
}

function categoryById(context: ApiContext, id: string) {
  const category = context.tenant.propertyCategories.get(id);
  if (!category) throw badRequest('CATEGORY_NOT_FOUND', `No property category with id ${id}`);
  return category;
}

export const propertyRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/properties',
    scope: 'read:properties',
    handle({ query }, context) {
      const wanted = readContext(query, propertyContexts);
      const properties = [...context.tenant.properties.values()].filter((p) => wanted === undefined || p.context === wanted);
      const page = cursorPaginate(properties, query, context.pageSizeCap);
      return success(200, { properties: page.items.map(propertyView), has_more: page.hasMore });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/properties',
    scope: 'create:properties',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const name = requiredString(body, 'name');
      const key = requiredString(body, 'key');
      const type = requiredEnum(body, 'type', propertyTypes);
      const where = requiredEnum(body, 'context', propertyContexts);
      const isPrivate = optionalBoolean(body, 'is_private');
      if (isPrivate === undefined) throw badRequest('INVALID_REQUEST', 'is_private is required');
      const description = optionalString(body, 'description') ?? null;
      const category = categoryById(context, requiredString(body, 'category_id'));
      if (category.context !== where) throw badRequest('INVALID_CATEGORY', `Category ${category.id} is for context ${category.context}, not ${where}`);
      const problem = checkKey(context.tenant, key);
      if (problem) throw badRequest(problem.includes('exists') ? 'PROPERTY_ALREADY_EXISTS' : 'INVALID_REQUEST', problem);
      const id = newPropertyId(context.tenant);
      context.tenant.properties.set(id, { id, seq: context.tenant.nextSeq++, key, name, description, type, context: where, isPrivate, categoryId: category.id });
      context.changed();
      return success(201, { property: { id } });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/property_categories',
    scope: 'read:property_categories',
    handle({ query }, context) {
      // The spec's filter takes usr and org only, though categories may also be for apps.
      const wanted = readContext(query, ['usr', 'org'] as const);
      const categories = [...context.tenant.propertyCategories.values()].filter((c) => wanted === undefined || c.context === wanted);
      const page = cursorPaginate(categories, query, context.pageSizeCap);
      return success(200, { categories: page.items.map((c) => ({ id: c.id, name: c.name })), has_more: page.hasMore });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/property_categories',
    scope: 'create:property_categories',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const name = requiredString(body, 'name');
      const where: PropertyContext = requiredEnum(body, 'context', propertyContexts);
      const id = newCategoryId(context.tenant);
      context.tenant.propertyCategories.set(id, { id, seq: context.tenant.nextSeq++, name, context: where });
      context.changed();
      return success(201, { category: { id } });
    },
  },
];
