/**
 * `/api/v1/business`: one per tenant, seeded. Kinde's quirk, kept: the read and write field names differ
 * (`name` ↔ `business_name`, `has_clickwrap` ↔ `is_click_wrap`, `has_kinde_branding` ↔ `is_show_kinde_branding`,
 * `industry` ↔ `industry_key`, `timezone` ↔ `timezone_key`), and industry and timezone are written as keys but read
 * as display names. Every PATCH field is nullable: for the optional details (email, phone, URLs, industry,
 * timezone) null or `''` clears them; for the name and the switches, which always have a value, null changes nothing.
 */
import { bodyObject, optionalBoolean, optionalNonEmptyString, optionalString, type Body } from './input.js';
import { badRequest, success } from './replies.js';
import type { Route } from './routes.js';
import type { BusinessRecord } from './tenant.js';

/** A sample of what `GET /industries` and `GET /timezones` list (neither is emulated): key → display name. */
export const industries: Readonly<Record<string, string>> = {
  agriculture: 'Agriculture',
  construction: 'Construction',
  education: 'Education',
  financial_services: 'Financial Services',
  government: 'Government',
  healthcare_and_medical: 'Healthcare & Medical',
  hospitality: 'Hospitality',
  information_technology: 'Information Technology',
  manufacturing: 'Manufacturing',
  media_and_entertainment: 'Media & Entertainment',
  non_profit: 'Non-profit',
  professional_services: 'Professional Services',
  retail: 'Retail',
  software: 'Software',
  other: 'Other',
};

export const timezones: Readonly<Record<string, string>> = {
  los_angeles_pacific_standard_time: 'Los Angeles (Pacific Standard Time)',
  denver_mountain_standard_time: 'Denver (Mountain Standard Time)',
  chicago_central_standard_time: 'Chicago (Central Standard Time)',
  new_york_eastern_standard_time: 'New York (Eastern Standard Time)',
  sao_paulo_brasilia_time: 'São Paulo (Brasília Time)',
  london_greenwich_mean_time: 'London (Greenwich Mean Time)',
  paris_central_european_time: 'Paris (Central European Time)',
  johannesburg_south_africa_standard_time: 'Johannesburg (South Africa Standard Time)',
  dubai_gulf_standard_time: 'Dubai (Gulf Standard Time)',
  kolkata_india_standard_time: 'Kolkata (India Standard Time)',
  singapore_singapore_standard_time: 'Singapore (Singapore Standard Time)',
  tokyo_japan_standard_time: 'Tokyo (Japan Standard Time)',
  sydney_australian_eastern_standard_time: 'Sydney (Australian Eastern Standard Time)',
  auckland_new_zealand_standard_time: 'Auckland (New Zealand Standard Time)',
};

const businessView = (b: BusinessRecord) => ({
  code: b.code,
  name: b.name,
  phone: b.phone,
  email: b.email,
  industry: b.industryKey === null ? null : (industries[b.industryKey] ?? b.industryKey),
  timezone: b.timezoneKey === null ? null : (timezones[b.timezoneKey] ?? b.timezoneKey),
  privacy_url: b.privacyUrl,
  terms_url: b.termsUrl,
  has_clickwrap: b.isClickWrap,
  has_kinde_branding: b.isShowKindeBranding,
  created_on: b.createdOn,
});

/** Undefined: not given; null: clear. */
function clearable(body: Body, field: string): string | null | undefined {
  if (body[field] === null) return null;
  const value = optionalString(body, field);
  return value === undefined ? undefined : value.trim() === '' ? null : value;
}

function keyOf(body: Body, field: string, known: Readonly<Record<string, string>>, list: string): string | null | undefined {
  const key = clearable(body, field);
  if (key && !(key in known)) throw badRequest('INVALID_REQUEST', `${field} ${key} is not a key ${list} lists`);
  return key;
}

function url(body: Body, field: string): string | null | undefined {
  const value = clearable(body, field);
  if (value && !/^https?:\/\/[^\s/]+/.test(value)) throw badRequest('INVALID_URL', `${field} must be an http(s) URL`);
  return value;
}

export const businessRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/business',
    scope: 'read:businesses',
    handle(_request, context) {
      return success(200, { business: businessView(context.tenant.business) });
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/business',
    scope: 'update:businesses',
    handle({ body: raw }, context) {
      if (raw === undefined) throw badRequest('INVALID_REQUEST', 'The request body is required');
      const body = bodyObject(raw);
      const name = optionalNonEmptyString(body, 'business_name');
      const email = clearable(body, 'email');
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw badRequest('INVALID_EMAIL', 'email must be an email address');
      const phone = clearable(body, 'phone');
      const industryKey = keyOf(body, 'industry_key', industries, 'GET /api/v1/industries');
      const timezoneKey = keyOf(body, 'timezone_key', timezones, 'GET /api/v1/timezones');
      const privacyUrl = url(body, 'privacy_url');
      const termsUrl = url(body, 'terms_url');
      const clickWrap = optionalBoolean(body, 'is_click_wrap');
      const branding = optionalBoolean(body, 'is_show_kinde_branding');
      const perk = clearable(body, 'kinde_perk_code');

      const b = context.tenant.business;
      if (name !== undefined) b.name = name;
      if (email !== undefined) b.email = email;
      if (phone !== undefined) b.phone = phone;
      if (industryKey !== undefined) b.industryKey = industryKey;
      if (timezoneKey !== undefined) b.timezoneKey = timezoneKey;
      if (privacyUrl !== undefined) b.privacyUrl = privacyUrl;
      if (termsUrl !== undefined) b.termsUrl = termsUrl;
      if (clickWrap !== undefined) b.isClickWrap = clickWrap;
      if (branding !== undefined) b.isShowKindeBranding = branding;
      if (perk !== undefined) b.kindePerkCode = perk;
      context.changed();
      return success(200);
    },
  },
];
