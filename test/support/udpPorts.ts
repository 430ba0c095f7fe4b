import { createSocket, type Socket } from 'node:dgram';

// Agents that listen on consecutive ports (the simulator: router i on BASE + i) need a run of
// free ports. Ports are taken below Linux's ephemeral range (32768–60999 by default), where the
// kernel never hands out a port to another test's `bind(0)` or outgoing socket, and each run is
// checked by binding all of its ports before it is returned.

const LOW = 20_000;
const HIGH = 32_000;

async function bindAll(base: number, count: number): Promise<Socket[] | undefined> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const socket = createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(base + i, '127.0.0.1', resolve);
      });
    }
    return sockets;
  } catch {
    await closeAll(sockets);
    return undefined;
  }
}

const closeAll = (sockets: readonly Socket[]) =>
  Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));

/** The first of `count` consecutive UDP ports on 127.0.0.1 that were all free just now. */
export async function freeUdpPortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = LOW + Math.floor(Math.random() * (HIGH - LOW - count));
    const sockets = await bindAll(base, count);
    if (sockets) {
      await closeAll(sockets);
      return base;
    }
  }
  throw new Error(`no run of ${count} free UDP ports between ${LOW} and ${HIGH} after 50 tries`);
}
