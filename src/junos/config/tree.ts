// The generic statement tree both configuration forms produce. Each node is one word of a
// statement path: `security { ike { proposal P1 { dh-group group14; } } }` and
// `set security ike proposal P1 dh-group group14` both give
// security → ike → proposal → P1 → dh-group → group14. Secrets never enter it (secrets.ts).

export interface ConfigNode {
  readonly name: string;
  /** 1-based line of the statement that first created this node. */
  readonly line: number;
  /** `inactive:` (curly) or `deactivate` (set): Junos ignores this node and everything below. */
  readonly inactive?: true;
  /** `protect:` / `protect`: the node may not be changed; no effect on what samon reads. */
  readonly protect?: true;
  /** `/* … *\/` annotation placed before the statement (`annotate`). */
  readonly annotation?: string;
  readonly children: readonly ConfigNode[];
}

export type ConfigForm = 'curly' | 'set';

export interface ConfigTree {
  readonly form: ConfigForm;
  readonly root: ConfigNode;
}
