/**
 * The emulated tenant's data. `seq` records creation order, which is the order lists come back in when no
 * `sort` is asked for; ids alone cannot give it because two ids minted in one millisecond sort randomly.
 */
import { randomBytes } from 'node:crypto';
import { UserDirectory } from './user-directory.js';

export interface PermissionRecord {
  readonly id: string;
  readonly seq: number;
  key: string;
  name: string;
  description: string | null;
}

export interface RoleRecord {
  readonly id: string;
  readonly seq: number;
  key: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  /** Ids of the permissions the role grants. */
  readonly permissions: Set<string>;
}

export const colorFields = [
  'background_color', 'button_color', 'button_text_color', 'link_color',
  'background_color_dark', 'button_color_dark', 'button_text_color_dark', 'link_color_dark',
] as const;
export type ColorField = (typeof colorFields)[number];

export const themeCodes = ['light', 'dark', 'user_preference'] as const;
export type ThemeCode = (typeof themeCodes)[number];

export const mfaFactors = ['mfa:email', 'mfa:sms', 'mfa:authenticator_app'] as const;
export type MfaFactor = (typeof mfaFactors)[number];

export const passkeyPolicies = ['off', 'optional', 'mandatory'] as const;
export type PasskeyPolicy = (typeof passkeyPolicies)[number];

export interface MfaSettings {
  enabledFactors: MfaFactor[];
  isRecoveryCodesEnabled: boolean;
}

/** A user's membership of one organization, and what it grants there. */
export interface MembershipRecord {
  readonly userId: string;
  /** Orders the member list by default: when the user joined. */
  readonly seq: number;
  readonly joinedOn: string;
  /** Role ids. */
  readonly roles: Set<string>;
  /** Ids of permissions granted directly, not through a role. */
  readonly permissions: Set<string>;
}

export interface OrganizationRecord {
  /** Kinde's org code, e.g. `org_1ccfb819462`: the only id organizations have. */
  readonly code: string;
  readonly seq: number;
  readonly createdOn: string;
  /** Set on the org every tenant starts with; nothing can move it to another org. */
  readonly isDefault: boolean;
  name: string;
  handle: string | null;
  externalId: string | null;
  isAutoMembershipEnabled: boolean;
  allowedDomains: string[];
  /** Each colour as the client wrote it (a hex string); reads expand it to `{raw, hex, hsl}`. */
  colors: Partial<Record<ColorField, string>>;
  themeCode: ThemeCode;
  senderName: string | null;
  senderEmail: string | null;
  isSuspended: boolean;
  suspendedOn: string | null;
  billingCustomerId: string | null;
  /** Write-only in the API: kept so that the emulator behaves as if they mattered, never returned. */
  readonly writeOnly: {
    isAutoJoinDomainList: boolean;
    isEnableAdvancedOrgs: boolean;
    isEnforceMfa: boolean;
    /** From PUT /organizations/{org_code}/mfa, which has no GET. */
    mfa: MfaSettings | null;
  };
  /** Null while the org follows the environment's passkey policy. */
  passkeyPolicy: PasskeyPolicy | null;
  /** Feature flag key to override value, as the string the API took. */
  readonly flagOverrides: Map<string, string>;
  /** By user id, in joining order. Kept in step with each user's `organizations` by memberships.ts. */
  readonly members: Map<string, MembershipRecord>;
  /** Property key to value. */
  readonly properties: Map<string, string>;
}

export const flagTypes = ['str', 'int', 'bool'] as const;
export type FlagType = (typeof flagTypes)[number];

export const overrideLevels = ['env', 'org', 'usr'] as const;
export type OverrideLevel = (typeof overrideLevels)[number];

export interface FeatureFlagRecord {
  readonly key: string;
  readonly seq: number;
  name: string;
  description: string | null;
  type: FlagType;
  /** Null: the flag cannot be overridden anywhere. */
  allowOverrideLevel: OverrideLevel | null;
  defaultValue: string;
}

export interface BusinessRecord {
  readonly code: string;
  readonly createdOn: string;
  name: string;
  phone: string | null;
  email: string | null;
  /** Keys, as PATCH takes them; GET shows their display names. */
  industryKey: string | null;
  timezoneKey: string | null;
  privacyUrl: string | null;
  termsUrl: string | null;
  isClickWrap: boolean;
  isShowKindeBranding: boolean;
  /** Write-only: no read returns it. */
  kindePerkCode: string | null;
}

/** The environment's third-party analytics IDs: readable through the API, settable only in the admin UI. */
export interface EnvironmentTracking {
  google_analytics_tag: string | null;
  hotjar_site_id: string | null;
  contentsquare_tag_id: string | null;
}

export interface EnvironmentVariableRecord {
  readonly id: string;
  readonly seq: number;
  readonly createdOn: string;
  key: string;
  value: string;
  isSecret: boolean;
}

export const propertyContexts = ['usr', 'org', 'app'] as const;
export type PropertyContext = (typeof propertyContexts)[number];

export const propertyTypes = ['single_line_text', 'multi_line_text'] as const;
export type PropertyType = (typeof propertyTypes)[number];

export interface PropertyRecord {
  /** `prop_` and 32 hex digits, as the spec's example. */
  readonly id: string;
  readonly seq: number;
  /** Cannot change once created (Kinde's docs). */
  readonly key: string;
  name: string;
  description: string | null;
  readonly type: PropertyType;
  readonly context: PropertyContext;
  isPrivate: boolean;
  /** Null for properties defined through `admin.defineProperty`, which needs no category. */
  categoryId: string | null;
}

export interface PropertyCategoryRecord {
  readonly id: string;
  readonly seq: number;
  name: string;
  readonly context: PropertyContext;
}

/**
 * A social or enterprise connection, defined through `admin.defineConnection` only: the emulator does not serve the
 * connections API, but identities of those kinds name one, and a social identity's type is its strategy.
 */
export interface ConnectionRecord {
  readonly id: string;
  readonly seq: number;
  readonly name: string;
  /** E.g. `oauth2:google` (social) or `saml:okta` (enterprise), as the spec's connection strategies. */
  readonly strategy: string;
}

export interface Tenant {
  readonly createdOn: string;
  nextSeq: number;
  readonly permissions: Map<string, PermissionRecord>;
  readonly roles: Map<string, RoleRecord>;
  /** Keyed by org code. */
  readonly organizations: Map<string, OrganizationRecord>;
  /** Keyed by flag key, which cannot change. */
  readonly featureFlags: Map<string, FeatureFlagRecord>;
  readonly environmentFlagOverrides: Map<string, string>;
  readonly business: BusinessRecord;
  readonly tracking: EnvironmentTracking;
  /** From PUT /mfa, which has no GET. */
  mfa: (MfaSettings & { policy: 'required' | 'off' | 'optional' }) | null;
  passkeyPolicy: PasskeyPolicy;
  readonly environmentVariables: Map<string, EnvironmentVariableRecord>;
  readonly users: UserDirectory;
  readonly properties: Map<string, PropertyRecord>;
  readonly propertyCategories: Map<string, PropertyCategoryRecord>;
  readonly connections: Map<string, ConnectionRecord>;
}

export const isoSeconds = (date: Date = new Date()): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Codes shaped like Kinde's: a prefix and 11 lowercase hex digits, e.g. `org_1ccfb819462`. */
export const newCode = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex').slice(0, 11)}`;

export function newOrganization(seq: number, fields: { name: string; isDefault?: boolean; createdOn?: string; code?: string }): OrganizationRecord {
  return {
    code: fields.code ?? newCode('org'),
    seq,
    createdOn: fields.createdOn ?? isoSeconds(),
    isDefault: fields.isDefault ?? false,
    name: fields.name,
    handle: null,
    externalId: null,
    isAutoMembershipEnabled: false,
    allowedDomains: [],
    colors: {},
    themeCode: 'user_preference',
    senderName: null,
    senderEmail: null,
    isSuspended: false,
    suspendedOn: null,
    billingCustomerId: null,
    writeOnly: { isAutoJoinDomainList: false, isEnableAdvancedOrgs: false, isEnforceMfa: false, mfa: null },
    passkeyPolicy: null,
    flagOverrides: new Map(),
    members: new Map(),
    properties: new Map(),
  };
}

/** A new Kinde business starts with one organization, the default one, which idm can update but never delete. */
export const defaultOrganization = (seq: number, createdOn: string): OrganizationRecord =>
  newOrganization(seq, { name: 'Default Organization', isDefault: true, createdOn });

export const seededBusiness = (createdOn: string): BusinessRecord => ({
  code: newCode('bus'),
  createdOn,
  name: 'Emulated Business',
  phone: null,
  email: null,
  industryKey: null,
  timezoneKey: null,
  privacyUrl: null,
  termsUrl: null,
  isClickWrap: false,
  isShowKindeBranding: true,
  kindePerkCode: null,
});

export const emptyTracking = (): EnvironmentTracking => ({ google_analytics_tag: null, hotjar_site_id: null, contentsquare_tag_id: null });

export function emptyTenant(now: Date = new Date()): Tenant {
  const createdOn = isoSeconds(now);
  const org = defaultOrganization(1, createdOn);
  return {
    createdOn,
    nextSeq: 2,
    permissions: new Map(),
    roles: new Map(),
    organizations: new Map([[org.code, org]]),
    featureFlags: new Map(),
    environmentFlagOverrides: new Map(),
    business: seededBusiness(createdOn),
    tracking: emptyTracking(),
    mfa: null,
    passkeyPolicy: 'off',
    environmentVariables: new Map(),
    users: new UserDirectory(),
    properties: new Map(),
    propertyCategories: new Map(),
    connections: new Map(),
  };
}

/** The organization every tenant starts with; users created without an organization join it. */
export function defaultOrganizationOf(tenant: Tenant): OrganizationRecord {
  for (const org of tenant.organizations.values()) if (org.isDefault) return org;
  // Nothing can delete the default organization, so a tenant always has one.
  throw new Error('the tenant has no default organization');
}

export const findByKey = <T extends { key: string }>(records: Map<string, T>, key: string): T | undefined => {
  for (const record of records.values()) if (record.key === key) return record;
  return undefined;
};
