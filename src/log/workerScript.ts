/**
 * A worker thread's script, `path` relative to the module at `from` (its import.meta.url), as
 * built (dist/): under vitest the calling module is the TypeScript source, which a Worker cannot
 * load, so tests use the build too (`npm test` builds first).
 */
export function workerScript(path: string, from: string): URL {
  const url = new URL(path, from);
  if (!from.endsWith('.ts')) return url;
  const at = url.pathname.lastIndexOf('/src/');
  return new URL(`${url.pathname.slice(0, at)}/dist/${url.pathname.slice(at + 5)}`, url);
}
