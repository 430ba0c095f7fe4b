// `--syslog URL`: where the simulated routers send. `file:PATH` or a plain path, `udp://host:port`,
// `tcp://host:port` (octet-counted frames, RFC 6587), `tls://host:port` (octet-counted frames
// over TLS, RFC 5425). Anything else is refused with the reason.

export type Destination =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'udp' | 'tcp'; readonly host: string; readonly port: number }
  | {
      readonly kind: 'tls';
      readonly host: string;
      readonly port: number;
      /** PEM file of the CA that signed the receiver's certificate (default: Node's CAs). */
      readonly ca?: string;
      /** Skip verifying the receiver's certificate (a throwaway test certificate). */
      readonly insecure?: boolean;
    };

export class DestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationError';
  }
}

export function parseDestination(text: string): Destination {
  if (text.startsWith('file:')) {
    const path = text.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '')
      throw new DestinationError(`"${text}": file: needs a path (file:/tmp/sim.log)`);
    return { kind: 'file', path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (text === '') throw new DestinationError('empty destination');
    return { kind: 'file', path: text };
  }
  if (scheme !== 'udp' && scheme !== 'tcp' && scheme !== 'tls') {
    throw new DestinationError(
      `"${text}": unsupported scheme ${scheme}:// (use udp://, tcp://, tls://, file:PATH)`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DestinationError(`"${text}" is not a valid URL (${scheme}://host:port)`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new DestinationError(`"${text}": missing host (${scheme}://host:port)`);
  if (url.port === '')
    throw new DestinationError(`"${text}": missing port (${scheme}://host:port)`);
  if (url.pathname !== '' && url.pathname !== '/') {
    throw new DestinationError(`"${text}": unexpected path ${url.pathname}`);
  }
  return { kind: scheme, host, port: Number(url.port) };
}
