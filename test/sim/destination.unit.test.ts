import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SyslogDeframer } from '../../src/collect/syslog/framing.js';
import { openWriter, parseDestination } from '../../src/sim/index.js';

describe('--syslog destinations', () => {
  it('parses file:, plain paths, udp://, tcp:// and tls://', () => {
    expect(parseDestination('file:/tmp/a.log')).toEqual({ kind: 'file', path: '/tmp/a.log' });
    expect(parseDestination('file:///tmp/a.log')).toEqual({ kind: 'file', path: '/tmp/a.log' });
    expect(parseDestination('out/sim.log')).toEqual({ kind: 'file', path: 'out/sim.log' });
    expect(parseDestination('udp://127.0.0.1:5514')).toEqual({
      kind: 'udp',
      host: '127.0.0.1',
      port: 5514,
    });
    expect(parseDestination('tcp://[::1]:601')).toEqual({ kind: 'tcp', host: '::1', port: 601 });
    expect(parseDestination('tls://syslog.example:6514')).toEqual({
      kind: 'tls',
      host: 'syslog.example',
      port: 6514,
    });
    expect(() => parseDestination('ftp://h:21')).toThrow(/unsupported scheme ftp/);
    expect(() => parseDestination('udp://h')).toThrow(/missing port/);
    expect(() => parseDestination('udp://h:99999')).toThrow(/not a valid URL/);
    expect(() => parseDestination('tcp://h:1/x')).toThrow(/unexpected path/);
    expect(() => parseDestination('file:')).toThrow(/needs a path/);
  });

  it('tcp:// sends octet-counted frames that samon’s deframer splits back into the lines', async () => {
    const lines = [
      '<30>Nov 27 00:00:01 r1 kmd[1]: a b c',
      '<27>1 2026-11-27T00:00:02.000Z r2 kmd 2 - - x\ny',
    ];
    const deframer = new SyslogDeframer(64 * 1024);
    const received: string[] = [];
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        for (const f of deframer.push(chunk)) received.push(f.line.toString());
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const closed = new Promise<void>((resolve) =>
      server.on('connection', (s) => s.on('close', () => resolve())),
    );
    const writer = await openWriter({ kind: 'tcp', host: '127.0.0.1', port });
    for (const l of lines) await writer.write(l);
    await writer.close();
    await closed;
    server.close();
    expect(received).toEqual(lines);
  });

  it('udp:// sends one datagram per line', async () => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    const got = once(socket, 'message');
    const writer = await openWriter({
      kind: 'udp',
      host: '127.0.0.1',
      port: socket.address().port,
    });
    await writer.write('<30>Nov 27 00:00:01 r1 kmd[1]: hello');
    const [message] = (await got) as [Buffer];
    await writer.close();
    socket.close();
    expect(message.toString()).toBe('<30>Nov 27 00:00:01 r1 kmd[1]: hello');
  });

  it('tcp:// to a closed port rejects with the socket error', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    await expect(openWriter({ kind: 'tcp', host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
