/**
 * Anchors and aliases: resolves each alias (`*name`) to its anchored node (`&name`) and rejects the misuses that
 * would otherwise hang or crash later: aliases with no anchor, aliases inside their own anchor, and alias bombs
 * (a few lines that expand to millions of values).
 */
import { isAlias, isCollection, isPair, isScalar, visit, type Alias, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { ConfigCode } from './codes.js';
import { error, lineOf, warning } from './diagnostic.js';
import type { ConfigSource } from './source.js';

/** The largest number of values (scalars, lists, mappings) that the aliases of one document may expand to. */
export const MAX_EXPANDED_NODES = 100_000;

export interface AliasCheck {
  readonly targets: ReadonlyMap<Alias, Node>;
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
}

export function checkAliases(source: ConfigSource, limit: number = MAX_EXPANDED_NODES): AliasCheck {
  const targets = new Map<Alias, Node>();
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const text = source.text;
  /** Where `&name` is written: just before the node it anchors. */
  const anchorOffset = (node: Node, name: string): number => {
    const start = node.range?.[0] ?? 0;
    const at = text.lastIndexOf(`&${name}`, start);
    return at >= 0 ? at : start;
  };

  // One pass in document order, as YAML resolves an alias to the last anchor of that name before it.
  const anchors = new Map<string, Node>();
  const unresolved: Alias[] = [];
  visit(source.doc, {
    Node(_, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) targets.set(node, target);
        else unresolved.push(node);
        return;
      }
      const name = node.anchor;
      if (!name) return;
      const earlier = anchors.get(name);
      if (earlier) {
        warnings.push(
          warning(
            ConfigCode.YamlDuplicateAnchor,
            `anchor &${name} is defined again; it was first defined at ${lineOf(source.location(anchorOffset(earlier, name)))}`,
            source.location(anchorOffset(node, name)),
            `aliases below this point refer to the new one; give each anchor its own name`,
          ),
        );
      }
      anchors.set(name, node);
    },
  });
  for (const alias of unresolved) {
    const later = anchors.get(alias.source);
    errors.push(
      error(
        ConfigCode.YamlUnknownAlias,
        `alias *${alias.source} refers to no anchor &${alias.source} defined before it`,
        source.locationOf(alias),
        later
          ? `&${alias.source} is defined later, at ${lineOf(source.location(anchorOffset(later, alias.source)))}; an anchor must come before its aliases`
          : `define the anchor on a value above, e.g. "permissions: &${alias.source} [...]", or remove the alias`,
      ),
    );
  }

  // Expanded sizes, memoised per node so that measuring a bomb is itself cheap.
  const sizes = new Map<Node, number>();
  const measuring = new Set<Node>();
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node);
      return target && !measuring.has(target) ? size(target) : 0;
    }
    if (isScalar(node)) return 1;
    if (!isCollection(node)) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    measuring.add(node);
    let total = 1;
    for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    measuring.delete(node);
    sizes.set(node, total);
    return total;
  };

  // Walk the document as written, adding up what the aliases expand to, and stop at the alias that crosses the limit.
  // Values written out in the file do not count: their number is bounded by the file's size.
  let total = 0;
  let bomb = false;
  const open = new Set<Node>();
  const walk = (node: unknown): void => {
    if (bomb) return;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (!target) return; // reported above
      if (open.has(target)) {
        errors.push(
          error(
            ConfigCode.YamlAliasCycle,
            `alias *${node.source} is used inside the value it refers to, which would make it infinitely deep`,
            source.locationOf(node),
            `move *${node.source} out of the value anchored by &${node.source}`,
          ),
        );
        return;
      }
      total += size(target);
    } else if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) {
        if (isPair(item)) {
          walk(item.key);
          walk(item.value);
        } else walk(item);
      }
      open.delete(node);
    }
    if (total > limit && !bomb) {
      bomb = true;
      errors.push(
        error(
          ConfigCode.YamlAliasLimit,
          `aliases expand to more than ${limit} values; idm refuses to expand them (this looks like an "alias bomb")`,
          source.locationOf(node as Node),
          'aliases are for sharing a value a few times; write the config out without nesting aliases inside anchored values',
        ),
      );
    }
  };
  walk(source.doc.contents);

  return { targets, errors, warnings };
}
