/**
 * Property values of users (`/users/{user_id}/properties`) and organizations (`/organizations/{org_code}/properties`):
 * read all, set several (PATCH, a key → value object), set one (PUT, the value in the query string). A value can
 * only be set for a property defined for that context (`usr` or `org`). The read lists every property of the
 * context, with null for those without a value, as the admin UI's Properties tab does. An empty value (or null in
 * PATCH) clears one; numbers and booleans in PATCH are taken as their text, since values are text.
 */
import { userById } from './identities.js';
import { bodyObject, optionalObject, requiredQuery, type Body } from './input.js';
import { organizationByCode } from './organizations.js';
import { badRequest, success } from './replies.js';
import type { ApiContext, ApiRequest, Route } from './routes.js';
import { findByKey, type PropertyRecord } from './tenant.js';

type ValueContext = 'usr' | 'org';

const holderOf = (context: ApiContext, where: ValueContext, params: ApiRequest['params']): Map<string, string> =>
  where === 'usr' ? userById(context, params.user_id!).properties : organizationByCode(context, params.org_code!).properties;

function propertyFor(context: ApiContext, where: ValueContext, key: string): PropertyRecord {
  const property = findByKey(context.tenant.properties, key);
  if (!property || property.context !== where) {
    throw badRequest('PROPERTY_NOT_FOUND', `No ${where === 'usr' ? 'user' : 'organization'} property with key ${key}`);
  }
  return property;
}

function valueText(key: string, value: unknown): string | null {
  if (value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest('INVALID_REQUEST', `properties.${key} must be a string, number, boolean or null`);
}

function setValue(values: Map<string, string>, key: string, value: string | null): void {
  if (value === null) values.delete(key);
  else values.set(key, value);
}

function routesFor(where: ValueContext, base: string, read: string, update: string): Route[] {
  return [
    {
      method: 'GET',
      path: `${base}/properties`,
      scope: read,
      handle({ params }, context) {
        const values = holderOf(context, where, params);
        const properties = [...context.tenant.properties.values()]
          .filter((p) => p.context === where)
          .sort((a, b) => a.seq - b.seq)
          .map((p) => ({ id: p.id, name: p.name, description: p.description, key: p.key, value: values.get(p.key) ?? null }));
        // The response may carry a next_token, but the operation takes no paging parameters: all fit one page.
        return success(200, { properties });
      },
    },
    {
      method: 'PATCH',
      path: `${base}/properties`,
      scope: update,
      handle({ params, body: raw }, context) {
        const values = holderOf(context, where, params);
        const given: Body | undefined = optionalObject(bodyObject(raw), 'properties');
        if (given === undefined) throw badRequest('INVALID_REQUEST', 'properties is required: an object of property key to value');
        // Every key is checked before any value changes.
        const changes = Object.entries(given).map(([key, value]) => [propertyFor(context, where, key).key, valueText(key, value)] as const);
        for (const [key, value] of changes) setValue(values, key, value);
        if (changes.length > 0) context.changed();
        return success(200);
      },
    },
    {
      method: 'PUT',
      path: `${base}/properties/{property_key}`,
      scope: update,
      handle({ params, query }, context) {
        const values = holderOf(context, where, params);
        const property = propertyFor(context, where, params.property_key!);
        setValue(values, property.key, valueText(property.key, requiredQuery(query, 'value')));
        context.changed();
        return success(200);
      },
    },
  ];
}

export const propertyValueRoutes: readonly Route[] = [
  ...routesFor('usr', '/api/v1/users/{user_id}', 'read:user_properties', 'update:user_properties'),
  ...routesFor('org', '/api/v1/organizations/{org_code}', 'read:organization_properties', 'update:organization_properties'),
];
