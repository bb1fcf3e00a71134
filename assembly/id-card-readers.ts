// The Hal's ID-card readers (io.idCardReaders): each opened on first use over its io.serial part
// (the Hal's own, so a replugged USB reader is reopened like any other port), the driver
// (drivers/id-card-reader) imported then; one reader per name afterwards. The self-test row
// `id-card-reader:<name>` passes when the SAM answers its status command with 0x90.
import type { Clock, IdCardReader, SelfTestResult, SerialLink } from '../drivers/hal/types.js';
import type { IdCardReaderSpec } from '../drivers/hal/part-specs.js';
import type { Timers } from '../drivers/clock/timers.js';
import { notConfigured } from '../drivers/hal/not-configured.js';

export interface IdCardReadersOptions {
  specs: readonly IdCardReaderSpec[];
  openLink(serial: string): Promise<SerialLink>;
  clock: Clock;
  timers?: Timers;
  onListenerError?: (part: string, err: unknown) => void;
}

export class IdCardReaders {
  private readonly specs: Map<string, IdCardReaderSpec>;
  private readonly readers = new Map<string, Promise<IdCardReader>>();

  constructor(private readonly options: IdCardReadersOptions) {
    this.specs = new Map(options.specs.map((s) => [s.name, s]));
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  /** Resolves even while the port is missing: the reader keeps trying and its health says why. */
  open(name: string): Promise<IdCardReader> {
    const spec = this.specs.get(name);
    if (!spec) return Promise.reject(notConfigured('idCardReaders', name, this.specs.keys()));
    let reader = this.readers.get(name);
    if (!reader) {
      reader = (async () => {
        const { SerialIdCardReader } = await import('../drivers/id-card-reader/serial-id-card-reader.js');
        return SerialIdCardReader.open({
          name,
          openLink: () => this.options.openLink(spec.serial),
          clock: this.options.clock,
          pollMs: spec.pollMs,
          replyTimeoutMs: spec.replyTimeoutMs,
          readAttempts: spec.readAttempts,
          ...(this.options.timers ? { timers: this.options.timers } : {}),
          ...(this.options.onListenerError ? { onListenerError: this.options.onListenerError } : {}),
        });
      })();
      this.readers.set(name, reader);
    }
    return reader;
  }

  /** One row per reader: the SAM's answer to its status command. */
  selfTest(): Promise<SelfTestResult[]> {
    return Promise.all(
      [...this.specs.values()].map(async (spec): Promise<SelfTestResult> => {
        const name = `id-card-reader:${spec.name}`;
        const data: Record<string, unknown> = { serial: spec.serial };
        try {
          const status = await (await this.open(spec.name)).samStatus();
          if (!status.ok) return { name, ok: false, detail: `${status.code}: ${status.message}`, data };
          const sw3 = `0x${status.value.sw3.toString(16).padStart(2, '0')}`;
          return { name, ok: status.value.ready, detail: `SAM status ${sw3}: ${status.value.meaning}`, data: { ...data, sw3 } };
        } catch (err) {
          return { name, ok: false, detail: (err as Error).message, data };
        }
      }),
    );
  }

  async close(): Promise<void> {
    const readers = await Promise.all([...this.readers.values()].map((p) => p.catch(() => undefined)));
    await Promise.all(readers.map((r) => (r ? r.close().catch(() => undefined) : Promise.resolve())));
  }
}
