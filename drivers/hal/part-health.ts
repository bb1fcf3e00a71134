// What a part says about itself for the self-test: can it be used right now, and if not, why.
// Every driver part implements health() (synchronous, from what it already knows) or
// check() (asynchronous, doing a real transfer); the assembly turns them into SelfTestResults.

export interface PartHealth {
  ok: boolean;
  detail?: string;
  data?: Record<string, unknown>;
}

/** A part that can test itself with real I/O (an I2C read, a tool's --version). Never rejects for a missing part: ok false says why. */
export interface SelfChecking {
  check(): Promise<PartHealth>;
}
