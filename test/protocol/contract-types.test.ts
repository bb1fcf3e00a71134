// The typed wire contract, checked by the compiler: each `@ts-expect-error` below is a misuse
// that must not compile. If the typing ever loosens, the directive goes unused and tsc (and
// so the build) fails — this file cannot pass silently. The tap tests at the end run the same
// typed paths for real: the role link built from a contract, and roleCommands().
import t from 'tap';
import { Type } from '@sinclair/typebox';
import type { HallClient } from '../../protocol/hall-client.js';
import { defineContract } from '../../protocol/contract.js';
import { ticketPrinterContract, type TicketPrinterContract } from '../../protocol/ticket-printer.js';
import type { SysContract } from '../../protocol/sys.js';
import { roleCommands, type RoleContext } from '../../firmware/roles/role-module.js';
import { createRoleLink, type RoleLinkTarget } from '../../firmware/roles/role-link.js';
import { DeviceError } from '../../firmware/link/device-error.js';
import type { OutboxEvent } from '../../firmware/store/store.js';

const issued = { ticketId: 'k1', takeId: 't1', number: 'A001', category: 'social', priority: false, offline: false, waiting: 0, day: '2026-11-28', issuedAt: 1 };

// Never called: only compiled.
export async function deviceSideMisuse(ctx: RoleContext<TicketPrinterContract>): Promise<void> {
  await ctx.link.emit('ticket.issued', issued);
  // @ts-expect-error misspelled event name
  await ctx.link.emit('ticket.isued', issued);
  const { day: _day, ...withoutDay } = issued;
  // @ts-expect-error a required field (day) is missing
  await ctx.link.emit('ticket.issued', withoutDay);
  // @ts-expect-error a field of the wrong type
  await ctx.link.emit('printer.ok', { printer: 'main', cleared: ['paper-gone'] });
  // @ts-expect-error an event of another role
  await ctx.link.emit('config.applied', { rev: 1 });

  const answer = await ctx.link.request('ticket.take', { takeId: 't1', category: 'social', priority: false }, 1000);
  const waiting: number = answer.waiting; // the result is typed by the contract
  void waiting;
  // @ts-expect-error wrong request name
  await ctx.link.request('ticket.takes', { takeId: 't1', category: 'social', priority: false }, 1000);
  // @ts-expect-error request data missing `priority`
  await ctx.link.request('ticket.take', { takeId: 't1', category: 'social' }, 1000);
  // @ts-expect-error the answer has no such field
  void answer.ticketNumber;
}

export function commandHandlerMisuse(): void {
  roleCommands(ticketPrinterContract, {
    print: { effect: 'hardware', run: async (data) => ({ mode: data.mode }) },
    pause: { effect: 'state', run: async (data) => ({ category: data.category }) },
    // @ts-expect-error wrong command data type: resume's category is a string
    resume: { effect: 'state', run: async (data: { category: number }) => ({ category: data.category }) },
    'test-print': { effect: 'hardware', run: async () => ({}) },
  });
  // @ts-expect-error a command of the contract has no handler (test-print)
  roleCommands(ticketPrinterContract, {
    print: { effect: 'hardware', run: async () => ({}) },
    pause: { effect: 'state', run: async () => ({}) },
    resume: { effect: 'state', run: async () => ({}) },
  });
  roleCommands(ticketPrinterContract, {
    print: { effect: 'hardware', run: async () => ({}) },
    pause: { effect: 'state', run: async () => ({}) },
    resume: { effect: 'state', run: async () => ({}) },
    'test-print': { effect: 'hardware', run: async () => ({}) },
    // @ts-expect-error a handler for a command the contract does not have
    reboot: { effect: 'state', run: async () => ({}) },
  });
  roleCommands({} as SysContract, {
    ping: { effect: 'none', run: async (data) => data },
    diag: { effect: 'none', run: async () => ({}) },
    identify: { effect: 'none', run: async () => ({}) },
    'test-events': {
      effect: 'state',
      run: async (data, cmd) => {
        cmd.emit('test-event', { i: 0, of: data.count, cmd: cmd.id });
        // @ts-expect-error the command context emits only the contract's events
        cmd.emit('test-evnt', { i: 0, of: data.count, cmd: cmd.id });
      },
    },
    restart: { effect: 'state', run: async () => ({}) },
    update: { effect: 'state', run: async (data) => ({ version: data.version }) },
    'update-chunk': { effect: 'none', run: async (data) => ({ have: data.offset }) },
  });
}

export async function serverSideMisuse(client: HallClient): Promise<void> {
  await client.command('kiosk-1', 'ticket-printer/pause', { category: 'social' });
  // @ts-expect-error wrong command name
  await client.command('kiosk-1', 'ticket-printer/paus', { category: 'social' });
  // @ts-expect-error wrong command data type
  await client.command('kiosk-1', 'sys/test-events', { count: 'many' });
  // @ts-expect-error missing field: a reissue needs its number
  await client.command('kiosk-1', 'ticket-printer/print', { mode: 'reissue', category: 'social' });
  await client.hallCommand('caller/notice', { text: '今日16:00停止取号' });
  // @ts-expect-error hall-wide command with a misspelled field
  await client.hallCommand('caller/notice', { txt: 'hi' });
  client.onEventOf('ticket-printer', 'ticket.issued', (data) => {
    const number: string = data.number;
    void number;
  });
  // @ts-expect-error misspelled event name in a subscription
  client.onEventOf('ticket-printer', 'ticket.isued', () => undefined);
  client.onRequest('ticket.take', (_device, data) => ({ number: `A-${data.category}`, waiting: 0 }));
  // @ts-expect-error the answer misses `waiting`
  client.onRequest('ticket.take', () => ({ number: 'A001' }));
  // @ts-expect-error wrong request name
  client.onRequest('ticket.tak', () => ({ number: 'A001', waiting: 0 }));
}

/** A DeviceLink stand-in that records what the role link hands it. */
function fakeTarget(answer: Record<string, unknown>) {
  const emitted: [string, string, Record<string, unknown>][] = [];
  const requested: [string, Record<string, unknown>][] = [];
  const target: RoleLinkTarget = {
    connected: true,
    emit: async (role, name, data) => {
      emitted.push([role, name, data]);
      return { seq: emitted.length } as OutboxEvent;
    },
    setState: () => undefined,
    request: async (name, data) => {
      requested.push([name, data]);
      return answer;
    },
    onConnectionChange: () => () => undefined,
  };
  return { target, emitted, requested };
}

t.test('the role link emits under its contract\'s role and returns a fitting answer typed', async (t) => {
  const fake = fakeTarget({ number: 'A007', waiting: 3 });
  const link = createRoleLink(ticketPrinterContract, fake.target);
  await link.emit('ticket.issued', issued);
  t.same(fake.emitted, [['ticket-printer', 'ticket.issued', issued]]);
  const answer = await link.request('ticket.take', { takeId: 't1', category: 'social', priority: false }, 100);
  t.same(answer, { number: 'A007', waiting: 3 });
  t.same(fake.requested, [['ticket.take', { takeId: 't1', category: 'social', priority: false }]]);
});

t.test('an answer that does not fit the result schema is a BAD_RESPONSE DeviceError, not typed garbage', async (t) => {
  const fake = fakeTarget({ number: 7 });
  const link = createRoleLink(ticketPrinterContract, fake.target);
  const err = await link.request('ticket.take', { takeId: 't1', category: 'social', priority: false }, 100).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof DeviceError, 'a DeviceError');
  t.equal((err as DeviceError).code, 'BAD_RESPONSE');
  t.match((err as DeviceError).message, /ticket\.take/);
});

t.test('roleCommands gives each handler its contract schema and passes data and context through', async (t) => {
  const contract = defineContract({ role: 'caller', events: { 'key.pressed': Type.Object({ key: Type.String() }) }, commands: { notice: Type.Object({ text: Type.String() }) } });
  const commands = roleCommands(contract, {
    notice: {
      effect: 'state',
      run: async (data, cmd) => {
        cmd.emit('key.pressed', { key: data.text });
        return { shown: data.text };
      },
    },
  });
  t.equal(commands.notice.schema, contract.commands.notice, 'the schema the dispatcher validates with is the contract\'s');
  t.equal(commands.notice.effect, 'state');
  const emitted: unknown[] = [];
  const result = await commands.notice.run({ text: '暂停服务' }, { id: 'c1', role: 'caller', name: 'notice', hallWide: false, record: () => undefined, emit: (...args) => void emitted.push(args) });
  t.same(result, { shown: '暂停服务' });
  t.same(emitted, [['key.pressed', { key: '暂停服务' }]]);
});
