// PrinterTransport over TCP to a network printer's raw port (9100, "JetDirect"/"AppSocket").
// The printer answers DLE EOT on the same socket (Epson ESC/POS reference; Epson TM-i and
// network interface manuals). Connects lazily and again after the printer drops the socket.
import net from 'node:net';
import { HalError } from '../hal/types.js';
import type { PrinterTransport } from './transport.js';

export const RAW_PRINT_PORT = 9100;
export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export interface TcpTransportOptions {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
}

export class TcpTransport implements PrinterTransport {
  readonly description: string;
  private socket: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private readonly listeners = new Set<(chunk: Buffer) => void>();
  private closed = false;

  constructor(private readonly options: TcpTransportOptions) {
    this.description = `tcp ${options.host}:${options.port ?? RAW_PRINT_PORT}`;
  }

  private connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.connecting = new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({ host: this.options.host, port: this.options.port ?? RAW_PRINT_PORT });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new HalError('TIMEOUT', `${this.description}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.on('data', (chunk: Buffer) => {
          for (const listener of this.listeners) listener(chunk);
        });
        socket.on('close', () => {
          if (this.socket === socket) this.socket = null;
        });
        this.socket = socket;
        resolve(socket);
      });
      socket.on('error', (err) => {
        clearTimeout(timer);
        if (this.socket === socket) this.socket = null;
        reject(new HalError('IO', `${this.description}: ${err.message}`, { cause: err }));
      });
    }).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new HalError('CLOSED', `${this.description} is closed`);
    const socket = await this.connect();
    await new Promise<void>((resolve, reject) => {
      socket.write(bytes, (err) => (err ? reject(new HalError('IO', `${this.description}: ${err.message}`, { cause: err })) : resolve()));
    });
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const socket = this.socket;
    this.socket = null;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end(() => socket.destroy());
    });
  }
}
