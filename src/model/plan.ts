/**
 * A Plan is data first, text second: this type is exactly the JSON written by `idm plan --json/--out`
 * (schemas/plan.schema.json), so a saved plan loads back into the same type.
 */
import type { Target } from './target.js';

export type ResourceType = 'permission' | 'role';
export type Action = 'create' | 'update' | 'delete' | 'replace' | 'manual';

/** State of a permission as the plan shows it. `description` absent: not managed by the config. */
export interface PermissionState {
  readonly name: string;
  readonly description?: string | null;
}

/** State of a role as the plan shows it. `permissions` holds keys, sorted. */
export interface RoleState {
  readonly name: string;
  readonly description?: string | null;
  readonly default: boolean;
  readonly permissions: readonly string[];
}

export type Scalar = string | number | boolean | null;

/** A field whose value changes. `path` uses the config's field names. */
export interface ScalarDiff {
  readonly path: string;
  readonly before: Scalar;
  readonly after: Scalar;
}

/** A set-valued field (role permissions): compared as sets, shown as what is added and removed. */
export interface SetDiff {
  readonly path: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export type FieldDiff = ScalarDiff | SetDiff;

export const isSetDiff = (d: FieldDiff): d is SetDiff => 'added' in d;

type NonEmpty<T> = readonly [T, ...T[]];

type ChangeOf<T extends ResourceType, S> =
  | { readonly action: 'create'; readonly type: T; readonly key: string; readonly before: null; readonly after: S; readonly diff: readonly FieldDiff[] }
  | { readonly action: 'update'; readonly type: T; readonly key: string; readonly before: S; readonly after: S; readonly diff: NonEmpty<FieldDiff> }
  | { readonly action: 'delete'; readonly type: T; readonly key: string; readonly before: S; readonly after: null; readonly diff: readonly [] };

export type PermissionChange = ChangeOf<'permission', PermissionState>;
export type RoleChange = ChangeOf<'role', RoleState>;
export type Change = PermissionChange | RoleChange;

/** An object in the tenant that the config does not declare, left alone because its collection is not pruned. */
export interface Unmanaged {
  readonly type: ResourceType;
  readonly key: string;
}

export interface Summary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly manual: number;
}

export interface Plan {
  readonly format_version: '1';
  readonly target: Target;
  readonly summary: Summary;
  /** Deletes first, then creates and updates; within each, permissions before roles, then by key. */
  readonly changes: readonly Change[];
  readonly unmanaged: readonly Unmanaged[];
  /** sha256 of the live state the plan was computed from; `apply plan.json` refuses if it no longer matches. */
  readonly live_fingerprint: string;
}

export const hasChanges = (plan: Plan): boolean => plan.changes.length > 0;
