import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigNode } from '../../../src/junos/config/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/junos/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** A tree without line numbers, for comparing the two forms (they differ only in lines). */
export function shape(node: ConfigNode): unknown {
  return {
    name: node.name,
    ...(node.inactive === true ? { inactive: true } : {}),
    ...(node.protect === true ? { protect: true } : {}),
    children: node.children.map(shape),
  };
}

/** The words of every root-to-leaf path, e.g. `security ike proposal P1 dh-group group14`. */
export function paths(node: ConfigNode, prefix: string[] = []): string[] {
  if (node.children.length === 0) return [prefix.join(' ')];
  return node.children.flatMap((c) => paths(c, [...prefix, c.name]));
}

/** Canary values planted in the fixtures and tests: none may appear in any output. */
export const CANARIES = ['CANARY', 'Qx9n2Yk1vWz', 'k5Q3/9tOIhrvW8', '7f3a', '$9$', '$6$'];
