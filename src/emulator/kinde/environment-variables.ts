/**
 * `/api/v1/environment_variables` (beta in Kinde). Secret values are never read back: reads give `value: null`
 * (the schema's nullable value) for them, and a secret cannot be made readable again. The answers' `code` and
 * `message` are operation-specific (`VARIABLE_CREATED`, ...), as the spec's examples give them.
 */
import { randomBytes } from 'node:crypto';
import { bodyObject, optionalBoolean, optionalString, type Body } from './input.js';
import { cursorPaginate } from './pagination.js';
import { badRequest } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { findByKey, isoSeconds, type EnvironmentVariableRecord } from './tenant.js';

const limits = { key: 128, value: 2048 };

/** Ids shaped like Kinde's: `env_var_` and 32 hex digits, led by the time so they read in creation order. */
const newVariableId = (): string => `env_var_${Date.now().toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;

const variableView = (v: EnvironmentVariableRecord) => ({
  id: v.id,
  key: v.key,
  value: v.isSecret ? null : v.value,
  is_secret: v.isSecret,
  created_on: v.createdOn,
});

function variableById(context: ApiContext, id: string): EnvironmentVariableRecord {
  const variable = context.tenant.environmentVariables.get(id);
  if (!variable) throw badRequest('ENVIRONMENT_VARIABLE_NOT_FOUND', `No environment variable with id ${id}`);
  return variable;
}

function readKey(body: Body, required: boolean, context: ApiContext, self?: EnvironmentVariableRecord): string | undefined {
  const key = optionalString(body, 'key');
  if (key === undefined) {
    if (required) throw badRequest('INVALID_REQUEST', 'key is required');
    return undefined;
  }
  if (key.trim() === '') throw badRequest('INVALID_REQUEST', 'key must not be empty');
  if (key.length > limits.key) throw badRequest('INVALID_REQUEST', `key must be at most ${limits.key} characters`);
  const holder = findByKey(context.tenant.environmentVariables, key);
  if (holder && holder !== self) throw badRequest('ENVIRONMENT_VARIABLE_ALREADY_EXISTS', `An environment variable with key ${key} already exists`);
  return key;
}

function readValue(body: Body, required: boolean): string | undefined {
  const value = optionalString(body, 'value');
  if (value === undefined && required) throw badRequest('INVALID_REQUEST', 'value is required');
  if (value !== undefined && value.length > limits.value) throw badRequest('INVALID_REQUEST', `value must be at most ${limits.value} characters`);
  return value;
}

export const environmentVariableRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/environment_variables',
    scope: 'read:environment_variables',
    handle({ query }, context) {
      const page = cursorPaginate(context.tenant.environmentVariables.values(), query, context.pageSizeCap);
      return { status: 200, body: { code: 'OK', message: 'Success', has_more: page.hasMore, environment_variables: page.items.map(variableView) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/environment_variables',
    scope: 'create:environment_variables',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const key = readKey(body, true, context)!;
      const value = readValue(body, true)!;
      const isSecret = optionalBoolean(body, 'is_secret') ?? false;
      let id = newVariableId();
      while (context.tenant.environmentVariables.has(id)) id = newVariableId();
      context.tenant.environmentVariables.set(id, { id, seq: context.tenant.nextSeq++, createdOn: isoSeconds(), key, value, isSecret });
      context.changed();
      return { status: 201, body: { message: 'Environment variable created', code: 'VARIABLE_CREATED', environment_variable: { id } } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/environment_variables/{variable_id}',
    scope: 'read:environment_variables',
    handle({ params }, context) {
      return { status: 200, body: { code: 'OK', message: 'Success', environment_variable: variableView(variableById(context, params.variable_id!)) } };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/environment_variables/{variable_id}',
    scope: 'update:environment_variables',
    handle({ params, body: raw }, context) {
      const variable = variableById(context, params.variable_id!);
      const body = bodyObject(raw);
      const key = readKey(body, false, context, variable);
      const value = readValue(body, false);
      const isSecret = optionalBoolean(body, 'is_secret');
      // Kinde's docs: marking a variable sensitive makes its value unreadable for good.
      if (variable.isSecret && isSecret === false) throw badRequest('ENVIRONMENT_VARIABLE_IS_SECRET', 'A secret environment variable cannot be made readable again');
      if (key !== undefined) variable.key = key;
      if (value !== undefined) variable.value = value;
      if (isSecret !== undefined) variable.isSecret = isSecret;
      context.changed();
      return { status: 200, body: { message: 'Environment variable updated', code: 'ENVIRONMENT_VARIABLE_UPDATED' } };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/environment_variables/{variable_id}',
    scope: 'delete:environment_variables',
    handle({ params }, context) {
      const variable = variableById(context, params.variable_id!);
      context.tenant.environmentVariables.delete(variable.id);
      context.changed();
      return { status: 200, body: { message: 'Environment variable deleted', code: 'ENVIRONMENT_VARIABLE_DELETED' } };
    },
  },
];
