// Hosts, programs, tags and first words repeat from line to line. Slicing them out of every
// line allocates a string whose hash is then computed again for each Set/Map lookup; a small
// direct-mapped table hands back the string already seen instead (same characters, so the
// same results). Entries are replaced on collision: the table never grows.

const SIZE = 256;
/** Longer strings are sliced as usual (rarely repeated, and costly to compare). */
const MAX_LENGTH = 64;

export class Interner {
  private readonly table: string[] = new Array<string>(SIZE).fill('');

  /** `text.slice(start, end)`, from the table when the same string was seen recently. */
  slice(text: string, start: number, end: number): string {
    const length = end - start;
    if (length <= 0) return '';
    if (length > MAX_LENGTH) return text.slice(start, end);
    const h =
      (length * 31 +
        text.charCodeAt(start) * 7 +
        text.charCodeAt(end - 1) * 3 +
        text.charCodeAt(start + (length >> 1))) &
      (SIZE - 1);
    const cached = this.table[h]!;
    if (cached.length === length && text.indexOf(cached, start) === start) return cached;
    const fresh = text.slice(start, end);
    this.table[h] = fresh;
    return fresh;
  }
}
