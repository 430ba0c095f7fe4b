/**
 * The built (dist/) script of a worker thread, `path` relative to src/collect. Under vitest the
 * calling module is the TypeScript source, which a Worker cannot load, so tests use the build
 * too (`npm test` builds first).
 */
export function workerScript(path: string): URL {
  const here = import.meta.url;
  const url = new URL(path, here);
  if (!here.endsWith('.ts')) return url;
  const at = url.pathname.lastIndexOf('/src/');
  return new URL(`${url.pathname.slice(0, at)}/dist/${url.pathname.slice(at + 5)}`, url);
}
