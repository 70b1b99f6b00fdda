/**
 * A user as the checks see it, wherever it was declared: its data in the field names of `users.list`, and a view
 * that says where each part of it is written (a YAML node, a JSON value, a CSV cell) and how to name it.
 */
import { isScalar } from 'yaml';
import { formatLocation, type Diagnostic, type SourceLocation } from '../../errors.js';
import type { Describer } from '../describe.js';
import { quote } from '../diagnostic.js';
import type { UsersFileFormat } from '../schema.js';
import type { ConfigSource, Path } from '../source.js';
import type { Substitutions } from '../variables.js';

export interface UserView {
  /** How messages name the user: `user "u-1001"`, `user #2`, `the user on line 4`. */
  readonly label: string;
  /** The file the user is declared in. */
  readonly file: string;
  /** The lines the user is declared on, in order (several for a Kinde CSV user spread over rows). */
  readonly lines: readonly number[];
  /** For UserSpec.source: `idm.yaml:12:7`, `users.csv:4`. */
  readonly source: string;
  /** `config` for users.list, else the format of the users file. */
  readonly from: 'config' | UsersFileFormat;
  /** Whether the schema has checked the user's shape (empty lists, missing fields): then the checks do not repeat it. */
  readonly schemaChecked: boolean;
  /** Where the value at `path` (relative to the user, in the field names of users.list) is written. */
  locate(path: Path, options?: { key?: boolean }): SourceLocation;
  /** The environment variables the value at `path` came from: such a value is never quoted. */
  secretVars(path: Path): readonly string[] | undefined;
  /** Whether the value at `path` holds a ${...} that could not be resolved: it is not the real value, so not judged. */
  unresolved(path: Path): boolean;
}

/** A user read from somewhere, before the checks: what it holds, where, and the problems found reading it. */
export interface UserCandidate {
  readonly raw: unknown;
  readonly view: UserView;
  /** Errors (and warnings) found while reading the user: syntax, types, CSV injection, ... */
  readonly problems: readonly Diagnostic[];
  /**
   * Parts the reader could not fill because of an error it reported (an identity of an unknown type, organizations
   * that are not a list): that they are empty is a consequence, not another mistake to report.
   */
  readonly incomplete?: ReadonlySet<'identities' | 'organizations'>;
}

/** `"value"`, or `from ${env:NAME}` for a value from the environment. */
export function quoted(view: UserView, path: Path, value: string): string {
  const vars = view.secretVars(path);
  return vars ? `from ${vars.map((v) => `\${env:${v}}`).join(' and ')}` : quote(value);
}

/** `line 12` when `at` is in `file`, else `other.csv:12`: how a message points at another place. */
export function placeOf(at: SourceLocation, file: string): string {
  return at.file === file ? `line ${at.line}` : `${at.file}:${at.line}`;
}

/** The view of `users.list[index]` in the config. */
export function configUserView(source: ConfigSource, describe: Describer, substitutions: Substitutions, index: number): UserView {
  const prefix = ['users', 'list', index];
  const at = source.locate(prefix);
  return {
    label: describe.user(index),
    file: at.file,
    lines: [at.line],
    source: formatLocation(at),
    from: 'config',
    schemaChecked: true,
    locate: (path, options) => source.locate([...prefix, ...path], options),
    secretVars: (path) => describe.secretVars([...prefix, ...path]),
    unresolved: (path) => {
      const node = source.nodeAt([...prefix, ...path]);
      return isScalar(node) && substitutions.unresolved.has(node);
    },
  };
}

/**
 * Positions recorded for paths of a user built from a file in another shape (a CSV row, a Kinde or Auth0 record):
 * each path of the user is mapped to the offset in the file of the cell or value it came from. A path not recorded
 * falls back to its nearest recorded ancestor, and finally to where the user starts. Offsets become lines and
 * columns only when a problem is reported: a file of many thousands of users is mostly valid.
 */
/**
 * One string per path shape, shared by every user of a file: `identities/0/value` is written for each of them, and
 * a copy for each would be most of the memory a large file takes. Bounded, as property keys come from the file.
 */
const pathIds = new Map<string, string>();
function pathId(path: Path): string {
  const id = path.join('\u0000');
  const known = pathIds.get(id);
  if (known !== undefined) return known;
  if (pathIds.size >= 10_000) pathIds.clear();
  pathIds.set(id, id);
  return id;
}

export class PathLocator {
  /**
   * Path ids and offsets, flat: written for every value of every user, read only for a user with a problem. An array
   * costs far less than a Map per user in a file of many thousands, and a scan of a few dozen entries is quick.
   */
  private readonly entries: (string | number | undefined)[] = [];

  constructor(
    private readonly lines: { location(offset: number): SourceLocation },
    private readonly start: number,
  ) {}

  /** `key`: where the field's name is written, for "unknown flag" and the like. */
  set(path: Path, value: number, key?: number): void {
    this.entries.push(pathId(path), value, key);
  }

  locate(path: Path, options: { key?: boolean } = {}): SourceLocation {
    for (let n = path.length; n >= 0; n--) {
      const id = path.slice(0, n).join('\u0000');
      // The last entry for a path wins, as a Map's would.
      for (let k = this.entries.length - 3; k >= 0; k -= 3) {
        if (this.entries[k] !== id) continue;
        const key = options.key && n === path.length ? (this.entries[k + 2] as number | undefined) : undefined;
        return this.lines.location(key ?? (this.entries[k + 1] as number));
      }
    }
    return this.lines.location(this.start);
  }
}

/** The view of a user read from a users file (no environment variables there). */
export function fileUserView(
  file: string,
  from: UsersFileFormat,
  label: string,
  lines: readonly number[],
  locate: (path: Path, options?: { key?: boolean }) => SourceLocation,
  schemaChecked: boolean,
): UserView {
  return {
    label,
    file,
    lines,
    source: `${file}:${lines[0] ?? 1}`,
    from,
    schemaChecked,
    locate,
    secretVars: () => undefined,
    unresolved: () => false,
  };
}
