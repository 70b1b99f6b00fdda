/**
 * `/api/v1/environment/feature_flags`: every defined flag with its environment value, and the environment's
 * overrides. Unlike the organization variant, the override value travels in a JSON body, not the query string.
 */
import { bodyObject, optionalString } from './input.js';
import { checkOverride, effectiveFlags, flagByKey } from './feature-flags.js';
import { success } from './replies.js';
import type { Route } from './routes.js';

export const environmentFeatureFlagRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/environment/feature_flags',
    scope: 'read:environment_feature_flags',
    handle(_request, context) {
      // The response may carry a next_token, but the operation takes no paging parameters: everything fits one page.
      return success(200, { feature_flags: effectiveFlags(context.tenant) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/environment/feature_flags/{feature_flag_key}',
    scope: 'update:environment_feature_flags',
    handle({ params, body: raw }, context) {
      const flag = flagByKey(context, params.feature_flag_key!);
      const value = checkOverride(flag, 'env', optionalString(bodyObject(raw), 'value'));
      context.tenant.environmentFlagOverrides.set(flag.key, value);
      context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/environment/feature_flags/{feature_flag_key}',
    scope: 'delete:environment_feature_flags',
    handle({ params }, context) {
      const flag = flagByKey(context, params.feature_flag_key!);
      if (context.tenant.environmentFlagOverrides.delete(flag.key)) context.changed();
      return success(200);
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/environment/feature_flags',
    scope: 'delete:environment_feature_flags',
    handle(_request, context) {
      if (context.tenant.environmentFlagOverrides.size > 0) {
        context.tenant.environmentFlagOverrides.clear();
        context.changed();
      }
      return success(200);
    },
  },
];
