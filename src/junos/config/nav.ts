import type { ConfigNode } from './tree.js';

// Reading the statement tree: every accessor skips inactive nodes, so a deactivated statement
// is as absent to samon as it is to Junos.

export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

/** The active child `name` of `node`. */
export function child(node: ConfigNode | undefined, name: string): ConfigNode | undefined {
  if (node === undefined) return undefined;
  for (const c of node.children) if (c.name === name && c.inactive !== true) return c;
  return undefined;
}

/** The active node at `path` below `node`. */
export function at(node: ConfigNode | undefined, ...path: string[]): ConfigNode | undefined {
  let current = node;
  for (const name of path) current = child(current, name);
  return current;
}

/** Active children of `node` (identifiers of a named list, items of a `[ ]` list). */
export function activeChildren(node: ConfigNode | undefined): ConfigNode[] {
  return node === undefined ? [] : node.children.filter((c) => c.inactive !== true);
}

/** Named entries below `key`: `proposal P1 {…}` → the P1 node for `entries(ike, 'proposal')`. */
export function entries(node: ConfigNode | undefined, key: string): ConfigNode[] {
  return activeChildren(child(node, key));
}

/** The value of a single-valued leaf `key VALUE` (the last one set wins), with its line. */
export function leaf(node: ConfigNode | undefined, key: string): Located<string> | undefined {
  const keyNode = child(node, key);
  const values = activeChildren(keyNode);
  const last = values[values.length - 1];
  if (keyNode === undefined || last === undefined) return undefined;
  return { value: last.name, line: last.line };
}

/** The values of a multi-valued leaf `key [ a b ]` in order, with their lines. */
export function list(node: ConfigNode | undefined, key: string): Located<string>[] {
  return activeChildren(child(node, key)).map((c) => ({ value: c.name, line: c.line }));
}

/** A flag statement (`respond-bad-spi;`), with its line. */
export function flag(node: ConfigNode | undefined, key: string): Located<true> | undefined {
  const keyNode = child(node, key);
  return keyNode === undefined ? undefined : { value: true, line: keyNode.line };
}

/** The words below `key` as one string, following the first child each step: `local-id ipv4_addr 1.2.3.4`. */
export function phrase(node: ConfigNode | undefined, key: string): Located<string> | undefined {
  const keyNode = child(node, key);
  if (keyNode === undefined) return undefined;
  const words: string[] = [];
  let current = activeChildren(keyNode)[0];
  // Bounded: identities are a few words; the tree may be arbitrarily deep on malformed input.
  while (current !== undefined && words.length < 8) {
    words.push(current.name);
    current = activeChildren(current)[0];
  }
  return words.length === 0 ? undefined : { value: words.join(' '), line: keyNode.line };
}
