import { createSocket } from 'node:dgram';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, isIP, type Socket } from 'node:net';
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import type { Destination } from './destination.js';

// The simulator's only I/O: one writer per destination, sending each line as one message.

export interface LineWriter {
  write(line: string): Promise<void>;
  close(): Promise<void>;
}

export async function openWriter(destination: Destination): Promise<LineWriter> {
  if (destination.kind === 'file') {
    const stream = createWriteStream(destination.path);
    await once(stream, 'open');
    return {
      write: async (line) => {
        if (!stream.write(`${line}\n`)) await once(stream, 'drain');
      },
      close: () =>
        new Promise((resolve, reject) =>
          stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
        ),
    };
  }
  if (destination.kind === 'udp') {
    const socket = createSocket(destination.host.includes(':') ? 'udp6' : 'udp4');
    return {
      write: (line) =>
        new Promise((resolve, reject) =>
          socket.send(Buffer.from(line), destination.port, destination.host, (err) =>
            err ? reject(err) : resolve(),
          ),
        ),
      close: () => new Promise((resolve) => socket.close(() => resolve())),
    };
  }
  let socket: Socket;
  if (destination.kind === 'tls') {
    const ca = destination.ca === undefined ? undefined : await readFile(destination.ca);
    socket = tlsConnect({
      host: destination.host,
      port: destination.port,
      ...(ca === undefined ? {} : { ca }),
      ...(isIP(destination.host) ? {} : { servername: destination.host }),
      rejectUnauthorized: destination.insecure !== true,
    });
    // Rejects with the socket's error: refused, or the certificate not trusted.
    await once(socket, 'secureConnect');
  } else {
    socket = connect({ host: destination.host, port: destination.port });
    await once(socket, 'connect'); // rejects with the socket's error (ECONNREFUSED, …)
  }
  // A later failure (the receiver goes away) fails the next write instead of the process.
  let failure: Error | undefined;
  socket.on('error', (err) => (failure = err));
  return {
    write: async (line) => {
      if (failure) throw failure;
      const bytes = Buffer.from(line);
      // Octet counting (RFC 6587 §3.4.1, the only framing of RFC 5425): safe whatever the
      // message contains.
      if (!socket.write(`${bytes.length} ${line}`)) await once(socket, 'drain');
    },
    close: () => new Promise((resolve) => socket.end(() => resolve())),
  };
}
