/**
 * Organizations. Kinde splits the paths: the list is `/organizations`, but get, create, update and delete use the
 * singular `/organization` (get takes the code as `?code=`). Quirks kept:
 * - GET returns the organization's fields at the top level, not in the success envelope: there `code` is the org code.
 * - `is_auto_join_domain_list`, `is_enable_advanced_orgs` and `is_enforce_mfa` are accepted by PATCH (only) and
 *   stored, but no read returns them. `allowed_domains` is also PATCH-only, but reads show it.
 * - Colours are written as hex strings and read as `{raw, hex, hsl}`.
 * - Fields the create body does not declare (such as `allowed_domains`) are ignored there, as unknown fields are.
 * - The default organization, which every tenant starts with, can be updated but neither deleted nor suspended.
 */
import { checkColor, colorView } from './colors.js';
import { checkOverride, flagByKey } from './feature-flags.js';
import { bodyObject, optionalBoolean, optionalEnum, optionalNonEmptyString, optionalString, optionalStringArray, requiredString, type Body } from './input.js';
import { forgetOrganization } from './memberships.js';
import { paginate, type SortOrder } from './pagination.js';
import { badRequest, notFound, success } from './replies.js';
import type { ApiContext, Route } from './routes.js';
import { colorFields, isoSeconds, newCode, newOrganization, themeCodes, type ColorField, type OrganizationRecord, type ThemeCode } from './tenant.js';

const organizationOrders: Readonly<Record<string, SortOrder<OrganizationRecord>>> = {
  name_asc: { value: (o) => o.name, descending: false },
  name_desc: { value: (o) => o.name, descending: true },
  // Organizations have no email of their own: the nearest is the sender email their mails go out with.
  email_asc: { value: (o) => o.senderEmail ?? '', descending: false },
  email_desc: { value: (o) => o.senderEmail ?? '', descending: true },
};

export function organizationByCode(context: ApiContext, code: string): OrganizationRecord {
  const org = context.tenant.organizations.get(code);
  if (!org) throw badRequest('ORGANIZATION_NOT_FOUND', `No organization with code ${code}`);
  return org;
}

const colorScheme: Readonly<Record<ThemeCode, string>> = { light: 'light', dark: 'dark', user_preference: 'light dark' };

const listItem = (o: OrganizationRecord) => ({
  code: o.code,
  name: o.name,
  handle: o.handle,
  is_default: o.isDefault,
  external_id: o.externalId,
  is_auto_membership_enabled: o.isAutoMembershipEnabled,
});

/** `get_organization_response`; the write-only fields are deliberately absent. */
function organizationView(o: OrganizationRecord, withBilling: boolean) {
  const colors = Object.fromEntries(colorFields.map((field) => [field, o.colors[field] === undefined ? null : colorView(o.colors[field])]));
  return {
    ...listItem(o),
    logo: null,
    logo_dark: null,
    favicon_svg: null,
    favicon_fallback: null,
    allowed_domains: [...o.allowedDomains],
    ...colors,
    button_border_radius: null,
    card_border_radius: null,
    input_border_radius: null,
    theme_code: o.themeCode,
    color_scheme: colorScheme[o.themeCode],
    created_on: o.createdOn,
    // The deprecated alias of is_auto_membership_enabled reads as the same setting.
    is_allow_registrations: o.isAutoMembershipEnabled,
    sender_name: o.senderName,
    sender_email: o.senderEmail,
    is_suspended: o.isSuspended,
    suspended_on: o.suspendedOn,
    ...(withBilling ? { billing: { ...(o.billingCustomerId ? { billing_customer_id: o.billingCustomerId } : {}), agreements: [] } } : {}),
  };
}

function readExpand(query: URLSearchParams): boolean {
  const expand = query.get('expand');
  if (expand === null || expand === '') return false;
  if (expand !== 'billing') throw badRequest('INVALID_REQUEST', 'expand may only be "billing"');
  return true;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const handlePattern = /^[A-Za-z0-9_-]+$/;

/**
 * The fields create and update share, read and checked before anything changes, so that a rejected request leaves
 * the organization as it was. Undefined: not given; for the clearable strings, `''` (or null where the spec allows
 * it) clears.
 */
interface CommonFields {
  name?: string;
  externalId?: string | null;
  handle?: string | null;
  colors: Partial<Record<ColorField, string | null>>;
  themeCode?: ThemeCode;
  autoMembership?: boolean;
  senderName?: string | null;
  senderEmail?: string | null;
}

function readCommon(body: Body, context: ApiContext, self?: OrganizationRecord): CommonFields {
  const name = optionalNonEmptyString(body, 'name');
  const externalId = clearable(optionalString(body, 'external_id'));
  const handle = clearable(optionalString(body, 'handle'));
  if (handle && !handlePattern.test(handle)) throw badRequest('INVALID_HANDLE', 'handle may hold only letters, digits, _ and -');
  for (const other of context.tenant.organizations.values()) {
    if (other === self) continue;
    if (externalId && other.externalId === externalId) throw badRequest('ORGANIZATION_EXTERNAL_ID_ALREADY_EXISTS', `An organization with external_id ${externalId} already exists`);
    if (handle && other.handle === handle) throw badRequest('ORGANIZATION_HANDLE_ALREADY_EXISTS', `An organization with handle ${handle} already exists`);
  }
  const colors: CommonFields['colors'] = {};
  for (const field of colorFields) {
    const value = clearable(optionalString(body, field));
    if (value !== undefined) colors[field] = value === null ? null : checkColor(field, value);
  }
  const senderEmail = body.sender_email === null ? null : clearable(optionalString(body, 'sender_email'));
  if (senderEmail && !emailPattern.test(senderEmail)) throw badRequest('INVALID_EMAIL', 'sender_email must be an email address');
  return {
    name,
    externalId,
    handle,
    colors,
    themeCode: optionalEnum(body, 'theme_code', themeCodes),
    autoMembership: optionalBoolean(body, 'is_auto_membership_enabled') ?? optionalBoolean(body, 'is_allow_registrations'),
    senderName: body.sender_name === null ? null : clearable(optionalString(body, 'sender_name')),
    senderEmail,
  };
}

const clearable = (value: string | undefined): string | null | undefined => (value === '' ? null : value);

function applyCommon(org: OrganizationRecord, fields: CommonFields): void {
  if (fields.name !== undefined) org.name = fields.name;
  if (fields.externalId !== undefined) org.externalId = fields.externalId;
  if (fields.handle !== undefined) org.handle = fields.handle;
  for (const [field, value] of Object.entries(fields.colors) as [ColorField, string | null][]) {
    if (value === null) delete org.colors[field];
    else org.colors[field] = value;
  }
  if (fields.themeCode !== undefined) org.themeCode = fields.themeCode;
  if (fields.autoMembership !== undefined) org.isAutoMembershipEnabled = fields.autoMembership;
  if (fields.senderName !== undefined) org.senderName = fields.senderName;
  if (fields.senderEmail !== undefined) org.senderEmail = fields.senderEmail;
}

/**
 * Create's `feature_flags`: the spec types each value as the enum `str|int|bool` (a slip, it seems, for the value);
 * the emulator reads the map as flag key → override value, checked like `PATCH …/feature_flags/{key}?value=`.
 */
function readCreateFlags(body: Body, context: ApiContext): Map<string, string> {
  const given = body.feature_flags;
  if (given === undefined || given === null) return new Map();
  if (typeof given !== 'object' || Array.isArray(given)) throw badRequest('INVALID_REQUEST', 'feature_flags must be an object of flag key to value');
  return new Map(
    Object.entries(given as Record<string, unknown>).map(([key, value]) => {
      if (typeof value !== 'string') throw badRequest('INVALID_REQUEST', `feature_flags.${key} must be a string`);
      return [key, checkOverride(flagByKey(context, key), 'org', value)];
    }),
  );
}

export const organizationRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/organizations',
    scope: 'read:organizations',
    handle({ query }, context) {
      const page = paginate(context.tenant.organizations.values(), query, organizationOrders, context.pageSizeCap);
      return success(200, { organizations: page.items.map(listItem), ...(page.nextToken ? { next_token: page.nextToken } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/api/v1/organization',
    scope: 'read:organizations',
    handle({ query }, context) {
      const code = query.get('code');
      if (!code) throw badRequest('INVALID_REQUEST', 'query parameter code is required');
      const withBilling = readExpand(query);
      return { status: 200, body: organizationView(organizationByCode(context, code), withBilling) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/organization',
    scope: 'create:organizations',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const name = requiredString(body, 'name');
      const fields = readCommon(body, context);
      const flags = readCreateFlags(body, context);
      const billing = optionalBoolean(body, 'is_create_billing_customer') ?? false;
      const billingEmail = optionalString(body, 'billing_email');
      // Billing plans are not emulated: the code is only checked to be a string.
      optionalString(body, 'billing_plan_code');
      if (billing && !billingEmail) throw badRequest('INVALID_REQUEST', 'billing_email is required when is_create_billing_customer is true');
      if (billingEmail && !emailPattern.test(billingEmail)) throw badRequest('INVALID_EMAIL', 'billing_email must be an email address');

      let code = newCode('org');
      while (context.tenant.organizations.has(code)) code = newCode('org');
      const org = newOrganization(context.tenant.nextSeq++, { name, code });
      applyCommon(org, fields);
      for (const [key, value] of flags) org.flagOverrides.set(key, value);
      if (billing) org.billingCustomerId = newCode('customer');
      context.tenant.organizations.set(code, org);
      context.changed();
      return success(200, { organization: { code, ...(org.billingCustomerId ? { billing_customer_id: org.billingCustomerId } : {}) } });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organization/{org_code}',
    scope: 'update:organizations',
    handle({ params, query, body: raw }, context) {
      const org = organizationByCode(context, params.org_code!);
      readExpand(query);
      const body = bodyObject(raw);
      const fields = readCommon(body, context, org);
      const allowedDomains = optionalStringArray(body, 'allowed_domains');
      if (allowedDomains?.some((d) => d.trim() === '')) throw badRequest('INVALID_REQUEST', 'allowed_domains must not hold empty strings');
      const autoJoin = optionalBoolean(body, 'is_auto_join_domain_list');
      const advanced = optionalBoolean(body, 'is_enable_advanced_orgs');
      const enforceMfa = optionalBoolean(body, 'is_enforce_mfa');
      const suspend = optionalBoolean(body, 'is_suspended');
      if (suspend && org.isDefault) throw badRequest('CANNOT_SUSPEND_DEFAULT_ORGANIZATION', 'The default organization cannot be suspended');

      applyCommon(org, fields);
      if (allowedDomains !== undefined) org.allowedDomains = [...allowedDomains];
      if (autoJoin !== undefined) org.writeOnly.isAutoJoinDomainList = autoJoin;
      if (advanced !== undefined) org.writeOnly.isEnableAdvancedOrgs = advanced;
      if (enforceMfa !== undefined) org.writeOnly.isEnforceMfa = enforceMfa;
      if (suspend !== undefined && suspend !== org.isSuspended) {
        org.isSuspended = suspend;
        org.suspendedOn = suspend ? isoSeconds() : null;
      }
      context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organization/{org_code}',
    scope: 'delete:organizations',
    handle({ params }, context) {
      const code = params.org_code!;
      const org = context.tenant.organizations.get(code);
      // The one organization operation that declares a 404, with its errors-as-an-object body.
      if (!org) throw notFound('ORGANIZATION_NOT_FOUND', `No organization with code ${code}`);
      if (org.isDefault) throw badRequest('CANNOT_DELETE_DEFAULT_ORGANIZATION', 'The default organization cannot be deleted');
      // Its members stay users; they only stop belonging to it (and lose the roles they had there).
      forgetOrganization(context.tenant, org);
      context.tenant.organizations.delete(code);
      context.changed();
      return success(200);
    },
  },
];
