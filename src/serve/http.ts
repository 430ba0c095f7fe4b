import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface HttpResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: {
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}) => Promise<HttpResponse> | HttpResponse;

export interface Route {
  readonly method: 'GET';
  /** A path with `{name}` segments, e.g. `/api/tunnels/{id}`. */
  readonly path: string;
  readonly handler: RouteHandler;
}

interface CompiledRoute extends Route {
  readonly segments: readonly string[];
}

export const json = (status: number, value: unknown): HttpResponse => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: `${JSON.stringify(value)}\n`,
});

export const text = (
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): HttpResponse => ({
  status,
  contentType,
  body,
});

function match(
  route: CompiledRoute,
  segments: readonly string[],
): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const pattern = route.segments[i] ?? '';
    const actual = segments[i] ?? '';
    if (pattern.startsWith('{') && pattern.endsWith('}')) {
      try {
        params[pattern.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (pattern !== actual) {
      return undefined;
    }
  }
  return params;
}

/** The HTTP surface: routes are registered by the composition root; unknown paths get 404. */
export class HttpServer {
  private readonly server: Server;
  private readonly routes: CompiledRoute[] = [];

  constructor(private readonly logger: Logger) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  route(route: Route): this {
    this.routes.push({ ...route, segments: route.path.split('/').filter(Boolean) });
    return this;
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `cannot listen on http://${host}:${port}: the port is in use (set http.port or SAMON_HTTP__PORT)`
              : `cannot listen on http://${host}:${port}: ${error.message}`,
          ),
        );
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://samon.invalid');
    const segments = url.pathname.split('/').filter(Boolean);
    let response: HttpResponse;
    try {
      const candidates = this.routes
        .map((route) => ({ route, params: match(route, segments) }))
        .filter((c) => c.params !== undefined);
      const found = candidates.find((c) => c.route.method === req.method);
      if (found?.params) {
        response = await found.route.handler({ url, params: found.params });
      } else if (candidates.length > 0) {
        response = { ...text(405, 'method not allowed\n'), headers: { allow: 'GET' } };
      } else {
        response = json(404, { error: `no such path: ${url.pathname}` });
      }
    } catch (error) {
      this.logger.error({ err: error, path: url.pathname }, 'HTTP handler failed');
      response = json(500, { error: 'internal error; see the samon log' });
    }
    res.writeHead(response.status, { 'content-type': response.contentType, ...response.headers });
    res.end(req.method === 'HEAD' ? undefined : response.body);
  }
}
