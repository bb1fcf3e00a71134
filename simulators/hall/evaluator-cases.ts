// The reference server's side of the evaluator: tells each evaluator who serves at its window
// when it comes online, and after each simulated case (a ticket the kiosk issued, served at a
// window) asks that window's evaluator for a rating; logs what comes back.
import type { HallClient } from '../../protocol/hall-client.js';
import type { StaffCommand } from '../../protocol/evaluator.js';

export interface EvaluatorCasesOptions {
  /** Evaluator device → who serves there. */
  windows: Record<string, StaffCommand>;
  /** Content version the server asks ratings for. */
  contentVersion: string;
  /** The case is finished this long after its ticket was issued. */
  caseMs: number;
  say: (line: string) => void;
}

export class EvaluatorCases {
  private next = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly client: HallClient,
    private readonly o: EvaluatorCasesOptions,
  ) {
    this.offs.push(
      client.onStatus(({ device, status }) => {
        const staff = o.windows[device];
        if (!staff || !status.online) return;
        void client
          .command(device, 'evaluator/staff', staff)
          .then((ack) => o.say(`${device}: staff ${staff.name} (${staff.number}) at ${staff.window}: ${ack.ok ? 'ok' : ack.error.message}`))
          .catch((err: unknown) => o.say(`${device}: staff not sent: ${(err as Error).message}`));
      }),
      client.onEventOf('ticket-printer', 'ticket.issued', (data) => this.caseFor(data.number, data.category)),
      client.onEventOf('evaluator', 'rating.submitted', (data, e) =>
        o.say(`${e.device}: rating for ${data.caseId} (${data.ticket ?? '-'}): ${data.level} ${data.levelName}${data.items.length ? ` [${data.items.join(', ')}]` : ''}${data.offline ? ' (given offline)' : ''}`),
      ),
      client.onEventOf('evaluator', 'rating.expired', (data, e) => o.say(`${e.device}: no rating for ${data.caseId} (expired)`)),
    );
  }

  /** A ticket's case is finished at the next window in turn: ask its evaluator. */
  private caseFor(ticket: string, category: string): void {
    const devices = Object.keys(this.o.windows);
    const device = devices[this.next++ % devices.length];
    if (device === undefined) return;
    const staff = this.o.windows[device] as StaffCommand;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const caseId = `case-${ticket}-${Date.now().toString(36)}`;
      void this.client
        .command(device, 'evaluator/request', { caseId, matterCode: category, matterName: staff.matters[0] ?? category, ticket, staffId: staff.number, window: staff.window, contentVersion: this.o.contentVersion })
        .then((ack) => this.o.say(`${device}: case ${caseId} for ${ticket} finished, rating requested: ${ack.ok ? 'ok' : ack.error.message}`))
        .catch((err: unknown) => this.o.say(`${device}: rating request failed: ${(err as Error).message}`));
    }, this.o.caseMs);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const off of this.offs.splice(0)) off();
  }
}
