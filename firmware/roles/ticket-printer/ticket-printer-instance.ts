// The running ticket-printer role: its commands, self-tests and reconfiguration around one
// TicketKiosk. Loaded only when a device has the role (ticket-printer-role.ts is the manifest).
import { ticketPrinterContract, type TicketPrinterContract } from '../../../protocol/ticket-printer.js';
import { newId } from '../../../protocol/ids.js';
import { DeviceError } from '../../link/device-error.js';
import { roleCommands, type PartNames, type RoleContext, type RoleInstance } from '../role-module.js';
import type { TicketPrinterConfig } from './config.js';
import { TicketKiosk } from './ticket-kiosk.js';
import { issuedEvent } from './ticket-issuer.js';
import { TicketLedger, type LedgerTicket } from './ticket-ledger.js';
import { NumberVoider } from './number-voider.js';
import { buttonsTest } from './buttons-test.js';
import { identityLinkProblems } from './kiosk-identity.js';
import { idCardTest } from './id-card-test.js';

export async function startTicketPrinter(
  ctx: RoleContext<TicketPrinterContract>,
  initial: TicketPrinterConfig,
  sectionProblems: (config: TicketPrinterConfig, parts: PartNames) => string[],
): Promise<RoleInstance<TicketPrinterConfig, TicketPrinterContract>> {
  const linkProblems = identityLinkProblems(initial, ctx.linkEncrypted);
  if (linkProblems.length > 0) throw new Error(`roles.ticket-printer: ${linkProblems.join('; ')}`);
  const ledger = await TicketLedger.open(ctx.store);
  const paused = await ledger.paused();
  // Outlives reconfigures: a number waiting to be reported void must not be lost with a kiosk.
  const voids = new NumberVoider(ctx);
  let kiosk = await TicketKiosk.start(ctx, initial, ledger, paused, voids);

  const category = (id: string) => {
    const c = kiosk.config.categories.find((x) => x.id === id);
    if (!c) throw new DeviceError('NOT_FOUND', `no category "${id}" (have ${kiosk.config.categories.map((x) => x.id).join(', ')})`);
    return c;
  };

  return {
    busy: () => (kiosk.issuer.printing > 0 ? 'a ticket is printing' : undefined),
    commands: roleCommands(ticketPrinterContract, {
      print: {
        effect: 'hardware',
        timeoutMs: 15_000,
        run: async (data, cmd) => {
          let ticket: LedgerTicket;
          if (data.mode === 'reprint') {
            const last = await kiosk.issuer.lastPrinted();
            if (!last) throw new DeviceError('NOT_FOUND', 'this kiosk has printed no ticket to reprint');
            ticket = last;
          } else {
            const c = category(data.category);
            const day = await kiosk.issuer.refreshDay();
            ticket = {
              ticketId: newId('k'),
              takeId: cmd.id,
              day,
              number: data.number,
              category: c.id,
              priority: false,
              appointment: null,
              offline: false,
              reissue: true,
              waiting: data.waiting ?? null,
              window: data.window ?? c.window ?? null,
              qrUrl: data.qrUrl ?? null,
              issuedAt: ctx.clock.bestGuess(),
            };
          }
          const health = await kiosk.health.check();
          if (!health.ready) throw new DeviceError('HARDWARE', `printer not ready: ${health.detail}`, { faults: health.faults });
          if (ticket.reissue && data.mode === 'reissue') await ctx.link.emit('ticket.issued', issuedEvent(ticket), { statements: [ledger.insertStatement(ticket)] });
          const printed = await kiosk.issuer.reprint(ticket);
          if (!printed) throw new DeviceError('HARDWARE', `printer refused the ticket: ${kiosk.health.state.detail}`, { faults: kiosk.health.state.faults });
          return { number: ticket.number, mode: data.mode };
        },
      },
      pause: {
        effect: 'state',
        run: async (data, cmd) => {
          category(data.category);
          cmd.record(ledger.pauseStatement(data.category, data.reason ?? '', ctx.clock.bestGuess()));
          paused.set(data.category, data.reason ?? '');
          kiosk.changed();
          return { category: data.category, state: 'paused' };
        },
      },
      resume: {
        effect: 'state',
        run: async (data, cmd) => {
          category(data.category);
          cmd.record(ledger.resumeStatement(data.category));
          paused.delete(data.category);
          kiosk.changed();
          return { category: data.category, state: kiosk.issuer.categoryState(category(data.category)) };
        },
      },
      'test-print': {
        effect: 'hardware',
        timeoutMs: 15_000,
        run: async () => {
          const printer = await kiosk.health.open();
          await printer.testPrint().catch((err: unknown) => {
            throw new DeviceError('HARDWARE', (err as Error).message);
          });
          return { printed: true };
        },
      },
    }),
    selfTests: {
      printer: async () => {
        const h = await kiosk.health.check();
        return { name: 'printer', ok: h.ready, detail: h.detail, data: { faults: h.faults, reachable: h.reachable }, covers: [`printer:${kiosk.config.printer}`] };
      },
      kiosk: async () => ({
        name: 'kiosk',
        ok: !kiosk.config.kiosk.enabled || kiosk.url !== null,
        detail: kiosk.url ?? (kiosk.config.kiosk.enabled ? `page not served: ${kiosk.pageError ?? 'unknown'}` : 'page disabled'),
      }),
    },
    manualSelfTests: {
      buttons: (testCtx) => buttonsTest(kiosk, testCtx),
      'id-card': (testCtx) => idCardTest(kiosk, ctx.hal, testCtx),
      'test-print': async () => {
        try {
          await (await kiosk.health.open()).testPrint();
          return { name: 'test-print', ok: true, detail: 'self-test ticket printed' };
        } catch (err) {
          return { name: 'test-print', ok: false, detail: (err as Error).message };
        }
      },
    },
    async checkConfig(next) {
      return [...sectionProblems(next, ctx.hal.describe()), ...identityLinkProblems(next, ctx.linkEncrypted)];
    },
    async reconfigure(next) {
      await kiosk.stop();
      try {
        kiosk = await TicketKiosk.start(ctx, next, ledger, paused, voids);
      } catch (err) {
        // Keep a working kiosk: the runtime puts the previous config back through reconfigure.
        ctx.log.error({ err: (err as Error).message }, 'new ticket-printer config failed to start');
        throw err;
      }
    },
    async stop() {
      await kiosk.stop();
      voids.stop();
    },
  };
}
