// The ticket-printer role (取号机): docs/protocol.md's req `ticket.take`, cmds `print`, `pause`,
// `resume`, evts `ticket.issued`, `ticket.unprinted`, `ticket.voided`, `printer.fault`, `printer.ok`.
// The manifest is all a device without the role loads; the implementation is imported on start.
import { ticketPrinterContract } from '../../../protocol/ticket-printer.js';
import { defineRole, type PartNames } from '../role-module.js';
import { configProblems, TicketPrinterConfigSchema, type TicketPrinterConfig } from './config.js';
import { LEDGER_MIGRATIONS } from './ticket-ledger.js';

/** Problems with the HAL parts a config names (the schema cannot know the board). */
function partProblems(parts: PartNames, config: TicketPrinterConfig): string[] {
  const problems: string[] = [];
  if (!parts.printers.includes(config.printer)) problems.push(`/printer: no printer "${config.printer}" in io.printers (have ${parts.printers.join(', ') || 'none'})`);
  if (config.scanner && !parts.scanners.includes(config.scanner)) problems.push(`/scanner: no scanner "${config.scanner}" in io.scanners (have ${parts.scanners.join(', ') || 'none'})`);
  if (config.idCardReader && !(parts.idCardReaders ?? []).includes(config.idCardReader))
    problems.push(`/idCardReader: no reader "${config.idCardReader}" in io.idCardReaders (have ${(parts.idCardReaders ?? []).join(', ') || 'none'})`);
  for (const [i, b] of config.buttons.entries())
    if (!parts.inputs.includes(b.input)) problems.push(`/buttons/${i}/input: no input "${b.input}" in io.inputs (have ${parts.inputs.join(', ') || 'none'})`);
  return problems;
}

function sectionProblems(config: TicketPrinterConfig, parts: PartNames): string[] {
  return [...configProblems(config), ...partProblems(parts, config)];
}

export const ticketPrinterRole = defineRole({
  role: 'ticket-printer',
  contract: ticketPrinterContract,
  configSchema: TicketPrinterConfigSchema,
  migrations: LEDGER_MIGRATIONS,
  sectionProblems,
  pages: (section) => [{ pointer: '/kiosk', what: 'the kiosk page', ...section.kiosk }],
  async start(ctx, initial) {
    const problems = sectionProblems(initial, ctx.hal.describe());
    if (problems.length > 0) throw new Error(`roles.ticket-printer: ${problems.join('; ')}`);
    const { startTicketPrinter } = await import('./ticket-printer-instance.js');
    return startTicketPrinter(ctx, initial, sectionProblems);
  },
});
