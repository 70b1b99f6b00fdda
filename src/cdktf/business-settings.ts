import { Construct } from 'constructs';

/** Each field absent = not managed. */
export interface BusinessSettingsProps {
  readonly name?: string;
  /** "Show a policy acceptance checkbox on sign up" (Kinde `is_click_wrap`). */
  readonly policyAcceptance?: boolean;
  /** An https:// link, or null to remove it. */
  readonly termsUrl?: string | null;
  /** An https:// link, or null to remove it. */
  readonly privacyUrl?: string | null;
}

/** Business settings: YAML's `business:`. At most one per IdmConfig. */
export class BusinessSettings extends Construct {
  readonly props: BusinessSettingsProps;

  constructor(scope: Construct, id: string, props: BusinessSettingsProps) {
    super(scope, id);
    this.props = props;
  }
}
