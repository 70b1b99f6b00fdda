/**
 * RFC 6902 JSON Patch as Kratos applies it to an identity (ory/x jsonx.ApplyJSONPatch over evanphx/json-patch v5):
 * only `add`, `remove` and `replace` are accepted; every operation's path is checked against a deny list of globs
 * before anything is applied; a `replace` of an object member that does not exist is an `add` (Ory's tolerance),
 * and `add` creates missing parent objects. The input document is never modified, so a failed patch leaves
 * nothing behind.
 */
import type { Json, JsonObject } from './identity.js';

export interface PatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: Json;
}

/** A patch Kratos refuses; the message is what it puts in `error.message`. */
export class PatchError extends Error {}

/** `**` crosses `/`, `*` does not: gobwas/glob with `/` as separator. Matching is case-insensitive, as Ory lowercases both. */
function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexes = patterns.map((pattern) => {
    const source = pattern
      .toLowerCase()
      .split(/(\*\*|\*)/)
      .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${source}$`);
  });
  return (path) => regexes.some((r) => r.test(path.toLowerCase()));
}

const isElementAccess = (path: string): boolean => {
  const last = path.split('/').pop() ?? '';
  return last === '-' || /^-?\d+$/.test(last);
};

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer: ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks the operations against Kratos' rules and the deny list, then applies them to a copy of `document`. */
export function applyJsonPatch(document: Json, operations: readonly PatchOperation[], denied: readonly string[]): Json {
  const isDenied = globMatcher(denied);
  const checked = operations.map((operation) => {
    if (!['add', 'remove', 'replace'].includes(operation.op)) throw new PatchError(`unsupported operation: ${operation.op}`);
    if (typeof operation.path !== 'string') throw new PatchError('error parsing patch operations: operation missing path field');
    if (isDenied(operation.path)) throw new PatchError(`patch includes denied path: ${operation.path}`);
    return operation.op === 'replace' && !isElementAccess(operation.path) ? { ...operation, op: 'add' } : operation;
  });
  let result = structuredClone(document);
  for (const operation of checked) result = applyOne(result, operation);
  return result;
}

function applyOne(document: Json, operation: PatchOperation): Json {
  const parts = parsePointer(operation.path);
  if (parts.length === 0) {
    if (operation.op === 'remove') throw new PatchError('unable to remove the whole document');
    return structuredClone(operation.value ?? null);
  }
  const key = parts[parts.length - 1]!;
  const parent = container(document, parts.slice(0, -1), operation);
  const value = structuredClone(operation.value ?? null);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    const limit = operation.op === 'add' ? parent.length : parent.length - 1;
    if (!/^(-|\d+)$/.test(key) || (key === '-' && operation.op !== 'add') || index > limit) {
      throw new PatchError(`Unable to access invalid index: ${key}: invalid index referenced`);
    }
    if (operation.op === 'add') parent.splice(index, 0, value);
    else if (operation.op === 'remove') parent.splice(index, 1);
    else parent[index] = value;
    return document;
  }
  if (operation.op !== 'add' && !(key in parent)) {
    throw new PatchError(`${operation.op} operation does not apply: doc is missing path: ${JSON.stringify(operation.path)}: missing value`);
  }
  if (operation.op === 'remove') delete parent[key];
  else parent[key] = value;
  return document;
}

/** The parent of the target; `add` creates missing objects (or arrays before an index) on the way. */
function container(document: Json, parts: readonly string[], operation: PatchOperation): JsonObject | Json[] {
  let current: Json = document;
  parts.forEach((part, i) => {
    let next: Json | undefined;
    if (Array.isArray(current)) next = /^\d+$/.test(part) ? current[Number(part)] : undefined;
    else if (isObject(current)) next = current[part];
    else throw new PatchError(`${operation.op} operation does not apply: doc is missing path: ${JSON.stringify(operation.path)}: missing value`);
    if (next === undefined || next === null) {
      if (operation.op !== 'add' || Array.isArray(current)) {
        throw new PatchError(`${operation.op} operation does not apply: doc is missing path: ${JSON.stringify(operation.path)}: missing value`);
      }
      next = /^(\d+|-)$/.test(parts[i + 1] ?? '') ? [] : {};
      (current as JsonObject)[part] = next;
    }
    current = next;
  });
  if (!Array.isArray(current) && !isObject(current)) {
    throw new PatchError(`${operation.op} operation does not apply: doc is missing path: ${JSON.stringify(operation.path)}: missing value`);
  }
  return current;
}
