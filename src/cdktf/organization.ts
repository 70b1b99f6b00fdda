import { Construct } from 'constructs';
import type { ColorName, FlagValue, MfaFactor, PasskeyPolicy } from '../model/desired.js';

export interface OrganizationPoliciesProps {
  /** Members may be added automatically (Kinde `is_auto_membership_enabled`). Absent: not managed. */
  readonly autoMembership?: boolean;
  /** Domain names (case-insensitive; kept lower-case). Absent: not managed. */
  readonly allowedDomains?: readonly string[];
  /** Users with an allowed domain join on sign-up (write-only in the API). Absent: not managed. */
  readonly autoJoinDomains?: boolean;
  /** Require MFA in this organization (write-only in the API). Absent: not managed. */
  readonly enforceMfa?: boolean;
}

export interface MfaProps {
  readonly factors: readonly MfaFactor[];
  readonly recoveryCodes?: boolean;
}

export interface OrganizationProps {
  /** The stable identity; Kinde's org code is looked up, never declared. */
  readonly externalId: string;
  readonly name: string;
  /** Lower-case letters, digits and hyphens. */
  readonly handle?: string;
  /** Hex colours, `#rgb` or `#rrggbb` (kept as lower-case `#rrggbb`). Only the colours listed are managed. */
  readonly colors?: Readonly<Partial<Record<ColorName, string>>>;
  readonly policies?: OrganizationPoliciesProps;
  /** Org MFA factors (write-only in the API). Absent: not managed. */
  readonly mfa?: MfaProps;
  /** Passkey policy; `overrideEnvironment` defaults to true. */
  readonly passkey?: { readonly policy: PasskeyPolicy; readonly overrideEnvironment?: boolean };
  /** Flag values for this organization, by flag key; each flag must be declared (FeatureFlag). */
  readonly featureFlags?: Readonly<Record<string, FlagValue>>;
  /** Values of org properties (defined in Kinde under Settings > Properties). */
  readonly properties?: Readonly<Record<string, string>>;
}

/** An organization: YAML's `organizations:` entry. */
export class Organization extends Construct {
  readonly props: OrganizationProps;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    this.props = props;
  }

  get externalId(): string {
    return this.props.externalId;
  }
}
