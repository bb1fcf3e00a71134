// MCP23017 register map and pin names. Microchip DS20001952C, "MCP23017/MCP23S17 16-Bit I/O
// Expander with Serial Interface": §3.5 Table 3-1 (addresses with IOCON.BANK = 0, the
// power-on default, where each A register is followed by its B twin) and §3.5.6 (IOCON).
// Shared by the driver and the register-level simulator so both speak one map.

/** IOCON.BANK = 0 addresses: port A at the even address, port B at the next one. */
export const REG = {
  IODIRA: 0x00, // 1 = input (power-on 0xFF)
  IPOLA: 0x02, // 1 = GPIO reads the inverted pin
  GPINTENA: 0x04, // 1 = interrupt on change
  DEFVALA: 0x06, // compare value when INTCON = 1
  INTCONA: 0x08, // 1 = compare with DEFVAL, 0 = with the previous pin value
  IOCON: 0x0a, // also at 0x0b; one register for both ports
  GPPUA: 0x0c, // 1 = 100 kΩ pull-up
  INTFA: 0x0e, // read only: which pin caused the interrupt
  INTCAPA: 0x10, // read only: the port when the interrupt fired; reading it clears the interrupt
  GPIOA: 0x12, // reads the pins; a write goes to OLAT
  OLATA: 0x14, // the output latch
} as const;

/** Registers in BANK = 0 (0x00-0x15); sequential addressing wraps after the last. */
export const REGISTER_COUNT = 0x16;

/** IOCON bits (§3.5.6). */
export const IOCON = {
  BANK: 0x80,
  MIRROR: 0x40, // INTA and INTB both report either port
  SEQOP: 0x20, // 1 = the address pointer does not increment
  DISSLW: 0x10,
  HAEN: 0x08, // MCP23S17 only
  ODR: 0x04, // INT pins open-drain
  INTPOL: 0x02, // INT active-high (when ODR = 0)
} as const;

/** The 7-bit addresses A2..A0 select (§3.3.1). */
export const MCP23017_FIRST_ADDRESS = 0x20;
export const MCP23017_LAST_ADDRESS = 0x27;

export const PIN_COUNT = 16;
const PIN_RE = /^([AaBb])([0-7])$/;

/** "A0".."A7" are 0..7, "B0".."B7" 8..15; undefined for anything else. */
export function pinIndex(name: string): number | undefined {
  const m = PIN_RE.exec(name.trim());
  if (!m) return undefined;
  return (m[1]?.toUpperCase() === 'A' ? 0 : 8) + Number(m[2]);
}

export function pinName(index: number): string {
  return `${index < 8 ? 'A' : 'B'}${index % 8}`;
}

/** Splits a 16-bit pin mask into the [port A, port B] bytes a block transfer writes. */
export function portBytes(mask: number): [number, number] {
  return [mask & 0xff, (mask >> 8) & 0xff];
}
