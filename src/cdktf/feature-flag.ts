import { Construct } from 'constructs';
import type { FlagType, FlagValue, OverrideLevel } from '../model/desired.js';

export interface FeatureFlagProps {
  readonly key: string;
  readonly name: string;
  /** Default ''. */
  readonly description?: string;
  readonly type: FlagType;
  /** Must match `type`: a boolean for bool, an integer for int, a string for str. */
  readonly default: FlagValue;
  /** The most specific level that may override the value. Default 'env'. */
  readonly overrideLevel?: OverrideLevel;
}

/** A feature flag definition: YAML's `feature_flags:` entry. */
export class FeatureFlag extends Construct {
  readonly props: FeatureFlagProps;

  constructor(scope: Construct, id: string, props: FeatureFlagProps) {
    super(scope, id);
    this.props = props;
  }

  get key(): string {
    return this.props.key;
  }
}
