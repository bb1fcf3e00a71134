// `halld boards`: the board definitions this install knows, with their parts, so an installer
// can pick `board` for a config and see which GPIO lines, serial ports and I2C buses it has.
import type { Command } from 'commander';
import { listBoards, loadBoard, type BoardDefinition } from '../../boards/index.js';
import { EXIT_OK } from '../exit-codes.js';
import type { Output } from './cli-output.js';

function parts(b: BoardDefinition): string[] {
  const lines = [`  gpio      ${b.gpio.backend} backend (allowed: ${b.gpio.allowedBackends.join(', ')}), lines ${b.gpio.lines.first}-${b.gpio.lines.last}`];
  const reserved = Object.entries(b.gpio.reservedLines ?? {});
  if (reserved.length > 0) lines.push(`            reserved: ${reserved.map(([line, why]) => `${line} (${why.split(',')[0] ?? why})`).join('; ')}`);
  const ports = Object.entries(b.serial.ports);
  if (ports.length === 0) lines.push(`  serial    ${b.serial.default ? `default ${b.serial.default}; ` : ''}no header UART (USB adapters by path)`);
  for (const [path, p] of ports) {
    const pins = p.tx !== undefined || p.rx !== undefined ? ` (TX ${p.tx ?? '-'}, RX ${p.rx ?? '-'})` : '';
    lines.push(`  serial    ${path}${path === b.serial.default ? ' [default]' : ''}${pins}${p.description ? `: ${p.description}` : ''}`);
  }
  const buses = Object.entries(b.i2c.buses);
  lines.push(`  i2c       ${buses.length > 0 ? buses.map(([n, bus]) => `bus ${n} (SDA ${String(bus.sda)}, SCL ${String(bus.scl)})`).join(', ') : 'none'}`);
  if (b.firmata) lines.push(`  firmata   StandardFirmata on ${b.firmata.path} at ${b.firmata.baudRate} baud`);
  if (b.header) lines.push(`  header    ${Object.keys(b.header).length} pins (config may name a line by header pin, e.g. P1-11)`);
  return lines;
}

export function addBoardsCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('boards')
    .description('list the board definitions (the config\'s "board") with their parts')
    .option('--json', 'print the definitions as JSON')
    .option('--dir <dir>', 'folder of board files (default: this install\'s boards/, or HALLD_BOARDS_DIR)')
    .action(async (opts: { json?: boolean; dir?: string }) => {
      const options = opts.dir !== undefined ? { dir: opts.dir } : {};
      const boards = await Promise.all((await listBoards(options)).map((s) => loadBoard(s.id, options)));
      if (opts.json) io.out(`${JSON.stringify(boards, null, 2)}\n`);
      else io.out(boards.map((b) => [`${b.id}  ${b.name}`, `  ${b.description ?? ''}`.trimEnd(), ...parts(b)].filter((l) => l.trim() !== '').join('\n')).join('\n\n') + '\n');
      setExit(EXIT_OK);
    });
}
