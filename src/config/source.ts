/**
 * A parsed config file with its positions: turns a path into the data (`["roles", 1, "default"]`) into the YAML
 * node that holds it, and a node into `file:line:col`.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SourceLocation } from '../errors.js';

export type PathSegment = string | number;
/** A path into the config data: field names and list indexes, as in a JSON pointer. */
export type Path = readonly PathSegment[];

/**
 * What the diagnostics of the schema stage need from a source: where a path is written. The YAML config has nodes
 * (and so can look at how a value was written); other sources (a JSON line of a users file) answer undefined.
 */
export interface Locator {
  readonly file: string;
  /** The text of the file a node is written in (an overlay's nodes are not in the config's file). */
  textOf(node: Node): string;
  locate(path: Path, options?: { key?: boolean }): SourceLocation;
  nodeAt(path: Path): Node | undefined;
  pairAt(path: Path): Pair | undefined;
}

/** One file's text, and the line and column of each of its characters. */
export class SourceText {
  constructor(
    readonly file: string,
    readonly text: string,
    readonly lineCounter: LineCounter,
  ) {}

  /** The 1-based line and column of a character offset. */
  location(offset: number): SourceLocation {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.file, line, col };
  }
}

export class ConfigSource implements Locator {
  private readonly own: SourceText;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document.Parsed,
    lineCounter: LineCounter,
    /** Each alias and the anchored node it stands for (see aliases.ts). */
    private readonly aliasTargets: ReadonlyMap<Alias, Node> = new Map(),
    /**
     * Nodes written in another file than `file`: those an environment's overlay put into the document (see
     * overlay.ts). Their ranges are offsets in that file.
     */
    private readonly origins: ReadonlyMap<Node, SourceText> = new Map(),
  ) {
    this.own = new SourceText(file, text, lineCounter);
  }

  withAliases(aliasTargets: ReadonlyMap<Alias, Node>): ConfigSource {
    return new ConfigSource(this.file, this.text, this.doc, this.own.lineCounter, aliasTargets, this.origins);
  }

  /**
   * This source with `contents` as its document's contents, aliases already replaced by what they stand for, and
   * `origins` naming the file of each node written elsewhere.
   */
  withContents(contents: Node, origins: ReadonlyMap<Node, SourceText>): ConfigSource {
    this.doc.contents = contents as Document.Parsed['contents'];
    return new ConfigSource(this.file, this.text, this.doc, this.own.lineCounter, new Map(), origins);
  }

  /** The file this source was parsed from. */
  get sourceText(): SourceText {
    return this.own;
  }

  textOf(node: Node): string {
    return this.fileOf(node).text;
  }

  /** The file a node is written in. */
  fileOf(node: Node | null | undefined): SourceText {
    return (node && this.origins.get(node)) ?? this.own;
  }

  /** The 1-based line and column of a character offset in this source's own file. */
  location(offset: number): SourceLocation {
    return this.own.location(offset);
  }

  /** Where a node starts, in the file it is written in; the start of the config when there is no node. */
  locationOf(node: Node | null | undefined): SourceLocation {
    return this.fileOf(node).location(node?.range?.[0] ?? 0);
  }

  /** The node an alias stands for, or the node itself. */
  resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return this.aliasTargets.get(node);
    return node === null || node === undefined ? undefined : (node as Node);
  }

  /** The pair of the mapping at `path.slice(0, -1)` whose key is the last segment (the last one, as YAML keeps it). */
  pairAt(path: Path): Pair | undefined {
    if (path.length === 0) return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    if (!isMap(parent)) return undefined;
    const name = String(path[path.length - 1]);
    let found: Pair | undefined;
    for (const pair of parent.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === name) found = pair;
    }
    return found;
  }

  /** The node holding the value at `path`, aliases followed; undefined when the path does not exist. */
  nodeAt(path: Path): Node | undefined {
    let node = this.resolve(this.doc.contents);
    for (let i = 0; i < path.length && node; i++) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = this.pairAt(path.slice(0, i + 1));
        node = pair ? this.resolve(pair.value) : undefined;
      } else if (isSeq(node)) {
        node = this.resolve(node.items[Number(segment)]);
      } else {
        node = undefined;
      }
    }
    return node;
  }

  /**
   * Where the value at `path` is written. With `key: true`, where its key is written (for "unknown field").
   * A path that does not exist falls back to its nearest existing ancestor.
   */
  locate(path: Path, options: { key?: boolean } = {}): SourceLocation {
    if (options.key) {
      const pair = this.pairAt(path);
      if (pair && isScalar(pair.key)) return this.locationOf(pair.key);
    }
    for (let n = path.length; n >= 0; n--) {
      const prefix = path.slice(0, n);
      const node = this.nodeAt(prefix);
      // `field:` with nothing after it is an empty scalar at the end of the line: point at the field's key instead.
      const blank = isScalar(node) && node.range && node.range[0] === node.range[1];
      if (node?.range && !blank) return this.locationOf(node);
      const pair = this.pairAt(prefix);
      if (pair && isScalar(pair.key)) return this.locationOf(pair.key);
    }
    return this.location(0);
  }
}
