/**
 * What makes an identity value valid, per type, and what to write instead when it is not. Each check takes the value
 * as written; `secret` is true for a value from the environment, and then no hint quotes it or a fix derived from it.
 */
import { ConfigCode } from '../codes.js';
import { quote } from '../diagnostic.js';
import { isDomain } from '../formats.js';

export interface ValueProblem {
  readonly code: ConfigCode;
  /** Completes `<subject> ...`, e.g. `is not a valid email address: it has no @`. */
  readonly problem: string;
  readonly hint: string;
}

/** The characters RFC 5322 allows unquoted in the part before the @ (quoted local parts are not accepted: Kinde's sign-in forms do not take them). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

export const isEmail = (value: string): boolean => {
  const at = value.lastIndexOf('@');
  return value.length <= 254 && at > 0 && at <= 64 && LOCAL_PART.test(value.slice(0, at)) && isDomain(value.slice(at + 1));
};

export function checkEmail(value: string, secret: boolean): ValueProblem | undefined {
  if (isEmail(value)) return undefined;
  const bad = (reason: string, hint: string): ValueProblem => ({ code: ConfigCode.InvalidEmail, problem: `is not a valid email address: ${reason}`, hint });
  const suggest = (fixed: string, how: string): string => (!secret && isEmail(fixed) ? `${how}: ${quote(fixed.toLowerCase())}` : how);
  const angle = /<([^<>]+)>/.exec(value);
  if (angle) return bad('it holds a display name', suggest(angle[1]!.trim(), 'write the address only'));
  if (/^mailto:/i.test(value)) return bad('it starts with "mailto:"', suggest(value.replace(/^mailto:/i, ''), 'write the address only'));
  if (/\s/.test(value)) return bad('it contains whitespace', suggest(value.replace(/\s+/g, ''), 'remove the spaces'));
  const ats = value.split('@').length - 1;
  if (ats === 0) return bad('it has no @', 'write a whole address, e.g. "ada@acme.com"');
  if (ats > 1) return bad('it has more than one @', 'write a single address; list another as a second email identity');
  const [local, domain] = value.split('@') as [string, string];
  if (local === '') return bad('nothing before the @', 'write a whole address, e.g. "ada@acme.com"');
  if (domain === '') return bad('nothing after the @', 'write a whole address, e.g. "ada@acme.com"');
  if (value.length > 254) return bad('it is longer than 254 characters', 'an email address is at most 254 characters');
  if (!LOCAL_PART.test(local)) {
    return bad('the part before the @ has characters or dots an address cannot have', 'use letters, digits and . _ % + - before the @, with no two dots in a row and none at either end');
  }
  if (domain.endsWith('.')) return bad('it ends with a dot', suggest(value.replace(/\.+$/, ''), 'remove the final dot'));
  return bad(`the part after the @ is not a domain name`, 'check the domain for typos: it is letters, digits and hyphens in parts joined by dots, e.g. acme.com');
}

/** E.164: a +, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9][0-9]{1,14}$/;

export function checkPhone(value: string, secret: boolean): ValueProblem | undefined {
  if (E164.test(value)) return undefined;
  const bad = (reason: string, hint: string): ValueProblem => ({ code: ConfigCode.InvalidPhone, problem: `is not a phone number in E.164 form: ${reason}`, hint });
  const example = 'e.g. "+61455511555" (+, the country code, then the number without its leading 0)';
  const compact = value.replace(/[\s().-]/g, '');
  if (compact !== value && E164.test(compact)) return bad('it has spaces or punctuation', secret ? 'remove the spaces, brackets, dots and dashes' : `write it without spaces or punctuation: ${quote(compact)}`);
  if (/^00[1-9][0-9]+$/.test(compact)) {
    const fixed = `+${compact.slice(2)}`;
    return bad('it starts with 00', E164.test(fixed) && !secret ? `write the international prefix as +: ${quote(fixed)}` : 'write the international prefix 00 as +');
  }
  if (/^0[0-9]+$/.test(compact)) return bad('it is a national number', `replace the leading 0 with + and the country code, ${example}`);
  if (/^[1-9][0-9]+$/.test(compact)) return bad('it does not start with +', `start it with + and the country code, ${example}`);
  if (/^\+[0-9]{16,}$/.test(compact)) return bad('it has more than 15 digits', 'an E.164 number is at most 15 digits after the +');
  if (/^\+0/.test(compact)) return bad('a country code cannot start with 0', example);
  return bad('it has characters other than digits', `write + and digits only, ${example}`);
}

export function checkUsername(value: string, secret: boolean): ValueProblem | undefined {
  if (/[\s\u0000-\u001F\u007F-\u009F]/.test(value)) {
    const fixed = value.trim();
    const hint = !secret && fixed !== '' && !/[\s\u0000-\u001F\u007F-\u009F]/.test(fixed) ? `remove the surrounding spaces: ${quote(fixed)}` : 'usernames cannot contain spaces or control characters; use - or _ between words';
    return { code: ConfigCode.InvalidUsername, problem: 'contains whitespace or a control character', hint };
  }
  return undefined;
}
