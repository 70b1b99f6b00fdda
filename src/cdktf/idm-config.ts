import { Construct } from 'constructs';
import type { Prune, UsersMode } from '../model/desired.js';

export interface IdmConfigProps {
  /**
   * Which collections idm may delete from (objects in the tenant but not declared here). Each defaults to false,
   * as in YAML's `prune:`.
   */
  readonly prune?: Partial<Prune>;
  /** `seed` (default): create missing users only. `managed`: update and (with prune.users) delete them too. */
  readonly usersMode?: UsersMode;
}

/**
 * The root of one identity configuration: the constructs under it (Permission, Role, FeatureFlag, Organization,
 * BusinessSettings, EnvironmentSettings, SeedUser) are what `toDesired` collects. It may be a tree's root
 * (`new IdmConfig(undefined, 'idm')`) or sit inside a CDKTF stack (IdmStack makes one).
 */
export class IdmConfig extends Construct {
  readonly props: IdmConfigProps;

  constructor(scope: Construct | undefined, id: string, props: IdmConfigProps = {}) {
    // constructs makes a root when scope is undefined; its typings do not say so.
    super(scope as Construct, id);
    this.props = props;
  }
}
