import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from 'pino';
import type { SyslogIngest } from './ingest.js';

/** RFC 5426 syslog over UDP: one message per datagram. */
export class UdpSyslogListener {
  private socket: Socket | undefined;

  constructor(
    private readonly ingest: SyslogIngest,
    private readonly logger: Logger,
    private readonly maxMessageBytes: number,
  ) {}

  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: 8 << 20,
    });
    this.socket = socket;
    socket.on('message', (message, remote) => {
      const truncated = message.length > this.maxMessageBytes;
      let end = truncated ? this.maxMessageBytes : message.length;
      while (
        end > 0 &&
        (message[end - 1] === 0x0a || message[end - 1] === 0x0d || message[end - 1] === 0)
      )
        end--;
      this.ingest.datagram(message.subarray(0, end), remote.address, truncated);
    });
    socket.on('error', (error) => this.logger.error({ err: error }, 'UDP syslog socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot listen for syslog on udp://${host}:${port}: ${error.code ?? error.message} (set syslog.udp.port)`,
          ),
        ),
      );
      socket.bind(port, host, () => resolve());
    });
    const address = socket.address();
    return { address: address.address, port: address.port };
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
