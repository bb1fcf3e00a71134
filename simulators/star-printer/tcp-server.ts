// The virtual Star printer as a network printer: a TCP server on the raw print port (9100).
// Bytes from any connection go to the printer; its status replies (the ASB block to ESC ACK SOH)
// go back on the connection that sent the request. Same shape as the ESC/POS simulator's
// serveVirtualPrinter; it takes any byte device, so either simulator can sit behind it.
import net from 'node:net';

/** What the server needs of a virtual printer (VirtualStarPrinter and VirtualEscPosPrinter both fit). */
export interface ByteDevice {
  receive(bytes: Uint8Array): void;
  onReply(listener: (bytes: Buffer) => void): () => void;
}

export interface VirtualStarPrinterServerOptions {
  /** Default 127.0.0.1: a test printer is not for the network. */
  host?: string;
  /** Default 0: any free port (read it from the result). */
  port?: number;
}

export interface VirtualStarPrinterServer {
  readonly host: string;
  readonly port: number;
  /** Connections open now. */
  connections(): number;
  /** Drops every connection, as a printer being switched off and on does; the server keeps listening. */
  dropConnections(): void;
  /** Stops listening and drops every connection. Idempotent. */
  close(): Promise<void>;
}

export async function serveVirtualStarPrinter(printer: ByteDevice, options: VirtualStarPrinterServerOptions = {}): Promise<VirtualStarPrinterServer> {
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
