// Puts a VirtualLockBus on a pseudo-terminal pair made by Debian's socat, so a driver under
// test opens a real device path through serialport's OS binding, exactly as on a board:
//   socat -d -d pty,raw,echo=0,link=<dir>/host pty,raw,echo=0,link=<dir>/device
// The simulator holds the device end (through serialport itself: a simulator runs no driver
// code) and answers what the host writes.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import type { SendOptions, VirtualLine, VirtualSerialDevice } from '../serial/virtual-device.js';

export interface PtyLockBus {
  /** The path the driver opens. */
  hostPath: string;
  /** Ends socat and closes the simulator's end. */
  close(): Promise<void>;
}

/** socat prints this once both ptys exist and their links are in place. */
const SOCAT_READY = 'starting data transfer loop';
const SOCAT_START_TIMEOUT_MS = 10_000;

function waitForSocat(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start within ${SOCAT_START_TIMEOUT_MS} ms: ${log}`)), SOCAT_START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(SOCAT_READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited with ${code}: ${log}`));
    });
  });
}

/** The chunks SendOptions asks for (the same cuts simulators/serial's virtual line makes). */
function cut(all: Buffer, options: SendOptions): Buffer[] {
  const sizes = options.chunks ?? (options.chunkSize ? Array.from({ length: Math.ceil(all.length / options.chunkSize) }, () => options.chunkSize ?? 1) : []);
  const out: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= all.length) break;
    out.push(all.subarray(at, at + Math.max(1, size)));
    at += Math.max(1, size);
  }
  if (at < all.length) out.push(all.subarray(at));
  return out;
}

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate }, (err) => (err ? reject(err) : resolve(port)));
  });
}

function writePort(port: SerialPort, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => port.write(chunk, (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve())))));
}

function lineOver(port: SerialPort, baudRate: number): VirtualLine {
  return {
    path: port.path,
    baudRate,
    isOpen: () => port.isOpen,
    async send(bytes: Uint8Array | string, options: SendOptions = {}) {
      const chunks = cut(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes), options);
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0 && options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
        if (!port.isOpen) return;
        await writePort(port, chunk);
      }
    },
  };
}

/** `dir` must exist and be private to the test (the pty links are created in it). */
/** `bus` is a VirtualLockBus, or any serial device in front of one (a benchmark paces it at the baud rate). */
export async function startPtyLockBus(bus: VirtualSerialDevice, dir: string, baudRate: number): Promise<PtyLockBus> {
  const hostPath = join(dir, 'lock-bus-host');
  const devicePath = join(dir, 'lock-bus-device');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForSocat(child);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  const port = await openPort(devicePath, baudRate);
  const line = lineOver(port, baudRate);
  bus.opened?.(line);
  port.on('data', (chunk: Buffer) => bus.receive(chunk, line));
  return {
    hostPath,
    async close() {
      bus.closed?.();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
