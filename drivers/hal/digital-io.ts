// Digital lines as a role sees them: by name, logical levels, debounce and active-low
// wiring handled below the interface.

/**
 * A debounced digital input (button, door sensor, keypad key) addressed by name.
 * Rules for every implementation:
 * - isActive() and onChange() speak logical levels: active-low wiring is inverted below.
 * - A level counts only after it has held for the part's debounce time; a contact bouncing
 *   inside that window gives at most one transition.
 * - onChange fires once per transition and never twice for the same level in a row.
 * - A listener that throws does not stop delivery to the others nor end the process; the
 *   exception goes to the HAL's listener-error handler.
 * - After close() no listener is called again; close() is idempotent.
 */
export interface DigitalInput {
  readonly name: string;
  /** Logical level after debounce and active-low inversion: true = active (pressed, door open). */
  isActive(): boolean;
  /**
   * Called once per debounced transition, never twice for the same level in a row.
   * `atMs` is the clock's monotonic time of the edge that started the transition.
   * Returns a function that removes the listener.
   */
  onChange(listener: (active: boolean, atMs: number) => void): () => void;
  close(): Promise<void>;
}

/**
 * A digital output (LED, relay, buzzer) addressed by name.
 * Rules for every implementation:
 * - The line is driven to the configured initial level when the part opens.
 * - write() resolves once the level is on the line; writes take effect in the order they were
 *   called; isActive() reports the level last written successfully.
 * - A part that could not be opened rejects every write() with a HalError (UNAVAILABLE or IO)
 *   and never throws synchronously.
 * - write() after close() rejects with HalError CLOSED.
 */
export interface DigitalOutput {
  readonly name: string;
  /** Drives the logical level; active-low wiring is handled below this interface. */
  write(active: boolean): Promise<void>;
  /** The level last written. */
  isActive(): boolean;
  close(): Promise<void>;
}
