// RFC 5424 §6.3 STRUCTURED-DATA: `[SD-ID name="value" …][…]`. Inside a PARAM-VALUE, `"`, `\`
// and `]` are escaped with a backslash; any other backslash is kept as it is (§6.3.3).
// Junos writes one element whose SD-ID is `junos@2636.<jnxProductName OID suffix>`: the
// suffix differs per platform, so only a prefix is matched. The prefix is `junos@` rather
// than `junos@2636.` (2636 is Juniper's enterprise number) so that anonymised captures, such
// as elastic's `junos@1111.1.1.1.1.111` test data, parse as well.

export const JUNOS_SD_PREFIX = 'junos@';

export interface StructuredData {
  /** Index just past the last element; -1 when the text is not well-formed SD. */
  end: number;
  /** Parameters of the Junos element (empty values kept as ''); undefined without one. */
  params: Map<string, string> | undefined;
}

/** Scans SD elements from `i` (which holds `[`). Linear in the text length. */
export function scanStructuredData(text: string, i: number, out: StructuredData): void {
  out.params = undefined;
  out.end = -1;
  const n = text.length;
  let j = i;
  while (j < n && text.charCodeAt(j) === 91 /* [ */) {
    j++;
    const idStart = j;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 32 || c === 93 || c === 61 || c === 34) break;
      j++;
    }
    if (j === idStart || j >= n) return;
    const junos = text.startsWith(JUNOS_SD_PREFIX, idStart);
    let params: Map<string, string> | undefined;
    if (junos) params = out.params ?? new Map<string, string>();
    // SD-PARAMs
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === 93 /* ] */) {
        j++;
        break;
      }
      if (c !== 32) return;
      while (text.charCodeAt(j) === 32) j++;
      if (text.charCodeAt(j) === 93) continue;
      const nameStart = j;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 61 || d === 32 || d === 93 || d === 34) break;
        j++;
      }
      if (j === nameStart || text.charCodeAt(j) !== 61 || text.charCodeAt(j + 1) !== 34) return;
      const name = text.slice(nameStart, j);
      j += 2;
      const valueStart = j;
      let value: string | undefined;
      let parts: string[] | undefined;
      let chunk = j;
      for (;;) {
        if (j >= n) return;
        const d = text.charCodeAt(j);
        if (d === 34 /* " */) break;
        if (d === 92 /* \ */) {
          const e = text.charCodeAt(j + 1);
          if (e === 34 || e === 92 || e === 93) {
            (parts ??= []).push(text.slice(chunk, j));
            chunk = j + 1;
            j += 2;
            continue;
          }
        }
        j++;
      }
      if (params) {
        if (parts) {
          parts.push(text.slice(chunk, j));
          value = parts.join('');
        } else {
          value = text.slice(valueStart, j);
        }
        params.set(name, value);
      }
      j++;
    }
    if (params) out.params = params;
  }
  out.end = j;
}
