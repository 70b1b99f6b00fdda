/**
 * `target:` (and `environments.<name>.target`): which tenant an environment talks to. The schema checks the shape;
 * this module checks what it cannot say (the fields of one provider, a URL for a remote target, none for a local one,
 * https) and turns a valid target into a TargetSpec.
 */
import { isScalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { IdmError } from '../errors.js';
import type { ProviderName, TargetSpec } from '../model/target.js';
import { kindeOrigin } from '../providers/kinde/origin.js';
import { isLoopbackHost } from '../util/loopback.js';
import { ConfigCode } from './codes.js';
import { type Describer, valueAt } from './describe.js';
import { error, quote } from './diagnostic.js';
import type { ReferenceCheck } from './references.js';
import type { RawConfig, RawTarget } from './schema.js';
import type { ConfigSource, Path } from './source.js';
import type { Substitutions } from './variables.js';

/** The variables a Kinde target reads its credentials from when it names none: those of Kinde's SDKs. */
export const defaultKindeVariables = { clientId: 'KINDE_MANAGEMENT_CLIENT_ID', clientSecret: 'KINDE_MANAGEMENT_CLIENT_SECRET' } as const;

/** The fields that name a remote tenant of each provider, the first being its URL. */
const remoteFields: Readonly<Record<ProviderName, readonly string[]>> = {
  kinde: ['domain', 'client_id_env', 'client_secret_env'],
  kratos: ['admin_url', 'api_key_env'],
};
const examples: Readonly<Record<ProviderName, string>> = {
  kinde: 'domain: https://acme.kinde.com',
  kratos: 'admin_url: https://kratos-admin.internal:4434',
};

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where the targets that apply are written: the top-level one, and the chosen environment's. */
function targetPaths(environment: string | undefined): Path[] {
  return environment === undefined ? [['target']] : [['target'], ['environments', environment, 'target']];
}

export function checkTargets(data: unknown, source: ConfigSource, describe: Describer, substitutions: Substitutions, environment: string | undefined): ReferenceCheck {
  const errors: Diagnostic[] = [];
  const unresolved = (path: Path): boolean => {
    const node = source.nodeAt(path);
    return isScalar(node) && substitutions.unresolved.has(node);
  };
  for (const at of targetPaths(environment)) {
    const target = valueAt(data, at);
    if (!isMapping(target)) continue;
    const provider = target.provider;
    if (provider !== 'kinde' && provider !== 'kratos') continue; // the schema says so
    const other: ProviderName = provider === 'kinde' ? 'kratos' : 'kinde';
    const subject = describe.subject(at);
    for (const field of remoteFields[other]) {
      if (target[field] === undefined) continue;
      errors.push(
        error(
          ConfigCode.TargetInvalid,
          `${subject} is a ${provider} target, and ${quote(field)} is a field of ${other} targets`,
          source.locate([...at, field], { key: true }),
          `a remote ${provider} target takes ${remoteFields[provider].join(', ')}`,
        ),
      );
    }
    if (target.local === true) {
      for (const field of remoteFields[provider]) {
        if (target[field] === undefined) continue;
        errors.push(
          error(
            ConfigCode.TargetInvalid,
            `${subject} is local (the built-in emulator), so it takes no ${quote(field)}`,
            source.locate([...at, field], { key: true }),
            `remove ${field}, or remove local: true to talk to the tenant it names`,
          ),
        );
      }
      continue;
    }
    const urlField = remoteFields[provider][0]!;
    const url = target[urlField];
    if (url === undefined) {
      errors.push(
        error(
          ConfigCode.TargetInvalid,
          `${subject} names no ${provider} tenant: it has no ${quote(urlField)}`,
          source.locate(at),
          `add ${examples[provider]}, or write local: true for the built-in emulator`,
        ),
      );
      continue;
    }
    if (typeof url !== 'string' || url === '' || unresolved([...at, urlField])) continue;
    const problem = provider === 'kinde' ? kindeDomainProblem(url) : adminUrlProblem(url);
    if (problem) errors.push(error(ConfigCode.TargetInvalid, `${describe.subject([...at, urlField])} ${describe.quoted([...at, urlField], url)}: ${problem.why}`, source.locate([...at, urlField]), problem.hint));
  }
  return { errors, warnings: [] };
}

function kindeDomainProblem(domain: string): { why: string; hint: string } | undefined {
  try {
    kindeOrigin(domain);
    return undefined;
  } catch (e) {
    if (!(e instanceof IdmError)) throw e;
    // kindeOrigin's message starts with the domain, which the caller has quoted already.
    return { why: e.message.replace(/^Invalid Kinde domain "(?:[^"\\]|\\.)*": /, ''), hint: e.hint ?? 'give the business domain, e.g. https://acme.kinde.com' };
  }
}

function adminUrlProblem(url: string): { why: string; hint: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { why: 'it is not a URL', hint: 'write the admin API URL with its scheme, e.g. https://kratos-admin.internal:4434' };
  }
  if (parsed.username || parsed.password) return { why: 'it contains credentials', hint: 'give the URL only; an Ory Network API key goes in the variable named by api_key_env' };
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return undefined;
  return {
    why: parsed.protocol === 'http:' ? 'plain http:// would send identities and credentials unencrypted' : `the scheme ${parsed.protocol} is not supported`,
    hint: `use https://${parsed.host}; http:// is accepted only for loopback addresses (127.0.0.1, ::1, localhost)`,
  };
}

/** The target of a valid config: the chosen environment's, else the top-level one; undefined when neither is written. */
export function targetSpec(config: RawConfig, environment: string | undefined): TargetSpec | undefined {
  const raw = (environment === undefined ? undefined : config.environments?.[environment]?.target) ?? config.target;
  return raw === undefined ? undefined : toTargetSpec(raw, environment);
}

function toTargetSpec(raw: RawTarget, environment: string | undefined): TargetSpec {
  const local = (provider: ProviderName): TargetSpec => ({ kind: 'local', provider, state: environment === undefined ? provider : `${environment}/${provider}` });
  if (raw === 'local') return local('kinde');
  if (raw.local === true) return local(raw.provider);
  if (raw.provider === 'kratos') return { kind: 'kratos', adminUrl: raw.admin_url!, ...(raw.api_key_env === undefined ? {} : { apiKeyVariable: raw.api_key_env }) };
  return {
    kind: 'kinde',
    domain: raw.domain!,
    clientIdVariable: raw.client_id_env ?? defaultKindeVariables.clientId,
    clientSecretVariable: raw.client_secret_env ?? defaultKindeVariables.clientSecret,
  };
}
