/**
 * `${env:NAME}` and `${var:name}` substitution in string values, done on the YAML document before validation so that
 * every problem keeps its position. `$${...}` is a literal `${...}`. `${var:name}` reads the `vars` of the
 * environment chosen with --env.
 *
 * Values read from the environment may be secrets: no message ever quotes one. The scalars that received a value are
 * returned in `secrets` so that later stages (schema, references) can name the variable instead of the value.
 */
import { isMap, isPair, isScalar, visit, type Node, type Scalar } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error, quote } from './diagnostic.js';
import type { ConfigSource } from './source.js';
import { closest } from './suggest.js';

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
  /** Names of the environment variables whose values went into `value` (directly, or through a `${var:...}`). */
  readonly vars: readonly string[];
  readonly problems: readonly VariableProblem[];
  /** A `${var:...}` whose own value could not be resolved (reported where the var is declared): `value` is not real. */
  readonly incomplete: boolean;
}

/** One of an environment's `vars`, after its own `${env:...}` were substituted. */
export interface VarValue {
  readonly value: string;
  /** The environment variables whose values went into it. */
  readonly envVars: readonly string[];
  /** Its declaration has a problem (reported there), or is not text. */
  readonly unresolved: boolean;
}

/** What `${var:name}` reads where it is written. */
export type VarScope =
  /** The config declares no environments. */
  | { readonly kind: 'none' }
  /** Inside `target:` and `environments:`, which choose the environment whose vars the rest reads. */
  | { readonly kind: 'declarations' }
  | { readonly kind: 'environment'; readonly name: string; readonly vars: ReadonlyMap<string, VarValue> };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Expands every `${...}` in one string. Pure; unresolvable references are left as written. */
export function expandString(text: string, env: Env, scope: VarScope = { kind: 'none' }): Expansion {
  let out = '';
  const vars: string[] = [];
  const problems: VariableProblem[] = [];
  let incomplete = false;
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
      const found = expandVar(name, token, scope);
      if ('problem' in found) {
        problems.push(found.problem);
        out += token;
      } else {
        out += found.value.value;
        vars.push(...found.value.envVars);
        if (found.value.unresolved) incomplete = true;
      }
    } else {
      problems.push({
        code: ConfigCode.VarUnknownSource,
        message: `unknown variable source ${quote(sourceName, 40)} in ${token}`,
        hint: 'the sources are env (an environment variable, ${env:NAME}) and var (a var of the environment, ${var:name}); write $${...} for a literal "${...}"',
        token,
      });
      out += token;
    }
  }
  return { value: out, vars, problems, incomplete };
}

function expandVar(name: string, token: string, scope: VarScope): { value: VarValue } | { problem: VariableProblem } {
  if (!VAR_NAME.test(name)) {
    return {
      problem: {
        code: ConfigCode.VarSyntax,
        message: `invalid var name ${quote(name, 40)} in ${token}`,
        hint: 'a var name is letters, digits, "_" and "-", not starting with a digit, e.g. ${var:terms_url}',
        token,
      },
    };
  }
  switch (scope.kind) {
    case 'none':
      return {
        problem: {
          code: ConfigCode.VarUnsupported,
          message: `${token} reads a var of the chosen environment, but this config declares no environments`,
          hint: `declare them, e.g. environments: { dev: { vars: { ${name}: ... } } }, and choose one with --env; or use \${env:NAME} to read an environment variable`,
          token,
        },
      };
    case 'declarations':
      return {
        problem: {
          code: ConfigCode.VarUnsupported,
          message: `${token} cannot be used in target: or environments:, which choose the environment its vars come from`,
          hint: 'write the value here, or read it from an environment variable with ${env:NAME}',
          token,
        },
      };
    case 'environment': {
      const value = scope.vars.get(name);
      if (value) return { value };
      const meant = closest(name, scope.vars.keys());
      return {
        problem: {
          code: ConfigCode.VarUndefined,
          message: `var ${quote(name, 40)} is not set for environment ${quote(scope.name, 40)} (used by ${token})`,
          hint: meant ? `did you mean \${var:${meant}}? If not, add ${name} under environments.${scope.name}.vars` : `add it under environments.${scope.name}.vars: { ${name}: ... }`,
          token,
        },
      };
    }
  }
}

export interface Substitutions {
  /** Scalars holding a value from the environment, with the names of the variables: never quote their values. */
  readonly secrets: ReadonlyMap<Scalar, readonly string[]>;
  /** Scalars with a reference that could not be resolved: their value is not the real one, so do not judge it. */
  readonly unresolved: ReadonlySet<Scalar>;
}

/** The top-level fields that choose the environment, and the target it talks to. */
const declarationFields: ReadonlySet<string> = new Set(['target', 'environments']);

/**
 * Substitutes in place the string values of a config document (not mapping keys, which are field names), in two
 * steps: first `target:` and the chosen environment's declaration, which must be known before its overlay is merged
 * in, with no `${var:...}`; then the rest, after the merge, where `${var:name}` reads that environment's vars.
 *
 * Under `environments:`, only the chosen environment is read: another's `${env:...}` may name variables that are only
 * set where that environment is deployed from.
 */
export class Variables {
  readonly errors: Diagnostic[] = [];
  private readonly secrets = new Map<Scalar, readonly string[]>();
  private readonly unresolved = new Set<Scalar>();
  // After an overlay is merged in, a value an alias stood for may sit at several places: substitute it once.
  private readonly seen = new Set<Scalar>();

  /** `environment`: the one chosen with --env; undefined when the config declares none. */
  constructor(
    private readonly env: Env,
    private readonly environment: string | undefined,
  ) {}

  get substitutions(): Substitutions {
    return { secrets: this.secrets, unresolved: this.unresolved };
  }

  substituteDeclarations(source: ConfigSource): void {
    this.substitute(source, source.nodeAt(['target']), { kind: 'declarations' });
    if (this.environment !== undefined) this.substitute(source, source.nodeAt(['environments', this.environment]), { kind: 'declarations' });
  }

  substituteConfig(source: ConfigSource): void {
    const scope: VarScope =
      this.environment === undefined ? { kind: 'none' } : { kind: 'environment', name: this.environment, vars: this.readVars(source, this.environment) };
    const root = source.doc.contents;
    if (!isMap(root)) {
      this.substitute(source, root, scope);
      return;
    }
    for (const pair of root.items) {
      if (isPair(pair) && !(isScalar(pair.key) && declarationFields.has(String(pair.key.value)))) this.substitute(source, source.resolve(pair.value), scope);
    }
  }

  private substitute(source: ConfigSource, node: Node | null | undefined, scope: VarScope): void {
    if (!node) return;
    visit(node, {
      Scalar: (key, scalar) => {
        if (key === 'key' || typeof scalar.value !== 'string' || !scalar.value.includes('${') || this.seen.has(scalar)) return;
        this.seen.add(scalar);
        const expansion = expandString(scalar.value, this.env, scope);
        scalar.value = expansion.value;
        if (expansion.vars.length > 0) this.secrets.set(scalar, expansion.vars);
        if (expansion.problems.length > 0 || expansion.incomplete) this.unresolved.add(scalar);
        for (const p of expansion.problems) this.errors.push(error(p.code, p.message, tokenLocation(source, scalar, p.token), p.hint));
      },
    });
  }

  /** The vars of an environment, as substituted. A value that is not text is a schema error; a use of it is not judged. */
  private readVars(source: ConfigSource, environment: string): Map<string, VarValue> {
    const vars = new Map<string, VarValue>();
    const node = source.nodeAt(['environments', environment, 'vars']);
    if (!isMap(node)) return vars;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const value = source.resolve(pair.value);
      const scalar = isScalar(value) ? value : undefined;
      const text = scalar && scalar.value !== null && typeof scalar.value !== 'object' ? String(scalar.value) : undefined;
      vars.set(String(pair.key.value), {
        value: text ?? '',
        envVars: (scalar && this.secrets.get(scalar)) ?? [],
        unresolved: text === undefined || (scalar !== undefined && this.unresolved.has(scalar)),
      });
    }
    return vars;
  }
}

/**
 * Where a reference is written inside a scalar, in the file the scalar is written in: its `${`, or the scalar's start
 * if the text is escaped beyond recognition.
 */
function tokenLocation(source: ConfigSource, node: Scalar, token: string) {
  const file = source.fileOf(node);
  const [start, end] = node.range ?? [0, 0];
  const written = file.text.slice(start, end);
  let at = written.indexOf(token);
  while (at > 0 && written[at - 1] === '$') at = written.indexOf(token, at + 1);
  return file.location(at >= 0 ? start + at : start);
}
