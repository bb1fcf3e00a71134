// The same printer code over TCP (a local server playing the network printer) and over the
// USB printer node (a temp file standing in for /dev/usb/lp0).
import t from 'tap';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EscPosTicketPrinter, TcpTransport, UsbLpTransport } from '../../../drivers/printer/index.js';
import { VirtualEscPosPrinter } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS } from './rig.js';

/** A TCP server on 127.0.0.1 with a virtual printer behind every connection. */
async function networkPrinter(sim: VirtualEscPosPrinter) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    sim.attach({
      write: (bytes) => new Promise((resolve) => socket.write(bytes, () => resolve())),
      onData: (listener) => {
        socket.on('data', listener);
        return () => socket.off('data', listener);
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sockets,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

t.test('TCP 9100: status and a ticket over a socket; reconnects after the printer drops it', async (t) => {
  const sim = new VirtualEscPosPrinter();
  const server = await networkPrinter(sim);
  t.teardown(server.close);
  const printer = new EscPosTicketPrinter(new TcpTransport({ host: '127.0.0.1', port: server.port }));
  t.equal(printer.name, `tcp 127.0.0.1:${server.port}`);
  t.ok((await printer.status()).ready);
  await printer.print({ fields: SAMPLE_FIELDS });
  await until(() => sim.tickets().length === 1, 'first ticket');

  // end(), not destroy(): the server's socket closes only once the transport's side has seen
  // the FIN and closed too, so "closed" here is the barrier that the transport knows.
  for (const s of server.sockets) s.end();
  await until(() => server.sockets.size === 0, 'socket closed on both ends');
  await printer.print({ fields: { ...SAMPLE_FIELDS, number: 'A024' } });
  await until(() => sim.tickets().length === 2, 'second ticket');
  t.ok(sim.tickets()[1]!.items.some((i) => i.type === 'text' && i.text === 'A024'));
  await printer.close();
});

t.test('TCP: nobody listening is an IO error, not a crash', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const printer = new EscPosTicketPrinter(new TcpTransport({ host: '127.0.0.1', port }));
  await t.rejects(printer.status(), { code: 'IO' });
  await printer.close();
});

t.test('USB node: writes go to the device file, replies are read from it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halld-lp-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  const out = path.join(dir, 'lp-out');
  fs.writeFileSync(out, '');
  const writer = await UsbLpTransport.open(out);
  await writer.write(Buffer.from([0x10, 0x04, 0x01]));
  await writer.write(Buffer.from('A023\n'));
  t.same([...fs.readFileSync(out)], [0x10, 0x04, 0x01, ...Buffer.from('A023\n')]);
  await writer.close();
  await t.rejects(writer.write(Buffer.from('x')), { code: 'CLOSED' });

  const replies = path.join(dir, 'lp-in');
  fs.writeFileSync(replies, Buffer.from([0x12, 0x72]));
  const reader = await UsbLpTransport.open(replies, { readPollIntervalMs: 5 });
  const received: number[] = [];
  const off = reader.onData((chunk) => received.push(...chunk));
  await until(() => received.length === 2, 'reply bytes');
  t.same(received, [0x12, 0x72]);
  off();
  await reader.close();

  await t.rejects(UsbLpTransport.open(path.join(dir, 'missing')), { code: 'UNAVAILABLE' });
});
