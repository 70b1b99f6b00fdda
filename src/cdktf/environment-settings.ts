import { Construct } from 'constructs';
import type { FlagValue, PasskeyPolicy, TrackingName } from '../model/desired.js';
import type { MfaProps } from './organization.js';

export interface EnvironmentSettingsProps {
  /** Third-party analytics IDs (readable, not writable in the API: differences become manual steps). */
  readonly tracking?: Readonly<Partial<Record<TrackingName, string | null>>>;
  /** Environment-level flag values, by flag key; each flag must be declared. Only the keys listed are managed. */
  readonly featureFlags?: Readonly<Record<string, FlagValue>>;
  readonly mfa?: MfaProps & { readonly policy: 'required' | 'off' | 'optional' };
  readonly passkey?: { readonly policy: PasskeyPolicy };
}

/** Environment settings: YAML's `environment:`. At most one per IdmConfig. */
export class EnvironmentSettings extends Construct {
  readonly props: EnvironmentSettingsProps;

  constructor(scope: Construct, id: string, props: EnvironmentSettingsProps) {
    super(scope, id);
    this.props = props;
  }
}
