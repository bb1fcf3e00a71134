// The reference server's side of the evaluator: tells each evaluator who serves at its window
// when it comes online. (The demo's HallDirector asks for the ratings, one per served ticket.)
import type { HallClient } from '../../protocol/hall-client.js';
import type { StaffCommand } from '../../protocol/evaluator.js';

export interface EvaluatorCasesOptions {
  /** Evaluator device → who serves there. */
  windows: Record<string, StaffCommand>;
  say: (line: string) => void;
}

export class EvaluatorCases {
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly client: HallClient,
    private readonly options: EvaluatorCasesOptions,
  ) {
    this.offs.push(
      client.onStatus(({ device, status }) => {
        const staff = options.windows[device];
        if (!staff || !status.online) return;
        void client
          .command(device, 'evaluator/staff', staff)
          .then((ack) => options.say(`${device}: staff ${staff.name} (${staff.number}) at ${staff.window}: ${ack.ok ? 'ok' : ack.error.message}`))
          .catch((err: unknown) => options.say(`${device}: staff not sent: ${(err as Error).message}`));
      }),
    );
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
