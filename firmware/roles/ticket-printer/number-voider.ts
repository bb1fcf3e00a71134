// Numbers the server allocated for takes the kiosk could not record (a full or failing disk:
// the ticket.issued commit was refused, so nothing printed). The kiosk reports each as
// `ticket.voided` once its store can write again, so the server voids the number instead of
// calling a ticket nobody holds. Held in memory: the disk is what failed. Should the kiosk
// restart before the disk recovers, the rule in docs/trust.md applies instead: a number
// whose takeId never gets a ticket.issued is void.
import type { TicketVoided } from '../../../protocol/ticket-printer.js';
import type { RoleContext } from '../role-module.js';

export class NumberVoider {
  private readonly pending = new Map<string, TicketVoided>();
  private flushing: Promise<void> = Promise.resolve();
  private readonly off: () => void;

  constructor(private readonly ctx: RoleContext) {
    this.off = ctx.store.onHealthChange((health) => {
      if (health.ok) void this.flush();
    });
  }

  /** Remembers an allocated number that will never be printed and tries to report it now. */
  add(voided: TicketVoided): void {
    this.pending.set(voided.takeId, voided);
    this.ctx.log.warn({ ...voided }, 'server number not recorded; will report it void');
    void this.flush();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Reports what is pending, one at a time; stops at the first failure (the disk still refuses). */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      for (const [takeId, voided] of [...this.pending]) {
        try {
          await this.ctx.link.emit('ticket.voided', voided);
        } catch {
          return;
        }
        this.pending.delete(takeId);
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.off();
  }
}
