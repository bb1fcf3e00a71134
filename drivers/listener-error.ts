// Where a role's listener exception goes (a DigitalInput's onChange, a Scanner's onScan) when the
// runtime gives no logger: a process warning (printed once per occurrence), never an
// uncaught exception that ends the device. Shared by the drivers and the assembly.
export function warnListenerError(part: string, err: unknown): void {
  process.emitWarning(`a listener of ${part} threw: ${err instanceof Error ? err.message : String(err)}`, { code: 'HALLD_LISTENER_ERROR' });
}
