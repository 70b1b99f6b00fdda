/**
 * An organization's MFA and passkey settings. MFA can only be replaced (PUT, no GET): write-only. The passkey
 * policy either follows the environment's or overrides it; reads show the effective policy, whether it is an
 * override, and the environment's.
 */
import { bodyObject, optionalBoolean, optionalEnum } from './input.js';
import { organizationByCode } from './organizations.js';
import { badRequest, success } from './replies.js';
import type { Route } from './routes.js';
import { readMfa } from './security.js';
import { passkeyPolicies, type OrganizationRecord, type Tenant } from './tenant.js';

function passkeyView(tenant: Tenant, org: OrganizationRecord) {
  const policy = org.passkeyPolicy ?? tenant.passkeyPolicy;
  return { enabled: policy !== 'off', policy, is_override_environment_passkey_settings: org.passkeyPolicy !== null };
}

export const organizationSecurityRoutes: readonly Route[] = [
  {
    method: 'PUT',
    path: '/api/v1/organizations/{org_code}/mfa',
    scope: 'update:organization_mfa',
    handle({ params, body }, context) {
      const org = organizationByCode(context, params.org_code!);
      org.writeOnly.mfa = readMfa(bodyObject(body), false);
      context.changed();
      return success(200);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/organizations/{org_code}/passkey',
    scope: 'read:organization_passkey',
    handle({ params }, context) {
      const org = organizationByCode(context, params.org_code!);
      return success(200, { ...passkeyView(context.tenant, org), environment_policy: context.tenant.passkeyPolicy });
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/organizations/{org_code}/passkey',
    scope: 'update:organization_passkey',
    handle({ params, body: raw }, context) {
      const org = organizationByCode(context, params.org_code!);
      const body = bodyObject(raw);
      const policy = optionalEnum(body, 'policy', passkeyPolicies);
      // Giving a policy means overriding; `false` reverts to the environment's policy whatever else is sent.
      const override = optionalBoolean(body, 'is_override_environment_passkey_settings') ?? (policy !== undefined ? true : undefined);
      if (override === undefined) throw badRequest('INVALID_REQUEST', 'give policy, or is_override_environment_passkey_settings: false to follow the environment');
      if (override && policy === undefined && org.passkeyPolicy === null) {
        throw badRequest('INVALID_REQUEST', 'policy is required to override the environment passkey settings');
      }
      org.passkeyPolicy = override ? (policy ?? org.passkeyPolicy) : null;
      context.changed();
      return success(200, passkeyView(context.tenant, org));
    },
  },
];
