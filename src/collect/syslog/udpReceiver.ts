// The UDP receive thread (see ./udp.ts): reads datagrams off the socket as they come, so the
// kernel's receive buffer empties while the collector's thread parses and appends, and hands
// them over in batches, one transferred buffer each. It holds at most `maxOutstanding`
// datagrams the collector has not taken yet; beyond that it drops and counts (never silently).
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import {
  encodeDatagram,
  type ReceiverData,
  type ReceiverMessage,
  DATAGRAM_OVERHEAD,
  messageLength,
} from './udpBatch.js';

const data = workerData as ReceiverData;
const port = parentPort!;
const socket = createSocket({
  type: data.host.includes(':') ? 'udp6' : 'udp4',
  recvBufferSize: data.recvBufferSize,
});

const BATCH_BYTES = 256 * 1024;
let buf = Buffer.allocUnsafeSlow(BATCH_BYTES);
let at = 0;
let count = 0;
let senders: string[] = [];
let dropped = 0;
let outstanding = 0;
let scheduled = false;

function post(message: ReceiverMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

function flush(): void {
  scheduled = false;
  if (count === 0 && dropped === 0) return;
  const batch = buf.buffer;
  post({ batch, bytes: at, count, senders, dropped }, [batch]);
  outstanding += count;
  buf = Buffer.allocUnsafeSlow(BATCH_BYTES);
  at = 0;
  count = 0;
  senders = [];
  dropped = 0;
}

socket.on('message', (message, remote) => {
  if (outstanding + count >= data.maxOutstanding) {
    dropped++;
  } else {
    const receivedAtMs = Date.now();
    const truncated = message.length > data.maxMessageBytes;
    const end = messageLength(message, data.maxMessageBytes);
    if (at + DATAGRAM_OVERHEAD + end > buf.length) flush();
    if (DATAGRAM_OVERHEAD + end > buf.length) buf = Buffer.allocUnsafeSlow(DATAGRAM_OVERHEAD + end);
    let sender = senders.indexOf(remote.address);
    if (sender < 0) sender = senders.push(remote.address) - 1;
    at = encodeDatagram(buf, at, message.subarray(0, end), sender, truncated, receivedAtMs);
    count++;
  }
  // What one turn of this thread's event loop read goes over as one batch.
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
socket.on('error', (error) => post({ socketError: error.message }));

port.on('message', (message: { taken: number } | 'close') => {
  if (message === 'close') {
    socket.close(() => {
      flush();
      port.close();
    });
    return;
  }
  outstanding -= message.taken;
});

let bound = false;
socket.once('error', (error: NodeJS.ErrnoException) => {
  if (!bound) post({ bindError: error.code ?? error.message });
});
socket.bind(data.port, data.host, () => {
  bound = true;
  const address = socket.address();
  post({ listening: { address: address.address, port: address.port } });
});
