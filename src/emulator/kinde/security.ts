/**
 * The environment's MFA and passkey settings. MFA can only be replaced (`PUT /mfa`, no GET), so it is write-only;
 * the passkey policy can be read back. Kinde gates passkeys behind an entitlement; the emulator grants it.
 */
import { bodyObject, optionalBoolean, optionalStringArray, requiredEnum } from './input.js';
import { badRequest, success } from './replies.js';
import type { Route } from './routes.js';
import { mfaFactors, passkeyPolicies, type MfaSettings } from './tenant.js';
import type { Body } from './input.js';

/** The factors and recovery-code switch both MFA operations take; a policy that asks for MFA needs a factor. */
export function readMfa(body: Body, enforced: boolean): MfaSettings {
  const enabledFactors = optionalStringArray(body, 'enabled_factors', mfaFactors);
  if (enabledFactors === undefined) throw badRequest('INVALID_REQUEST', 'enabled_factors is required');
  if (enforced && enabledFactors.length === 0) throw badRequest('INVALID_REQUEST', 'enabled_factors must name at least one factor unless MFA is off');
  return { enabledFactors: [...new Set(enabledFactors)], isRecoveryCodesEnabled: optionalBoolean(body, 'is_recovery_codes_enabled') ?? true };
}

export const securityRoutes: readonly Route[] = [
  {
    method: 'PUT',
    path: '/api/v1/mfa',
    scope: 'update:mfa',
    handle({ body: raw }, context) {
      const body = bodyObject(raw);
      const policy = requiredEnum(body, 'policy', ['required', 'off', 'optional'] as const);
      context.tenant.mfa = { policy, ...readMfa(body, policy !== 'off') };
      context.changed();
      return success(200);
    },
  },
  {
    method: 'GET',
    path: '/api/v1/passkey',
    scope: 'read:passkey',
    handle(_request, context) {
      const policy = context.tenant.passkeyPolicy;
      return success(200, { enabled: policy !== 'off', policy });
    },
  },
  {
    method: 'PUT',
    path: '/api/v1/passkey',
    scope: 'update:passkey',
    handle({ body: raw }, context) {
      const policy = requiredEnum(bodyObject(raw), 'policy', passkeyPolicies);
      context.tenant.passkeyPolicy = policy;
      context.changed();
      return success(200, { enabled: policy !== 'off', policy });
    },
  },
];
