/**
 * `${env:NAME}` substitution in string values, done on the YAML document before validation so that every problem
 * keeps its position. `$${...}` is a literal `${...}`.
 *
 * Values read from the environment may be secrets: no message ever quotes one. The scalars that received a value are
 * returned in `secrets` so that later stages (schema, references) can name the variable instead of the value.
 */
import { isScalar, visit, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error, quote } from './diagnostic.js';
import type { ConfigSource } from './source.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface VariableProblem {
  readonly code: ConfigCode;
  readonly message: string;
  readonly hint: string;
  /** The reference as written, e.g. `${env:API_KEY}`: used to find its column in the file. */
  readonly token: string;
}

export interface Expansion {
  readonly value: string;
  /** Names of the environment variables whose values went into `value`. */
  readonly vars: readonly string[];
  readonly problems: readonly VariableProblem[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Expands every `${...}` in one string. Pure; unresolvable references are left as written. */
export function expandString(text: string, env: Env): Expansion {
  let out = '';
  const vars: string[] = [];
  const problems: VariableProblem[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      const token = text.slice(i);
      problems.push({
        code: ConfigCode.VarSyntax,
        message: `unterminated variable reference ${quote(token, 40)}: there is no closing "}"`,
        hint: 'write ${env:NAME}, or $${ for a literal "${"',
        token,
      });
      out += token;
      break;
    }
    const token = text.slice(i, close + 1);
    const inner = text.slice(i + 2, close);
    i = close + 1;
    const colon = inner.indexOf(':');
    const sourceName = colon < 0 ? '' : inner.slice(0, colon);
    const name = colon < 0 ? inner : inner.slice(colon + 1);
    if (colon < 0) {
      problems.push({
        code: ConfigCode.VarSyntax,
        message: `variable reference ${token} does not say where to read the value from`,
        hint: ENV_NAME.test(inner)
          ? `write \${env:${inner}} to read the environment variable ${inner}, or $\${${inner}} for a literal "${token}"`
          : 'write ${env:NAME} to read an environment variable, or $${...} for a literal "${...}"',
        token,
      });
      out += token;
    } else if (sourceName === 'env') {
      if (!ENV_NAME.test(name)) {
        problems.push({
          code: ConfigCode.VarSyntax,
          message: `invalid environment variable name ${quote(name, 40)} in ${token}`,
          hint: 'a name is letters, digits and underscores, not starting with a digit, e.g. ${env:KINDE_ROLE_NAME}',
          token,
        });
        out += token;
        continue;
      }
      const value = env[name];
      if (value === undefined) {
        problems.push({
          code: ConfigCode.VarUnset,
          message: `environment variable ${name} is not set (used by ${token})`,
          hint: `set it before running idm, e.g. "export ${name}=..." or in your CI's secrets; write $${token} for a literal "${token}"`,
          token,
        });
        out += token;
        continue;
      }
      out += value;
      vars.push(name);
    } else if (sourceName === 'var') {
      problems.push({
        code: ConfigCode.VarUnsupported,
        message: `${token}: \${var:...} is only valid inside environments, which this version of idm does not support yet`,
        hint: 'use ${env:NAME} to read an environment variable, or write the value directly',
        token,
      });
      out += token;
    } else {
      problems.push({
        code: ConfigCode.VarUnknownSource,
        message: `unknown variable source ${quote(sourceName, 40)} in ${token}`,
        hint: 'the only source is env, as in ${env:NAME}; write $${...} for a literal "${...}"',
        token,
      });
      out += token;
    }
  }
  return { value: out, vars, problems };
}

export interface Substitutions {
  /** Scalars holding a value from the environment, with the names of the variables: never quote their values. */
  readonly secrets: ReadonlyMap<Scalar, readonly string[]>;
  /** Scalars with a reference that could not be resolved: their value is not the real one, so do not judge it. */
  readonly unresolved: ReadonlySet<Scalar>;
}

/** Substitutes in place every string value of the document (not mapping keys, which are field names). */
export function substituteVariables(source: ConfigSource, env: Env): { errors: Diagnostic[]; substitutions: Substitutions } {
  const errors: Diagnostic[] = [];
  const secrets = new Map<Scalar, readonly string[]>();
  const unresolved = new Set<Scalar>();
  visit(source.doc, {
    Scalar(key, node) {
      if (key === 'key' || !isScalar(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const expansion = expandString(node.value, env);
      node.value = expansion.value;
      if (expansion.vars.length > 0) secrets.set(node, expansion.vars);
      if (expansion.problems.length > 0) unresolved.add(node);
      for (const p of expansion.problems) errors.push(error(p.code, p.message, source.location(tokenOffset(source, node, p.token)), p.hint));
    },
  });
  return { errors, substitutions: { secrets, unresolved } };
}

/** Where a reference is written inside a scalar: its `${`, or the scalar's start if the text is escaped beyond recognition. */
function tokenOffset(source: ConfigSource, node: Scalar, token: string): number {
  const [start, end] = node.range ?? [0, 0];
  const written = source.text.slice(start, end);
  let at = written.indexOf(token);
  while (at > 0 && written[at - 1] === '$') at = written.indexOf(token, at + 1);
  return at >= 0 ? start + at : start;
}
