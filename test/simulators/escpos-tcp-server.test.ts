// serveVirtualPrinter: the virtual printer as a network printer's raw port 9100, driven by the
// real TcpTransport + EscPosTicketPrinter over real sockets on 127.0.0.1.
import t from 'tap';
import net from 'node:net';
import { EscPosTicketPrinter, PrinterNotReadyError, TcpTransport } from '../../drivers/printer/index.js';
import { serveVirtualPrinter, VirtualEscPosPrinter } from '../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS } from '../drivers/printer/rig.js';
import { waitFor } from '../../testkit/wait.js';

function tcpPrinter(t: { teardown(fn: () => unknown): void }, port: number): EscPosTicketPrinter {
  const printer = new EscPosTicketPrinter(new TcpTransport({ host: '127.0.0.1', port }), { statusTimeoutMs: 1000 });
  t.teardown(() => printer.close());
  return printer;
}

t.test('a TcpTransport printer prints through the server and reads status back', async (t) => {
  const paper = new VirtualEscPosPrinter();
  const server = await serveVirtualPrinter(paper, { host: '127.0.0.1', port: 0 });
  t.teardown(() => server.close());
  t.equal(server.host, '127.0.0.1');
  t.ok(server.port > 0, 'port 0 picks a free port');
  const printer = tcpPrinter(t, server.port);

  const status = await printer.status();
  t.match(status, { ready: true, online: true, faults: [], raw: { printer: 0x12, offlineCause: 0x12, errorCause: 0x12, paperSensor: 0x12 } });
  await printer.print({ fields: SAMPLE_FIELDS });
  const ticket = await waitFor('the ticket', () => paper.tickets()[0]);
  const text = ticket.items.flatMap((i) => (i.type === 'text' ? [i.text] : []));
  t.ok(text.includes('A023'));
  t.ok(text.includes('业务类别：社保业务·𠮷'));
  t.equal(server.connections(), 1, 'one socket for status and ticket');

  paper.setFaults({ coverOpen: true, paperLow: true });
  t.match(await printer.status(), { ready: false, coverOpen: true, paperLow: true, faults: ['paper-low', 'cover-open'] });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), PrinterNotReadyError);
  t.equal(paper.tickets().length, 1, 'nothing more printed');
});

t.test('replies go back on the socket that asked; a dropped connection is reopened by the transport', async (t) => {
  const paper = new VirtualEscPosPrinter();
  const server = await serveVirtualPrinter(paper);
  t.teardown(() => server.close());
  const a = tcpPrinter(t, server.port);
  const b = tcpPrinter(t, server.port);
  const both = await Promise.all([a.status(), b.status(), a.status(), b.status()]);
  t.ok(both.every((s) => s.ready), 'four round trips from two clients, each answered');
  t.equal(server.connections(), 2);
  t.equal(paper.statusQueries, 16);

  server.dropConnections();
  await waitFor('sockets closed', () => server.connections() === 0);
  t.ok((await a.status()).ready, 'the printer was switched off and on: the transport connects again');
});

t.test('close() stops listening and drops connections', async (t) => {
  const paper = new VirtualEscPosPrinter();
  const server = await serveVirtualPrinter(paper);
  const printer = tcpPrinter(t, server.port);
  t.ok((await printer.status()).ready);
  await server.close();
  await server.close();
  t.equal(server.connections(), 0);
  const refused = await new Promise<string>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    socket.on('connect', () => resolve('connected'));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  t.equal(refused, 'ECONNREFUSED');
  paper.receive(Buffer.from([0x10, 0x04, 0x01]));
  t.pass('a reply after close goes nowhere, without throwing');
});
