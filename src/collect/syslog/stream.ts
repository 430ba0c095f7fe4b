import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import type { CollectMetrics } from '../metrics.js';
import { SyslogDeframer } from './framing.js';
import type { SyslogIngest } from './ingest.js';

export interface TlsFiles {
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly ca?: string | undefined;
  readonly rejectUnauthorized?: boolean | undefined;
}

/**
 * Syslog over TCP (RFC 6587, both framings) or TLS (RFC 5425). Each connection is paused while
 * the event log is behind, so a slow log slows the senders instead of filling memory.
 */
export class StreamSyslogListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly transport: 'tcp' | 'tls',
    private readonly ingest: SyslogIngest,
    private readonly metrics: CollectMetrics,
    private readonly logger: Logger,
    private readonly maxMessageBytes: number,
    private readonly tls: TlsFiles = {},
  ) {}

  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    const onConnection = (socket: Socket) => this.connection(socket);
    let server: Server;
    if (this.transport === 'tls') {
      const read = (what: string, path: string | undefined) => {
        if (!path)
          throw new Error(`syslog.tls.${what} is required when syslog.tls.enabled is true`);
        try {
          return readFileSync(path);
        } catch (error) {
          throw new Error(
            `cannot read syslog.tls.${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
          );
        }
      };
      server = createTlsServer(
        {
          cert: read('cert', this.tls.cert),
          key: read('key', this.tls.key),
          ...(this.tls.ca ? { ca: read('ca', this.tls.ca), requestCert: true } : {}),
          rejectUnauthorized: this.tls.ca ? (this.tls.rejectUnauthorized ?? true) : false,
        },
        onConnection,
      );
      server.on('tlsClientError', (error) =>
        this.logger.warn({ err: error }, 'TLS syslog handshake failed'),
      );
    } else {
      server = createTcpServer(onConnection);
    }
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot listen for syslog on ${this.transport}://${host}:${port}: ${error.code ?? error.message} (set syslog.${this.transport}.port)`,
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    server.on('error', (error) =>
      this.logger.error({ err: error }, `${this.transport} syslog server error`),
    );
    const address = server.address();
    if (address === null || typeof address === 'string')
      throw new Error('unexpected server address');
    return { address: address.address, port: address.port };
  }

  private connection(socket: Socket): void {
    const sender = socket.remoteAddress ?? 'unknown';
    const deframer = new SyslogDeframer(this.maxMessageBytes);
    this.sockets.add(socket);
    this.metrics.connections.inc({ transport: this.transport });
    let chain = Promise.resolve();
    const deliver = (frames: ReturnType<SyslogDeframer['push']>) => {
      if (frames.length === 0) return;
      socket.pause();
      chain = chain
        .then(() => this.ingest.stream(frames, sender, this.transport))
        .then(
          () => {
            if (!socket.destroyed) socket.resume();
          },
          (error: unknown) => {
            this.logger.error(
              { err: error, sender },
              'could not take syslog lines from a connection; closing it',
            );
            socket.destroy();
          },
        );
    };
    socket.on('data', (chunk: Buffer) => deliver(deframer.push(chunk)));
    socket.on('end', () => deliver(deframer.end()));
    socket.on('error', (error) =>
      this.logger.debug({ err: error, sender }, 'syslog connection error'),
    );
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.metrics.connections.dec({ transport: this.transport });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.end();
    setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 2_000).unref();
    await closed;
  }
}
