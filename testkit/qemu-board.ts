// An emulated board: qemu-system-aarch64's `virt` machine (Cortex-A72, as a Pi 4) booting a
// stand-in SD card image (testkit/board-image.ts) with the kernel of its root. Its serial line
// is this process's pipe: what the board prints is kept, and lines can be typed at its root
// console. Its network is slirp with restrict=on: the guest reaches nothing — no registry, no
// mirror, no DNS — but the one forward to this machine's broker, so whatever it installs, it
// installs offline.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/** The broker's address as the board sees it (the forward to this machine). */
export const BROKER_IN_GUEST = '10.0.2.100';

export interface BoardOptions {
  readonly image: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly append: string;
  readonly brokerPort: number;
  readonly memoryMib?: number;
  /** The serial console is also appended here, for a person following a slow boot (tail -f). */
  readonly consoleLog?: string;
}

export interface QemuBoard {
  readonly output: () => string;
  /** qemu has exited (the guest powered off or rebooted, or qemu failed to start). */
  readonly stopped: () => boolean;
  /** Resolves with the match once the serial output (from `from` on) matches. */
  waitFor(pattern: RegExp, timeoutMs: number, from?: number): Promise<RegExpExecArray>;
  /** Types a command at the root console and resolves with what it printed and its exit status. */
  run(command: string, timeoutMs: number): Promise<{ output: string; status: number }>;
  /** Resolves when qemu has exited (the guest powered off or rebooted: -no-reboot). */
  readonly exited: Promise<number | null>;
  kill(): Promise<void>;
}

export function bootBoard(o: BoardOptions): QemuBoard {
  const args = [
    '-M', 'virt', '-cpu', 'cortex-a72', '-smp', '2', '-m', String(o.memoryMib ?? 1024),
    '-kernel', o.kernel, '-initrd', o.initrd, '-append', o.append,
    '-drive', `file=${o.image},format=raw,if=virtio`,
    // One command per guest connection, so reconnects work (a tcp: chardev carries only one).
    '-netdev', `user,id=n0,restrict=on,guestfwd=tcp:${BROKER_IN_GUEST}:1883-cmd:socat STDIO TCP:127.0.0.1:${o.brokerPort}`,
    // No option ROM: the kernel is loaded directly, nothing boots from the network card.
    '-device', 'virtio-net-pci,netdev=n0,romfile=',
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
  ];
  const child: ChildProcess = spawn('qemu-system-aarch64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    const text = d.toString('utf8');
    out += text;
    if (o.consoleLog) appendFileSync(o.consoleLog, text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let commands = 0;
  const waitFor = async (pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(out.slice(from));
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`the board stopped (qemu exit ${child.exitCode}) before ${pattern}; last output:\n${out.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on the serial console; last output:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return {
    output: () => out,
    stopped: () => child.exitCode !== null || child.signalCode !== null,
    waitFor,
    exited,
    async run(command, timeoutMs) {
      commands += 1;
      const tag = `HALLD${commands}`;
      const from = out.length;
      // The markers are printed in two halves, so the console's echo of the typed line never matches.
      child.stdin?.write(`printf '%s\\n' "${tag}""-BEGIN"; ${command}; printf '%s %s\\n' "${tag}""-END" "$?"\n`);
      const m = await waitFor(new RegExp(`${tag}-BEGIN\\r?\\n([\\s\\S]*?)${tag}-END (\\d+)`), timeoutMs, from);
      return { output: (m[1] ?? '').replace(/\r/g, ''), status: Number(m[2]) };
    },
    async kill() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
