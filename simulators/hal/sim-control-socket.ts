// The sim board's buttons for a test outside the device's process: `halld run` on the sim
// board with HALLD_SIM_CONTROL=1 in its environment (testkit/device-process.ts sets it)
// listens on `halld-sim.sock` in its data dir (0600), and a test presses and releases
// inputs through it, as a person would press the real buttons of a board the CLI talks to.
// One JSON line each way: {"op":"press"|"release","input":"btn-a"} → {"ok":true} or
// {"ok":false,"error":"…"}. Inputs, and the simulated ID-card readers: a citizen laying a card
// on one ({"op":"place-card","reader":"desk","card":{…fields}}) and taking it off
// ({"op":"remove-card","reader":"desk"}), a technician's broken SAM ({"op":"sam-fault",
// "reader":"desk","sw3":96} or "sw3":null to mend it), and a code held up to a scanner
// ({"op":"scan","scanner":"scan","code":"…"}, answered once its bytes are on the port). Everything else of a child device's sim
// board a test can already reach (a network printer served from the test, the broker).
import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { listenPrivate } from '../../drivers/os/private-socket.js';
import type { SimControls } from './sim-board-controls.js';
import type { SimCardFields } from '../id-card-reader/sim-card.js';

export const SIM_SOCKET_FILE = 'halld-sim.sock';

export type SimControlRequest =
  | { op: 'press' | 'release'; input: string }
  | { op: 'place-card'; reader: string; card?: Partial<SimCardFields> }
  | { op: 'remove-card'; reader: string }
  | { op: 'scan'; scanner: string; code: string }
  /** sw3 null: the SAM works again. A fault set here survives the driver's reset. */
  | { op: 'sam-fault'; reader: string; sw3: number | null };

export interface SimControlSocket {
  readonly path: string;
  close(): Promise<void>;
}

export function simSocketPath(dataDir: string): string {
  return join(dataDir, SIM_SOCKET_FILE);
}

type Answer = { ok: true } | { ok: false; error: string };

async function perform(line: string, controls: SimControls | undefined): Promise<Answer> {
  if (!controls) return { ok: false, error: 'the device is restarting; no sim board right now' };
  try {
    const r = JSON.parse(line) as Record<string, unknown>;
    switch (r['op']) {
      case 'press':
      case 'release': {
        const input = r['input'];
        if (typeof input !== 'string') return { ok: false, error: '"input" must be the name of an io input' };
        if (r['op'] === 'press') controls.press(input);
        else controls.release(input);
        return { ok: true };
      }
      case 'scan': {
        const { scanner, code } = r;
        if (typeof scanner !== 'string' || typeof code !== 'string') return { ok: false, error: '"scanner" must name an io.scanners part and "code" be a string' };
        await controls.scan(scanner, code);
        return { ok: true };
      }
      case 'place-card':
      case 'remove-card':
      case 'sam-fault':
        return performOnReader(r, controls);
      default:
        return { ok: false, error: `unknown op ${JSON.stringify(r['op'])}; one of press, release, scan, place-card, remove-card, sam-fault` };
    }
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function performOnReader(r: Record<string, unknown>, controls: SimControls): Answer {
  const name = r['reader'];
  if (typeof name !== 'string') return { ok: false, error: '"reader" must be the name of an io.idCardReaders part' };
  const reader = controls.idCardReader(name);
  if (r['op'] === 'place-card') {
    const card = r['card'];
    reader.placeCard(typeof card === 'object' && card !== null ? (card as Partial<SimCardFields>) : {});
  } else if (r['op'] === 'remove-card') reader.removeCard();
  else {
    const sw3 = r['sw3'];
    if (sw3 === null) delete reader.faults.samFault;
    else if (typeof sw3 === 'number' && Number.isInteger(sw3) && sw3 >= 0 && sw3 <= 0xff) {
      reader.faults.samFault = sw3;
      reader.faults.resetClearsSamFault = false;
    } else return { ok: false, error: '"sw3" must be a byte (the SW3 every command is answered with) or null' };
  }
  return { ok: true };
}

/** Serves the controls of whichever sim board is current (the device may restart in-process). */
export async function startSimControlSocket(dataDir: string, controls: () => SimControls | undefined): Promise<SimControlSocket> {
  const path = simSocketPath(dataDir);
  const server: Server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        void perform(line, controls()).then((answer) => socket.write(`${JSON.stringify(answer)}\n`));
      }
    });
  });
  return listenPrivate(server, path);
}

/** The test's side: one request on its own connection; rejects with the device's error. */
export function simControl(dataDir: string, request: SimControlRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(simSocketPath(dataDir));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\n')) return;
      socket.end();
      const answer = JSON.parse(text) as { ok: boolean; error?: string };
      if (answer.ok) resolve();
      else reject(new Error(`sim ${request.op} ${'input' in request ? request.input : 'scanner' in request ? request.scanner : request.reader}: ${answer.error ?? 'refused'}`));
    });
    socket.on('error', reject);
  });
}
