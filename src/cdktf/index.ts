/** idm's constructs: the same Desired model as the YAML config, declared in TypeScript (design §1). */
export { IdmConfig, type IdmConfigProps } from './idm-config.js';
export { Permission, type PermissionProps } from './permission.js';
export { Role, type RoleProps } from './role.js';
export { FeatureFlag, type FeatureFlagProps } from './feature-flag.js';
export { Organization, type OrganizationProps, type OrganizationPoliciesProps, type MfaProps } from './organization.js';
export { BusinessSettings, type BusinessSettingsProps } from './business-settings.js';
export { EnvironmentSettings, type EnvironmentSettingsProps } from './environment-settings.js';
export { SeedUser, type SeedUserProps, type SeedIdentityProps, type SeedMembershipProps } from './seed-user.js';
export { toDesired } from './to-desired.js';
export { synthIdm, desiredJson, desiredHash } from './synth.js';
export { IdmStack, idmApp, isIdmSynth, synthApp, type IdmStackProps } from './idm-stack.js';
