// A real Mosquitto broker as a separate process on 127.0.0.1 and an ephemeral port, for the
// end-to-end tests that must not only pass against aedes.
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from './wait.js';

export function mosquittoPath(): string | undefined {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) {
    try {
      execFileSync(p, ['-h'], { stdio: 'ignore' });
      return p;
    } catch (err) {
      // `mosquitto -h` exits 3 after printing help: that still proves it runs.
      if ((err as { status?: number }).status !== undefined && (err as { status?: number }).status !== null) return p;
    }
  }
  return undefined;
}


export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface MosquittoBroker {
  port: number;
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface MosquittoOptions {
  maxQueued?: number;
  port?: number;
  /** With a password file: allow_anonymous false, and the client id is the user name (docs/trust.md). */
  passwordFile?: string;
  aclFile?: string;
  /** More lines at the end of the config (a second listener, e.g. TLS with client certificates). */
  extraConfig?: string[];
}

export async function startMosquitto(dir: string, options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const bin = mosquittoPath();
  if (!bin) throw new Error('mosquitto is not installed (apt-get install mosquitto)');
  const port = options.port ?? (await freePort());
  const conf = join(dir, `mosquitto-${port}.conf`);
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...(options.passwordFile !== undefined
        ? ['allow_anonymous false', `password_file ${options.passwordFile}`, 'use_username_as_clientid true']
        : ['allow_anonymous true']),
      ...(options.aclFile !== undefined ? [`acl_file ${options.aclFile}`] : []),
      // Started as root, Mosquitto drops to user mosquitto, which cannot read the 0600 files in a 0700 temp dir.
      ...(process.getuid?.() === 0 && options.passwordFile !== undefined ? ['user root'] : []),
      'set_tcp_nodelay true',
      'persistence false',
      `max_queued_messages ${options.maxQueued ?? 1000}`,
      'log_type error',
      ...(options.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
    // A broker that exits (a port taken between freePort() and its bind) fails at once with its
    // own words; one that is merely slow (a loaded machine) gets 15 s.
    await waitFor(`mosquitto on ${port}`, () => {
      if (started.exitCode !== null) throw new Error(`mosquitto exited with ${started.exitCode} before listening on ${port}: ${stderr.trim()}`);
      return canConnect(port);
    }, 15_000, 25);
  };
  const kill = async () => {
    const c = child;
    // A SIGKILLed child has exitCode null and signalCode set: stop() then restart() must not wait for an exit that already happened.
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((r) => {
      c.once('exit', () => r());
      c.kill('SIGKILL');
    });
  };
  await launch();
  return { port, url: `mqtt://127.0.0.1:${port}`, restart: async () => (await kill(), await launch()), stop: kill };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}
