import { createSocket, type Socket } from 'node:dgram';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { workerScript } from '../../log/workerScript.js';
import type { SyslogIngest } from './ingest.js';
import {
  forEachDatagram,
  messageLength,
  type ReceiverData,
  type ReceiverMessage,
} from './udpBatch.js';

/** Datagrams the receive thread may hold that the collector has not taken yet. */
const MAX_OUTSTANDING = 20_000;
const RECV_BUFFER_SIZE = 8 << 20;

/** What an operator reads when the port cannot be had, whichever thread tried. */
function bindFailure(host: string, port: number, error: unknown): Error {
  return new Error(
    `cannot listen for syslog on udp://${host}:${port}: ${String((error as Error).message)} (set syslog.udp.port)`,
  );
}

export interface UdpListener {
  listen(host: string, port: number): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

/** The listener `syslog.udp.receiveThread` asks for. */
export function udpListener(
  ingest: SyslogIngest,
  logger: Logger,
  maxMessageBytes: number,
  receiveThread: boolean,
): UdpListener {
  return receiveThread
    ? new UdpSyslogListener(ingest, logger, maxMessageBytes)
    : new MainThreadUdpListener(ingest, logger, maxMessageBytes);
}

/**
 * RFC 5426 syslog over UDP read on the collector's own thread (`syslog.udp.receiveThread:
 * false`): on a one-core host a receive thread costs more (a second isolate, a hand-over per
 * batch) than it saves, as nothing runs beside the collector's thread anyway.
 */
export class MainThreadUdpListener implements UdpListener {
  private socket: Socket | undefined;

  constructor(
    private readonly ingest: SyslogIngest,
    private readonly logger: Logger,
    private readonly maxMessageBytes: number,
  ) {}

  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      recvBufferSize: RECV_BUFFER_SIZE,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      socket.close();
      throw bindFailure(host, port, error);
    });
    socket.on('error', (error) => this.logger.error({ err: error }, 'UDP syslog socket error'));
    socket.on('message', (message, remote) => {
      const end = messageLength(message, this.maxMessageBytes);
      this.ingest.datagram(
        message.subarray(0, end),
        remote.address,
        message.length > this.maxMessageBytes,
      );
    });
    this.socket = socket;
    const address = socket.address();
    return { address: address.address, port: address.port };
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/**
 * RFC 5426 syslog over UDP: one message per datagram. The socket is read by a thread of its own
 * (./udpReceiver.ts), so datagrams leave the kernel's receive buffer while this thread parses
 * and appends; they come over in batches. A receive thread that dies is logged at error and
 * started again on the same port (datagrams sent meanwhile are lost in the kernel, not here).
 */
export class UdpSyslogListener implements UdpListener {
  private worker: Worker | undefined;
  private data: ReceiverData | undefined;
  private closing = false;

  constructor(
    private readonly ingest: SyslogIngest,
    private readonly logger: Logger,
    private readonly maxMessageBytes: number,
    private readonly script: URL = workerScript('./udpReceiver.js', import.meta.url),
    /** More data for a replacement script (tests). */
    private readonly scriptData: Readonly<Record<string, unknown>> = {},
  ) {}

  async listen(host: string, port: number): Promise<{ address: string; port: number }> {
    this.data = {
      host,
      port,
      maxMessageBytes: this.maxMessageBytes,
      recvBufferSize: RECV_BUFFER_SIZE,
      maxOutstanding: MAX_OUTSTANDING,
    };
    const address = await this.start(this.data).catch((error: unknown) => {
      throw bindFailure(host, port, error);
    });
    // A restarted thread binds the port the first one got (port 0 picks one once).
    this.data = { ...this.data, port: address.port };
    return address;
  }

  private start(data: ReceiverData): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.script, {
        workerData: { ...this.scriptData, ...data },
        // None of the process's flags: a worker refuses some (V8 heap sizes, `node -e`'s).
        execArgv: [],
      });
      this.worker = worker;
      let listening = false;
      worker.on('message', (message: ReceiverMessage) => {
        if ('batch' in message) {
          this.take(worker, message);
        } else if ('listening' in message) {
          listening = true;
          resolve(message.listening);
        } else if ('bindError' in message) {
          reject(new Error(message.bindError));
        } else {
          this.logger.error({ err: new Error(message.socketError) }, 'UDP syslog socket error');
        }
      });
      worker.on('error', (error) => {
        if (!listening) reject(error);
        else this.logger.error({ err: error }, 'the UDP syslog receive thread failed');
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = undefined;
        if (!listening) {
          reject(new Error(`the UDP receive thread stopped (exit code ${code})`));
          return;
        }
        if (this.closing) return;
        this.logger.error(
          { exitCode: code },
          'the UDP syslog receive thread stopped; starting it again',
        );
        this.start(this.data!).catch((error: unknown) =>
          this.logger.error({ err: error }, 'cannot start the UDP syslog receive thread again'),
        );
      });
    });
  }

  private take(worker: Worker, message: Extract<ReceiverMessage, { batch: ArrayBuffer }>): void {
    const { ingest } = this;
    if (message.dropped > 0) ingest.datagramsDropped(message.dropped);
    forEachDatagram(message.batch, message.bytes, message.senders, (line, sender, truncated, ms) =>
      ingest.datagram(line, sender, truncated, ms),
    );
    if (message.count > 0) worker.postMessage({ taken: message.count });
  }

  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }
}
