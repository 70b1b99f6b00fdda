/**
 * `GET /api/v1/environment`: a production environment on the emulator's host. Its tracking IDs come from the tenant,
 * but, as in Kinde, no API call can set them: the emulator's admin hook (`setEnvironment`) stands in for the admin UI.
 */
import { success } from './replies.js';
import type { Route } from './routes.js';

export const environmentRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/environment',
    scope: 'read:environments',
    handle(_request, context) {
      const { tracking } = context.tenant;
      return success(200, {
        message: 'success_response',
        environment: {
          code: 'production',
          name: 'Production',
          hotjar_site_id: tracking.hotjar_site_id,
          google_analytics_tag: tracking.google_analytics_tag,
          contentsquare_tag_id: tracking.contentsquare_tag_id,
          is_default: true,
          is_live: true,
          kinde_domain: new URL(context.url).host,
          custom_domain: null,
          logo: null,
          logo_dark: null,
          favicon_svg: null,
          favicon_fallback: null,
          link_color: null,
          background_color: null,
          button_color: null,
          button_text_color: null,
          link_color_dark: null,
          background_color_dark: null,
          button_text_color_dark: null,
          button_color_dark: null,
          button_border_radius: null,
          card_border_radius: null,
          input_border_radius: null,
          theme_code: 'user_preference',
          color_scheme: 'light dark',
          created_on: context.tenant.createdOn,
        },
      });
    },
  },
];
