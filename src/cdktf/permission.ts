import { Construct } from 'constructs';

export interface PermissionProps {
  /** The stable key, e.g. `read:invoices`. Roles and users refer to it. */
  readonly key: string;
  /** The display name. */
  readonly name: string;
  /** Absent: not managed (Kinde cannot clear a description once set). */
  readonly description?: string;
}

/** A permission: YAML's `permissions:` entry. */
export class Permission extends Construct {
  readonly props: PermissionProps;

  constructor(scope: Construct, id: string, props: PermissionProps) {
    super(scope, id);
    this.props = props;
  }

  get key(): string {
    return this.props.key;
  }
}
