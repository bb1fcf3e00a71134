// A virtual printer (ESC/POS or Star) as a network printer: a TCP server playing the raw print
// port (9100, "JetDirect"/AppSocket). Bytes received on any connection go to the printer; its
// status replies (DLE EOT / GS r, or Star's ASB) go back on the connection that sent the query,
// as a real network printer answers on the same socket (Epson ESC/POS reference; TM-i network
// manuals; Star Line Mode spec).
// For child-process end-to-end tests: the test process keeps the printer and watches it
// print while the device under test connects with the real TcpTransport.
import net from 'node:net';
import type { ByteDevice } from './model.js';

export interface VirtualPrinterServerOptions {
  /** Default 127.0.0.1: a test printer is not for the network. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
}

export interface VirtualPrinterServer {
  readonly host: string;
  readonly port: number;
  /** Connections open now. */
  connections(): number;
  /** Drops every connection, as a printer being switched off and on does; the server keeps listening. */
  dropConnections(): void;
  /** Stops listening and drops every connection. Idempotent. */
  close(): Promise<void>;
}

export async function serveVirtualPrinter(printer: ByteDevice, options: VirtualPrinterServerOptions = {}): Promise<VirtualPrinterServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let replyTo: net.Socket | undefined;

  const offReply = printer.onReply((bytes) => {
    const socket = replyTo;
    if (socket && !socket.destroyed && socket.writable) socket.write(bytes);
  });

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      replyTo = socket; // the printer answers within receive(), on the socket that asked
      printer.receive(chunk);
    });
    socket.on('error', () => undefined); // a client that resets is the client's problem
    socket.on('close', () => {
      sockets.delete(socket);
      if (replyTo === socket) replyTo = undefined;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    connections: () => sockets.size,
    dropConnections,
    close() {
      closing ??= (async () => {
        offReply();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const gone = [...sockets].map((socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve()))));
        dropConnections();
        await Promise.all([stopped, ...gone]);
      })();
      return closing;
    },
  };
}
