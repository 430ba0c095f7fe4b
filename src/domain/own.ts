/**
 * A copy of a string that does not keep its source alive. V8 represents a substring of 13 or
 * more characters as a slice of its parent, so keeping a VPN name parsed out of a 400-byte line
 * would keep the whole line: long-lived state and caches keep copies.
 */
export function own(value: string): string {
  return value.length < 13 ? value : (JSON.parse(JSON.stringify(value)) as string);
}
