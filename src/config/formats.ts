/**
 * Formats of single values, beyond their type: handles, colours, domains, https links, tracking IDs.
 *
 * The schema holds the patterns (so that editors flag a bad value as it is typed); this module says, for a value the
 * pattern rejected, what exactly is wrong with it and what to write instead. It also normalises the values the
 * Desired model keeps in one canonical form (colours, domains).
 */
import { ConfigCode } from './codes.js';
import { quote } from './diagnostic.js';

/** The `$defs` of schemas/idm.schema.json whose `pattern` this module explains. */
export type FormatName = 'handle' | 'color' | 'domain' | 'httpsUrl' | 'identityType';

export const isFormatName = (name: string): name is FormatName =>
  name === 'handle' || name === 'color' || name === 'domain' || name === 'httpsUrl' || name === 'identityType';

export interface FormatProblem {
  readonly code: ConfigCode;
  /** Completes "<subject> ...": e.g. `must be a hex colour such as "#0056f1"`. */
  readonly problem: string;
  readonly hint: string;
}

/** Same rule as $defs/domain in the schema; kept here to check a proposed fix before suggesting it. */
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})$/;
const HANDLE = /^[a-z0-9-]+$/;
const HTTPS_URL = /^https:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/;

export const isDomain = (value: string): boolean => value.length <= 253 && DOMAIN.test(value);

/** `#ABC` -> `#aabbcc`: one spelling per colour, so that a plan never shows a change from #FFF to #ffffff. */
export function normaliseColor(value: string): string {
  const hex = value.slice(1).toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
}

/** Domains are case-insensitive; the model keeps them lower-case. */
export const normaliseDomain = (value: string): string => value.toLowerCase();

/**
 * What is wrong with a value that failed the pattern of `$defs/<format>`. `secret` is true for a value from the
 * environment: the explanation then never quotes it, nor a fix derived from it.
 */
export function explainFormat(format: FormatName, value: string, secret: boolean): FormatProblem {
  switch (format) {
    case 'handle':
      return explainHandle(value, secret);
    case 'color':
      return explainColor(value, secret);
    case 'domain':
      return explainDomain(value, secret);
    case 'httpsUrl':
      return explainUrl(value, secret);
    case 'identityType':
      return explainIdentityType(value, secret);
  }
}

/** Same rule as $defs/identityType in the schema. */
export const IDENTITY_TYPE = /^(?:email|phone|username|enterprise|oauth2:[a-z0-9][a-z0-9_-]*)$/;

/** Social providers people name without the `oauth2:` prefix (Kinde's list of social connections). */
const socialProviders = new Set([
  'google', 'apple', 'github', 'microsoft', 'facebook', 'twitter', 'twitch', 'gitlab', 'xero', 'linkedin', 'discord',
  'bitbucket', 'stripe', 'slack', 'clever', 'roblox',
]);

function explainIdentityType(value: string, secret: boolean): FormatProblem {
  const problem = 'must be email, phone, username, enterprise or oauth2:<provider>';
  const lower = value.trim().toLowerCase();
  let meant: string | undefined;
  if (IDENTITY_TYPE.test(lower)) meant = lower;
  else if (socialProviders.has(lower)) meant = `oauth2:${lower}`;
  else if (/^oauth2?[:_-]?[a-z0-9][a-z0-9_-]*$/.test(lower)) meant = `oauth2:${lower.replace(/^oauth2?[:_-]?/, '')}`;
  else if (lower === 'e-mail' || lower === 'mail') meant = 'email';
  else if (lower === 'sms' || lower === 'mobile') meant = 'phone';
  else if (lower === 'saml' || lower === 'sso') meant = 'enterprise';
  const hint =
    meant && !secret && IDENTITY_TYPE.test(meant) && !['oauth2:oauth', 'oauth2:oauth2'].includes(meant)
      ? `did you mean ${quote(meant)}?`
      : 'write email, phone, username, enterprise, or oauth2: and the provider for a social sign-in, e.g. oauth2:google';
  return { code: ConfigCode.InvalidChoice, problem, hint };
}

function explainHandle(value: string, secret: boolean): FormatProblem {
  const fixed = value
    .trim()
    .toLowerCase()
    .replace(/[\s_.]+/g, '-')
    .replace(/[^a-z0-9-]/g, '');
  const example = !secret && fixed !== '' && HANDLE.test(fixed) ? `, e.g. ${quote(fixed)}` : ', e.g. "acme-corp"';
  return {
    code: ConfigCode.InvalidHandle,
    problem: 'may contain only lower-case letters, digits and hyphens',
    hint: `write the handle in lower case, with hyphens instead of spaces or other characters${example}`,
  };
}

function explainColor(value: string, secret: boolean): FormatProblem {
  const problem = 'must be a hex colour, #rgb or #rrggbb';
  const bare = /^(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$/.test(value);
  let hint = 'write it in quotes, e.g. "#0056f1" (without quotes, a # after a space starts a YAML comment)';
  if (bare && !secret) hint = `add the # and quotes: "#${value}"`;
  else if (bare) hint = 'add a # before the hex digits';
  else if (secret) hint = 'set the environment variable to # and 3 or 6 hex digits, e.g. #0056f1';
  else if (/^#(?:[0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})$/.test(value)) hint = 'colours with transparency are not supported: drop the last (alpha) digits';
  else if (/^#/.test(value)) hint = 'after the #, write 3 or 6 hex digits (0-9, a-f), e.g. "#0056f1"';
  return { code: ConfigCode.InvalidColor, problem, hint };
}

/** Why a value is not a plain domain name, and the domain it probably meant. */
function explainDomain(value: string, secret: boolean): FormatProblem {
  let reason: string;
  let fixed = value.trim();
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(fixed);
  if (scheme) {
    reason = secret ? 'it starts with a scheme such as https://' : `it starts with ${quote(scheme[0])}`;
    fixed = fixed.slice(scheme[0].length).replace(/[/?#:].*$/, '');
  } else if (fixed.includes('@')) {
    reason = 'it looks like an email address';
    fixed = fixed.slice(fixed.lastIndexOf('@') + 1);
  } else if (fixed.includes('*')) {
    reason = 'wildcards are not supported';
    fixed = fixed.replace(/^\*\./, '');
  } else if (/[/?#]/.test(fixed)) {
    reason = 'it has a path';
    fixed = fixed.replace(/[/?#].*$/, '');
  } else if (fixed.includes(':')) {
    reason = 'it has a port';
    fixed = fixed.replace(/:.*$/, '');
  } else if (/\s/.test(value)) {
    reason = 'it contains whitespace';
  } else if (fixed.endsWith('.')) {
    reason = 'it ends with a dot';
    fixed = fixed.replace(/\.+$/, '');
  } else if (/[^\x00-\x7F]/.test(fixed)) {
    reason = 'it has non-ASCII characters';
    return {
      code: ConfigCode.InvalidDomain,
      problem: `is not a valid domain name: ${reason}`,
      hint: 'write an internationalised domain in its ASCII (punycode) form, which starts with xn--',
    };
  } else if (!fixed.includes('.')) {
    reason = 'it has no dot';
  } else {
    reason = 'each dot-separated part must be letters, digits and hyphens, not starting or ending with a hyphen, and the last part cannot be a number';
  }
  fixed = fixed.toLowerCase();
  const hint =
    !secret && fixed !== value && isDomain(fixed)
      ? `write the domain name only: ${quote(fixed)}` + (reason === 'wildcards are not supported' ? ', and list each subdomain separately' : '')
      : 'write the domain name only, e.g. "acme.com"';
  return { code: ConfigCode.InvalidDomain, problem: `is not a valid domain name: ${reason}`, hint };
}

function explainUrl(value: string, secret: boolean): FormatProblem {
  const problem = 'must be an https:// URL';
  let hint = 'write a full https:// URL, e.g. "https://acme.com/terms", or null to remove the link';
  if (value === '') hint = 'write null to remove the link, or an https:// URL';
  else if (/^http:\/\//i.test(value)) {
    const fixed = `https://${value.slice('http://'.length)}`;
    hint = !secret && HTTPS_URL.test(fixed) ? `use https: ${quote(fixed)}; Kinde shows the link on its sign-up page` : 'use https://; Kinde shows the link on its sign-up page';
  } else if (/^HTTPS:\/\//i.test(value) && !secret) {
    const fixed = `https://${value.slice('https://'.length)}`;
    if (HTTPS_URL.test(fixed)) hint = `write the scheme in lower case: ${quote(fixed)}`;
  } else if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    const fixed = `https://${value}`;
    hint = !secret && HTTPS_URL.test(fixed) ? `add the scheme: ${quote(fixed)}` : 'start the URL with https://';
  }
  return { code: ConfigCode.InvalidUrl, problem, hint };
}

/** The tracking IDs that have a recognisable form; a mismatch is only a warning, as their formats are not promised. */
export const trackingFormats: Readonly<Record<string, { readonly pattern: RegExp; readonly what: string; readonly hint: string }>> = {
  google_analytics: {
    pattern: /^G-[A-Z0-9]+$/,
    what: 'a Google Analytics 4 measurement ID',
    hint: 'a measurement ID is "G-" and upper-case letters and digits, e.g. G-1A2B3C4D5E (Google Analytics: Admin > Data streams)',
  },
  hotjar_site_id: {
    pattern: /^[0-9]+$/,
    what: 'a Hotjar site ID',
    hint: 'a Hotjar site ID is digits only, written in quotes, e.g. "1234567" (Hotjar: Sites & Organizations)',
  },
};
