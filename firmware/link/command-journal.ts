// What the command journal keeps (docs/protocol.md "Limits"): answers, not echoed data. An ack's
// `data` is kept only while the ack is small (a ping echoes whatever it was sent, and 60 x
// 1 MB pings once grew the database by 175 MB); a larger one is kept as `{ok, dataOmitted}`,
// so a repeated id still answers `dup:true` with the outcome, without the data. The journal
// is pruned by age and count; the in-memory copy of recent answers is bounded in bytes.

export interface JournalLimits {
  /** A final ack longer than this (UTF-16 code units of its JSON) is stored without its data. */
  ackMaxBytes: number;
  /** Finished rows older than this are pruned (start, then every PRUNE_EVERY journaled answers). */
  maxAgeMs: number;
  /** At most this many finished rows are kept (the newest). */
  maxRows: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { ackMaxBytes: 4096, maxAgeMs: 86_400_000, maxRows: 50_000 };
/** Prune once per this many journaled answers: cheap (indexed deletes), and bounds growth between prunes. */
export const PRUNE_EVERY = 100;
const RECENT_MAX_ENTRIES = 2_000;
const RECENT_MAX_BYTES = 256 * 1024;

/** The ack as the journal keeps it: unchanged when small, else without `data` (or with a cut message). */
export function storedAck(ackJson: string, maxBytes: number): string {
  if (ackJson.length <= maxBytes) return ackJson;
  const ack = JSON.parse(ackJson) as Record<string, unknown>;
  const { data: _data, ...rest } = ack;
  if (ack['ok'] === true) return JSON.stringify({ ...rest, dataOmitted: true });
  const error = ack['error'] as { code: string; message: string } | undefined;
  const kept = { ...rest, ...(error ? { error: { code: error.code, message: error.message.slice(0, Math.max(64, maxBytes - 256)) } } : {}) };
  return JSON.stringify(kept);
}

/** Recent answers by id, so duplicates of fast commands need no disk read; bounded in count and bytes. */
export class RecentAcks {
  private readonly byId = new Map<string, string>();
  private bytes = 0;

  get(id: string): string | undefined {
    return this.byId.get(id);
  }

  set(id: string, ackJson: string): void {
    const old = this.byId.get(id);
    if (old !== undefined) {
      this.byId.delete(id);
      this.bytes -= old.length;
    }
    this.byId.set(id, ackJson);
    this.bytes += ackJson.length;
    while (this.byId.size > RECENT_MAX_ENTRIES || this.bytes > RECENT_MAX_BYTES) {
      const oldest = this.byId.entries().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest[0]);
      this.bytes -= oldest[1].length;
    }
  }

  get size(): number {
    return this.byId.size;
  }

  /** UTF-16 code units held (what the strings cost in memory, give or take V8's headers). */
  get heldBytes(): number {
    return this.bytes;
  }
}
