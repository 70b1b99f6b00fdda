/**
 * `/api/v1/organizations/{org_code}/feature_flags`: an organization's flag values and overrides. GET lists every
 * defined flag with its value in that organization (its override, else the environment's, else the default), the
 * way the admin UI's org "Feature flags" tab lists them all, and like the environment listing. Unlike the
 * environment variant, PATCH takes the value as a query parameter, not a body.
 */
import { checkOverride, effectiveFlags, flagByKey } from './feature-flags.js';
import { organizationByCode } from './organizations.js';
import { success } from './replies.js';
import type { Route } from './routes.js';

export const organizationFeatureFlagRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/organizations/{org_code}/feature_flags',
    scope: 'read:organization_feature_flags',
    handle({ params }, context) {
      const org = organizationByCode(context, params.org_code!);
      return success(200, { feature_flags: effectiveFlags(context.tenant, org) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/organizations/{org_code}/feature_flags/{feature_flag_key}',
    scope: 'update:organization_feature_flags',
    handle({ params, query }, context) {
      const org = organizationByCode(context, params.org_code!);
      const flag = flagByKey(context, params.feature_flag_key!);
      org.flagOverrides.set(flag.key, checkOverride(flag, 'org', query.get('value') ?? undefined));
      context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organizations/{org_code}/feature_flags/{feature_flag_key}',
    scope: 'delete:organization_feature_flags',
    handle({ params }, context) {
      const org = organizationByCode(context, params.org_code!);
      const flag = flagByKey(context, params.feature_flag_key!);
      if (org.flagOverrides.delete(flag.key)) context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/organizations/{org_code}/feature_flags',
    scope: 'delete:organization_feature_flags',
    handle({ params }, context) {
      const org = organizationByCode(context, params.org_code!);
      if (org.flagOverrides.size > 0) {
        org.flagOverrides.clear();
        context.changed();
      }
      return success(200);
    },
  },
];
