import { Construct } from 'constructs';
import type { FlagValue, IdentityType, PasswordSpec } from '../model/desired.js';
import type { Organization } from './organization.js';
import type { Permission } from './permission.js';
import type { Role } from './role.js';

export interface SeedIdentityProps {
  readonly type: IdentityType;
  /** Emails and usernames are kept lower-case. */
  readonly value: string;
  /** Default false. */
  readonly verified?: boolean;
  /** Default: the first identity of its type. */
  readonly primary?: boolean;
  readonly connectionId?: string;
}

export interface SeedMembershipProps {
  /** An Organization construct or its external id; it must be declared. */
  readonly organization: Organization | string;
  readonly roles?: readonly (Role | string)[];
  readonly permissions?: readonly (Permission | string)[];
}

export interface SeedUserProps {
  /** Your stable id for the user (Kinde's provided_id). Default key: the primary email. */
  readonly id?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly suspended?: boolean;
  readonly identities: readonly SeedIdentityProps[];
  /** A password hash (never plaintext). `temporary` defaults to false, `version` to 1. */
  readonly password?: Omit<PasswordSpec, 'temporary' | 'version'> & { readonly temporary?: boolean; readonly version?: number };
  readonly properties?: Readonly<Record<string, string>>;
  readonly featureFlags?: Readonly<Record<string, FlagValue>>;
  /** At least one: every Kinde user belongs to an organization. */
  readonly organizations: readonly SeedMembershipProps[];
}

/** A seed user: YAML's `users.list` entry. */
export class SeedUser extends Construct {
  readonly props: SeedUserProps;

  constructor(scope: Construct, id: string, props: SeedUserProps) {
    super(scope, id);
    this.props = props;
  }
}
