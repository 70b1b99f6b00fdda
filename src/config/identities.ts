/**
 * Checks on Kratos identities that the schema cannot express: each has the value it is matched on, no two share it,
 * password hashes are in a format Kratos imports (else Kratos answers 400 mid-apply), verified addresses are the
 * identity's own, recovery codes are not repeated. Also the one place that knows how a match value is read, for the
 * checks and for toDesired alike.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { IdentityMatch, Json } from '../model/desired.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, lineOf, warning } from './diagnostic.js';
import type { ReferenceCheck } from './references.js';
import type { RawConfig, RawKratosIdentity } from './schema.js';
import type { ConfigSource, Path } from './source.js';
import type { Substitutions } from './variables.js';

export function identityMatch(config: Pick<RawConfig, 'kratos'>): IdentityMatch {
  const match = config.kratos?.match ?? 'email';
  return match === 'external_id' ? { by: 'external_id' } : { by: 'trait', path: match.split('.') };
}

/** The identity's match value, normalised as Kratos normalises identifiers; undefined when it has none. */
export function matchValue(identity: RawKratosIdentity, match: IdentityMatch): string | undefined {
  if (match.by === 'external_id') return identity.external_id;
  const value = valueAt(identity.traits, match.path) as Json | undefined;
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined;
}

/**
 * The hash formats Kratos's importer recognises (hash/hash_comparator.go), with the cost bound it enforces where the
 * bound can be read off the hash cheaply. Anything else is refused by Kratos with a 400.
 */
const hashFormats: readonly { readonly name: string; readonly pattern: RegExp; readonly tooCostly?: (hash: string) => string | undefined }[] = [
  { name: 'bcrypt', pattern: /^\$2[abzy]?\$/, tooCostly: (h) => { const cost = Number(/^\$2[abzy]?\$(\d+)\$/.exec(h)?.[1]); return cost > 15 ? `bcrypt cost ${cost} (Kratos accepts at most 15)` : undefined; } },
  { name: 'argon2', pattern: /^\$argon2id?\$/ },
  { name: 'pbkdf2', pattern: /^\$pbkdf2-sha\d{1,3}\$/ },
  { name: 'scrypt', pattern: /^\$scrypt\$/ },
  { name: 'firescrypt', pattern: /^\$firescrypt\$/ },
  { name: 'SSHA', pattern: /^\{SSHA(256|512)?\}/ },
  { name: 'salted SHA', pattern: /^\$sha(1|256|512)\$/ },
  { name: 'md5', pattern: /^\$md5\$/ },
  { name: 'crypt', pattern: /^\$(md5|sha256|sha512)-crypt\$/ },
  { name: 'HMAC', pattern: /^\$hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)\$/ },
];

/** Why Kratos would refuse `hash`, or undefined when it imports it. */
export function hashProblem(hash: string): string | undefined {
  const format = hashFormats.find((f) => f.pattern.test(hash));
  if (!format) return 'is in no format Kratos imports';
  const costly = format.tooCostly?.(hash);
  return costly === undefined ? undefined : `has ${costly}`;
}

/** Every string value in the traits, lower-cased: the addresses a schema can derive from them. */
function traitStrings(traits: Json): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json): void => {
    if (typeof v === 'string') out.add(v.toLowerCase());
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(traits);
  return out;
}

export function checkIdentities(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const list = valueAt(data, ['identities']);
  if (!Array.isArray(list)) return { errors, warnings };
  const config = (typeof data === 'object' && data !== null ? data : {}) as RawConfig;
  const match = identityMatch(config);
  const matchPath: Path = match.by === 'external_id' ? ['external_id'] : ['traits', ...match.path];
  const matchName = match.by === 'external_id' ? 'external_id' : `traits.${match.path.join('.')}`;
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };
  const seen = new Map<string, number>();
  list.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || typeof (item as RawKratosIdentity).traits !== 'object') return;
    const identity = item as RawKratosIdentity;
    const at: Path = ['identities', i];
    const owner = `identity #${i + 1}`;
    if (!unresolved([...at, ...matchPath])) {
      const key = matchValue(identity, match);
      if (key === undefined) {
        errors.push(error(ConfigCode.KratosMatchMissing, `${owner} has no ${matchName}, which identities are matched on`, source.locate(at),
          `add ${matchName}, or match on another trait with kratos.match`));
      } else {
        const earlier = seen.get(key);
        if (earlier === undefined) seen.set(key, i);
        else errors.push(error(ConfigCode.DuplicateKratosIdentity, `${owner} has the same ${matchName} ${describe.quoted([...at, ...matchPath], String(valueAt(data, [...at, ...matchPath])))} as the identity at ${lineOf(source.locate(['identities', earlier]))}`,
          source.locate([...at, ...matchPath]), 'each identity needs its own match value: remove or merge the repeat'));
      }
    }
    const hashPath = [...at, 'credentials', 'password', 'hash'];
    const hash = identity.credentials?.password?.hash;
    if (typeof hash === 'string' && !unresolved(hashPath)) {
      const problem = hashProblem(hash);
      // The hash is a secret: the message names where it is, never what it is.
      if (problem) errors.push(error(ConfigCode.KratosHashFormat, `the password hash of ${owner} ${problem}`, source.locate(hashPath),
        'give a bcrypt ($2a$…), argon2 ($argon2id$…), pbkdf2 ($pbkdf2-sha256$…), scrypt, firescrypt, SSHA, salted SHA, md5, crypt or HMAC hash'));
    }
    for (const kind of ['oidc', 'saml'] as const) {
      const links = identity.credentials?.[kind];
      if (!Array.isArray(links)) continue;
      const first = new Map<string, number>();
      links.forEach((l, j) => {
        if (typeof l?.provider !== 'string' || typeof l?.subject !== 'string') return;
        const id = `${l.provider}:${l.subject}`;
        const earlier = first.get(id);
        if (earlier === undefined) first.set(id, j);
        else warnings.push(warning(ConfigCode.DuplicateKratosLink, `${owner} lists the ${kind} link ${describe.quoted([...at, 'credentials', kind, j, 'subject'], id)} twice; the first is at ${lineOf(source.locate([...at, 'credentials', kind, earlier]))}`,
          source.locate([...at, 'credentials', kind, j]), 'remove the repeat: links are a set'));
      });
    }
    const codes = identity.credentials?.lookup_secret?.codes;
    if (Array.isArray(codes)) {
      const first = new Map<string, number>();
      codes.forEach((code, j) => {
        if (typeof code !== 'string' || unresolved([...at, 'credentials', 'lookup_secret', 'codes', j])) return;
        const earlier = first.get(code);
        if (earlier === undefined) first.set(code, j);
        // A code is a secret: the message says which entries, never what they hold.
        else warnings.push(warning(ConfigCode.DuplicateRecoveryCode, `${owner} lists recovery code #${j + 1} twice; the first is #${earlier + 1}`,
          source.locate([...at, 'credentials', 'lookup_secret', 'codes', j]), 'remove the repeat: recovery codes are a set'));
      });
    }
    const known = traitStrings(identity.traits);
    (identity.verified_addresses ?? []).forEach((address, j) => {
      if (typeof address !== 'string' || unresolved([...at, 'verified_addresses', j]) || known.has(address.toLowerCase())) return;
      errors.push(error(ConfigCode.KratosAddressUnknown, `${owner} lists ${describe.quoted([...at, 'verified_addresses', j], address)} as verified, but none of its traits has that value`,
        source.locate([...at, 'verified_addresses', j]), 'Kratos derives addresses from traits: list one of the identity\'s email or phone traits'));
    });
  });
  return { errors, warnings };
}
