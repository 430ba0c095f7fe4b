import type { Problem } from './problem.js';
import { REDACTED } from './secrets.js';

// The mutable side of the statement tree, shared by the curly and `display set` parsers.
// Children are kept in insertion order; a per-node index makes lookups O(1), so building
// stays linear in the number of words.

export interface MutableNode {
  name: string;
  line: number;
  inactive?: true;
  protect?: true;
  annotation?: string;
  children: MutableNode[];
}

export class TreeBuilder {
  readonly root: MutableNode = { name: '', line: 0, children: [] };
  private readonly index = new WeakMap<MutableNode, Map<string, MutableNode>>();

  /** The child `name` of `parent`, created at `line` when missing. */
  ensureChild(parent: MutableNode, name: string, line: number): MutableNode {
    let byName = this.index.get(parent);
    if (byName === undefined) {
      byName = new Map();
      this.index.set(parent, byName);
    }
    const existing = byName.get(name);
    if (existing !== undefined) return existing;
    const node: MutableNode = { name, line, children: [] };
    byName.set(name, node);
    parent.children.push(node);
    return node;
  }

  findChild(parent: MutableNode, name: string): MutableNode | undefined {
    return this.index.get(parent)?.get(name);
  }

  removeChild(parent: MutableNode, name: string): boolean {
    const byName = this.index.get(parent);
    const node = byName?.get(name);
    if (byName === undefined || node === undefined) return false;
    byName.delete(name);
    const at = parent.children.indexOf(node);
    if (at >= 0) parent.children.splice(at, 1);
    return true;
  }

  /** The node at `path` below `from`, or undefined when any step is missing. */
  find(from: MutableNode, path: readonly string[]): MutableNode | undefined {
    let node: MutableNode | undefined = from;
    for (const name of path) {
      node = node === undefined ? undefined : this.findChild(node, name);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

/** Consecutive REDACTED words collapse into one, so both forms give the same tree. */
export function collapseRedacted(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (word === REDACTED && out[out.length - 1] === REDACTED) continue;
    out.push(word);
  }
  return out;
}

/** Quotes a statement for a message; its words are already redacted. */
export function quoteStatement(words: readonly string[]): string {
  let text = words
    .map((w) => (/[\s;{}[\]"]/.test(w) || w === '' ? JSON.stringify(w) : w))
    .join(' ');
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return `\`${text}\``;
}

export function problem(
  line: number,
  rule: string,
  message: string,
  severity: Problem['severity'] = 'error',
): Problem {
  return { line, severity, rule, message };
}
