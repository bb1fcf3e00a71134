// Why an update stopped before the switch, with the phase it was in: the `update.failed`
// event's data, and the command's answer when it is refused at once.
import { storageFault } from '../store/storage-fault.js';

export type UpdatePhase = 'accept' | 'download' | 'verify' | 'unpack' | 'self-test' | 'switch';

export class UpdateFailure extends Error {
  constructor(
    readonly phase: UpdatePhase,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpdateFailure';
  }

  /** A write that failed: a full disk says so in words (and NO_SPACE), anything else as it is. */
  static fromWrite(err: unknown): UpdateFailure {
    const fault = storageFault(err);
    if (fault?.reason === 'storage full') return new UpdateFailure('download', 'NO_SPACE', `the disk is full: ${(err as Error).message}`, { cause: err });
    return new UpdateFailure('download', fault ? fault.code : 'IO', (err as Error).message, { cause: err });
  }
}
