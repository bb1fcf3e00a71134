// Real hardware in a contract run: an environment variable names the part (a port, a chip
// line, a bus address); without it the hardware cases skip and say how to run them, the way
// serialport's own contract tests do.

export interface HardwarePart {
  /** The variable's value, when set. */
  readonly value?: string;
  /** Set when the variable is not: tap's skip reason. */
  readonly skip?: string;
}

/** Reads `variable`; `howTo` tells a person what to wire and what to set. */
export function hardwarePart(variable: string, howTo: string): HardwarePart {
  const value = process.env[variable];
  if (value !== undefined && value !== '') return { value };
  return { skip: `${variable} is not set: ${howTo}` };
}

/** tap options for a case: skipped with the part's reason, or run. */
export function runIf(part: { skip?: string }): { skip?: string } {
  return part.skip === undefined ? {} : { skip: part.skip };
}
