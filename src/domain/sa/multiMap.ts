// Maps whose entry is one value or, rarely, several: most keys (a peer address, a line's hash)
// have one, and an array per key would cost a heap object each.

/** A map whose entries hold one value or several. */
export type MultiMap<K, V> = Map<K, V | V[]>;

/** Adds `value` to the entry of `key` (nothing when it is there already). */
export function addToMulti<K, V>(map: MultiMap<K, V>, key: K, value: V): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, value);
  else if (Array.isArray(entry)) {
    if (!entry.includes(value)) entry.push(value);
  } else if (entry !== value) map.set(key, [entry, value]);
}

/** Removes `value` from the entry of `key`; an entry left with one value holds it alone. */
export function removeFromMulti<K, V>(map: MultiMap<K, V>, key: K, value: V): void {
  const entry = map.get(key);
  if (entry === value) map.delete(key);
  else if (Array.isArray(entry)) {
    const rest = entry.filter((v) => v !== value);
    if (rest.length === 0) map.delete(key);
    else map.set(key, rest.length === 1 ? rest[0]! : rest);
  }
}
