// The architectures a release is built for, under each name the pieces use: Node's
// `process.arch` (the release's name), `uname -m` (the install script), and the ELF header's
// e_machine (what the builder and the tests check a binary against, rather than trusting
// a file name). Source for e_machine values: the System V ABI's ELF header, as in
// glibc's elf.h (EM_X86_64 = 62, EM_AARCH64 = 183).
import { open } from 'node:fs/promises';

export const RELEASE_ARCHES = ['arm64', 'x64'] as const;
export type ReleaseArch = (typeof RELEASE_ARCHES)[number];

export interface ArchNames {
  /** `uname -m` on a board of this architecture. */
  readonly uname: string;
  readonly elfMachine: number;
  /** GNU toolchain prefix for cross-building native modules ('' = the host's own compiler). */
  readonly crossPrefix: string;
}

export const ARCH_NAMES: Record<ReleaseArch, ArchNames> = {
  arm64: { uname: 'aarch64', elfMachine: 183, crossPrefix: 'aarch64-linux-gnu-' },
  x64: { uname: 'x86_64', elfMachine: 62, crossPrefix: '' },
};

export function isReleaseArch(value: string): value is ReleaseArch {
  return (RELEASE_ARCHES as readonly string[]).includes(value);
}

export interface ElfHeader {
  /** 1 = 32-bit, 2 = 64-bit. */
  readonly elfClass: number;
  readonly machine: number;
}

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** The ELF class and machine of a file, or undefined when it is not an ELF file. */
export async function readElfHeader(file: string): Promise<ElfHeader | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(20);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.subarray(0, 4).equals(ELF_MAGIC)) return undefined;
    // e_ident[EI_DATA] (byte 5): 1 little-endian, 2 big-endian; e_machine is the half-word at 18.
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    return { elfClass: head[4] ?? 0, machine };
  } finally {
    await handle.close();
  }
}

/** Which release architecture an ELF machine number is, if one of ours. */
export function archOfElf(header: ElfHeader): ReleaseArch | undefined {
  if (header.elfClass !== 2) return undefined;
  return RELEASE_ARCHES.find((a) => ARCH_NAMES[a].elfMachine === header.machine);
}
