import { Construct } from 'constructs';
import type { Permission } from './permission.js';

export interface RoleProps {
  /** The stable key, e.g. `finance-admin`. */
  readonly key: string;
  readonly name: string;
  /** Absent: not managed. */
  readonly description?: string;
  /** Kinde's "Assign to new users". Default false. */
  readonly default?: boolean;
  /** The role's permissions: Permission constructs or permission keys. Order does not matter. Default none. */
  readonly permissions?: readonly (Permission | string)[];
}

/** A role: YAML's `roles:` entry. */
export class Role extends Construct {
  readonly props: RoleProps;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.props = props;
  }

  get key(): string {
    return this.props.key;
  }
}
