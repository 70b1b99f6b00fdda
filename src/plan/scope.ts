/** What a plan must read from the tenant, derived from what the config manages (see ReadScope). */
import type { Desired, OrganizationSpec } from '../model/desired.js';
import type { ReadScope } from '../model/plan.js';

const needsDetail = (o: OrganizationSpec): boolean => Object.keys(o.colors).length > 0 || o.policies.allowedDomains !== undefined;

const hasWriteOnly = (d: Desired): boolean =>
  d.featureFlags.size > 0 ||
  d.environment?.mfa !== undefined ||
  [...d.organizations.values()].some((o) => o.policies.autoJoinDomains !== undefined || o.policies.enforceMfa !== undefined || o.mfa !== undefined);

export function readScope(d: Desired): ReadScope {
  const env = d.environment;
  return {
    feature_flags: d.featureFlags.size > 0 || d.prune.feature_flags,
    organizations: d.organizations.size > 0 || d.prune.organizations,
    organization_details: Object.fromEntries(
      [...d.organizations.values()].map((o) => [o.externalId, { detail: needsDetail(o), feature_flags: o.featureFlags !== undefined && o.featureFlags.size > 0, passkey: o.passkey !== undefined }]),
    ),
    business: d.business !== undefined,
    environment: {
      details: env !== undefined && Object.keys(env.tracking).length > 0,
      feature_flags: env !== undefined && env.featureFlags.size > 0,
      passkey: env?.passkey !== undefined,
    },
    write_only: hasWriteOnly(d),
  };
}
