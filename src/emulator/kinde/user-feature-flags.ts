/**
 * `PATCH /api/v1/users/{user_id}/feature_flags/{feature_flag_key}?value=`: a user's override of a flag whose
 * `allow_override_level` is `usr`. As for organizations, the value travels in the query string. Faithful to the
 * API, nothing reads user overrides back (there is no GET) and nothing removes one but deleting or replacing the flag.
 */
import { checkOverride, flagByKey } from './feature-flags.js';
import { userById } from './identities.js';
import { success } from './replies.js';
import type { Route } from './routes.js';

export const userFeatureFlagRoutes: readonly Route[] = [
  {
    method: 'PATCH',
    path: '/api/v1/users/{user_id}/feature_flags/{feature_flag_key}',
    scope: 'update:user_feature_flags',
    handle({ params, query }, context) {
      const user = userById(context, params.user_id!);
      const flag = flagByKey(context, params.feature_flag_key!);
      user.flagOverrides.set(flag.key, checkOverride(flag, 'usr', query.get('value') ?? undefined));
      context.changed();
      return success(200);
    },
  },
];
