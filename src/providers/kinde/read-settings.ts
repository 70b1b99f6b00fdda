/**
 * Business and environment settings, in the config's names (Kinde reads `has_clickwrap` but writes `is_click_wrap`;
 * see write-settings.ts). Environment MFA has no read at all: it is recorded, never read (see write-only.ts).
 */
import type { FlatState } from '../../model/plan.js';
import { isRecord, unexpected, type KindeClient } from './client.js';
import { optionalText } from './values.js';

export async function readBusiness(client: KindeClient): Promise<FlatState> {
  const body = await client.object('GET', '/business');
  const business = body.business;
  if (!isRecord(business)) throw unexpected('GET', '/business', 200, '"business" is not an object');
  return {
    name: typeof business.name === 'string' ? business.name : '',
    policy_acceptance: business.has_clickwrap === true,
    terms_url: optionalText(business.terms_url),
    privacy_url: optionalText(business.privacy_url),
  };
}

/** The third-party analytics IDs (null when unset): readable, but settable only in the admin UI. */
export async function readTracking(client: KindeClient): Promise<FlatState> {
  const body = await client.object('GET', '/environment');
  const environment = body.environment;
  if (!isRecord(environment)) throw unexpected('GET', '/environment', 200, '"environment" is not an object');
  return {
    'tracking.google_analytics': optionalText(environment.google_analytics_tag),
    // The spec's example is a number, though it types the field as a string.
    'tracking.hotjar_site_id': optionalText(environment.hotjar_site_id),
    'tracking.contentsquare': optionalText(environment.contentsquare_tag_id),
  };
}

export async function readEnvironmentPasskey(client: KindeClient): Promise<FlatState> {
  const body = await client.object('GET', '/passkey');
  return { 'passkey.policy': typeof body.policy === 'string' ? body.policy : null };
}
