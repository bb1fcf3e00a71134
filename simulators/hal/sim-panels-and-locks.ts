// The sim board's lock boards and LED panels. Each serial part that io.lockBoards names gets a
// byte-level VirtualLockBus of that protocol (with the configured polarity and byte order)
// carrying one VirtualLockBoard per configured board, so hal.lockBoard() runs the real driver
// over the virtual port. Each io.matrices entry gets a VirtualPanel that hal.matrix() hands out.
// The simulators load only when the config has such a part.
import type { LockBoardSpec, MatrixSpec, ResolvedIo } from '../../drivers/hal/part-specs.js';
import { notConfigured } from '../../drivers/hal/not-configured.js';
import type { VirtualSerialBus } from '../serial/virtual-serial-bus.js';
import type { VirtualLockBus } from '../lock-board/virtual-lock-bus.js';
import type { VirtualLockBoard } from '../lock-board/virtual-lock-board.js';
import type { VirtualPanel } from '../matrix/virtual-panel.js';

export interface SimLockBoards {
  board(name: string): VirtualLockBoard;
  bus(name: string): VirtualLockBus;
}

export async function attachVirtualLockBoards(io: ResolvedIo, serialBus: VirtualSerialBus): Promise<SimLockBoards> {
  const boards = new Map<string, { spec: LockBoardSpec; bus: VirtualLockBus; board: VirtualLockBoard }>();
  if (io.lockBoards.length > 0) {
    const [{ VirtualLockBus }, { SIM_LOCK_BOARD_FAMILIES }] = await Promise.all([import('../lock-board/virtual-lock-bus.js'), import('../lock-board/families.js')]);
    const buses = new Map<string, VirtualLockBus>();
    for (const spec of io.lockBoards) {
      const path = io.serial.find((s) => s.name === spec.serial)?.path;
      if (path === undefined) continue; // resolveIo rejects a board on a missing part
      let bus = buses.get(spec.serial);
      if (!bus) {
        // resolveIo allows one protocol, polarity aside, per line: the first board's settings speak for it.
        bus = new VirtualLockBus(SIM_LOCK_BOARD_FAMILIES[spec.protocol].protocol({ polarity: spec.statusPolarity, statusByteOrder: spec.statusByteOrder }));
        buses.set(spec.serial, bus);
        serialBus.attach(path, bus);
      }
      boards.set(spec.name, { spec, bus, board: bus.addBoard({ address: spec.address, locks: spec.locks, infrared: SIM_LOCK_BOARD_FAMILIES[spec.protocol].infrared }) });
    }
  }
  const find = (name: string) => {
    const found = boards.get(name);
    if (!found) throw notConfigured('lockBoards', name, boards.keys());
    return found;
  };
  return { board: (name) => find(name).board, bus: (name) => find(name).bus };
}

export interface SimPanels {
  open(spec: MatrixSpec): Promise<VirtualPanel>;
  panel(name: string): VirtualPanel;
}

export async function virtualPanels(io: ResolvedIo): Promise<SimPanels> {
  const panels = new Map<string, VirtualPanel>();
  if (io.matrices.length > 0) {
    const { VirtualPanel } = await import('../matrix/virtual-panel.js');
    for (const spec of io.matrices) panels.set(spec.name, new VirtualPanel({ name: spec.name, width: spec.width, height: spec.height, brightness: spec.brightness }));
  }
  const panel = (name: string): VirtualPanel => {
    const found = panels.get(name);
    if (!found) throw notConfigured('matrices', name, panels.keys());
    return found;
  };
  return { panel, open: async (spec) => panel(spec.name) };
}
