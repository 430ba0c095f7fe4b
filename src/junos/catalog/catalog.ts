import { ASSUMED } from './assumed.js';
import { defineEntry } from './define.js';
import { KMD_TAGGED } from './kmd-tagged.js';
import { startsAt } from './fields.js';
import { KMD_TEXT } from './kmd-text.js';
import type { CompiledEntry, MessageView, ObservationFields } from './types.js';

/** Programs whose unmatched lines are `unrecognized` (others are `ignored`). */
export const CATALOG_PROGRAMS: readonly string[] = ['kmd', 'iked', 'pkid'];

export const BUILT_IN_ENTRIES: readonly CompiledEntry[] = [
  ...KMD_TAGGED,
  ...KMD_TEXT,
  ...ASSUMED,
].map((spec) => defineEntry(spec));

export interface CatalogMatch {
  readonly entry: CompiledEntry;
  readonly fields: ObservationFields;
}

function firstWord(text: string): string {
  const space = text.indexOf(' ');
  return space < 0 ? text : text.slice(0, space);
}

function push<K>(map: Map<K, CompiledEntry[]>, key: K, entry: CompiledEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function tryEach(
  entries: readonly CompiledEntry[] | undefined,
  view: MessageView,
  test?: (entry: CompiledEntry) => boolean,
): CatalogMatch | undefined {
  if (entries === undefined) return undefined;
  for (const entry of entries) {
    if (!entry.programs.includes(view.program)) continue;
    if (test !== undefined && !test(entry)) continue;
    const fields = entry.match(view);
    if (fields) return { entry, fields };
  }
  return undefined;
}

/**
 * Dispatch: operator entries without a tag first (operator intent wins), then entries for the
 * line's tag, then entries for the first word of the text (untagged messages, and tags no
 * entry knows such as a relay's MSGID), then the `contains` fallback. One Map lookup per
 * step: the cost per line does not grow with the catalog.
 */
export class Catalog {
  readonly programs: ReadonlySet<string>;
  private readonly anyTag: CompiledEntry[] = [];
  private readonly byTag = new Map<string, CompiledEntry[]>();
  private readonly byFirstWord = new Map<string, CompiledEntry[]>();
  private readonly byContains: CompiledEntry[] = [];

  constructor(extra: readonly CompiledEntry[] = [], builtIn = BUILT_IN_ENTRIES) {
    const programs = new Set(CATALOG_PROGRAMS);
    for (const entry of [...extra, ...builtIn]) {
      for (const program of entry.programs) programs.add(program);
      if (entry.tag !== undefined) push(this.byTag, entry.tag, entry);
      if (entry.prefix !== undefined) push(this.byFirstWord, firstWord(entry.prefix), entry);
      if (entry.contains !== undefined) this.byContains.push(entry);
      if (entry.tag === undefined && entry.prefix === undefined && entry.contains === undefined) {
        this.anyTag.push(entry);
      }
    }
    this.programs = programs;
  }

  match(view: MessageView): CatalogMatch | undefined {
    const text = view.text;
    let found: CatalogMatch | undefined;
    if (this.anyTag.length) {
      found = tryEach(this.anyTag, view);
      if (found) return found;
    }
    if (view.tag) {
      found = tryEach(this.byTag.get(view.tag), view);
      if (found) return found;
    }
    if (text) {
      const space = text.indexOf(' ');
      const candidates = this.byFirstWord.get(space < 0 ? text : text.slice(0, space));
      if (candidates) {
        for (const entry of candidates) {
          if (!entry.programs.includes(view.program) || !startsAt(text, entry.prefix!, 0)) continue;
          const fields = entry.match(view);
          if (fields) return { entry, fields };
        }
      }
    }
    return this.matchContains(view);
  }

  private matchContains(view: MessageView): CatalogMatch | undefined {
    if (!this.byContains.length || !view.text) return undefined;
    const lower = view.text.toLowerCase();
    return tryEach(this.byContains, view, (e) => lower.includes(e.contains!.toLowerCase()));
  }
}
