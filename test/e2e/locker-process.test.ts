// The locker as a board runs it: `halld run` as a child process on a Pi 4 board definition, its
// 8a80 lock board the byte-level simulator on a socat pseudo-terminal (the real driver opens a
// real device path through serialport's OS binding), a real Mosquitto, a HallClient with the
// hall's signing key. Every unlock frame on the wire is counted by the simulator.
import t from 'tap';
import { join } from 'node:path';
import { generateSigningKeys, signEnvelope } from '../../protocol/signing.js';
import { hashPickupCode } from '../../protocol/locker-code.js';
import { topics } from '../../protocol/topics.js';
import type { Ack } from '../../protocol/messages.js';
import { VirtualLockBus } from '../../simulators/lock-board/virtual-lock-bus.js';
import { sim8a80 } from '../../simulators/lock-board/sim-8a80.js';
import { startPtyLockBus } from '../../simulators/lock-board/pty-lock-bus.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { startMosquitto } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

t.setTimeout(180_000);
const DEVICE = 'cab-1';
const SCRYPT = { N: 1024, r: 8, p: 1, keylen: 32 };

t.test('locker end to end: one unlock per command, SIGKILL mid-open, refusals, offline pickup, alarms', { skip: mosquittoSkip() }, async (t) => {
  const dir = await tempDir(t);
  const bus = new VirtualLockBus(sim8a80());
  const board = bus.addBoard({ address: 1, locks: 8 });
  const pty = await startPtyLockBus(bus, dir, 9600);
  t.teardown(() => pty.close());
  const broker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  const keys = generateSigningKeys();
  const proc = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, DEVICE, {
      board: 'rpi-4b',
      security: { serverPublicKey: keys.publicKeyPem },
      io: { serial: { rs485: { path: pty.hostPath, baudRate: 9600 } }, lockBoards: { 'cab-a': { serial: 'rs485', protocol: '8a80', address: 1, locks: 8 } }, speaker: { kind: 'none' } },
      roles: {
        sys: {},
        locker: {
          doors: [1, 2, 3, 4, 5].map((door) => ({ door, board: 'cab-a', lock: door, size: 'M' })),
          leftOpenAfterMs: 1000,
          maxCodeTries: 3,
          lockoutMs: 300_000,
          pollIntervalMs: 100,
          openConfirmMs: 3000,
          // Covers a cold start of the process after the SIGKILL on a busy machine.
          lateOpenWindowMs: 120_000,
          page: { port: 0 },
        },
      },
    }),
  );
  const server = await testServer(t, { url: broker.url, signingKey: keys.privateKeyPem });
  const acks: Ack[] = [];
  server.client.onAck((d, a) => void (d === DEVICE && acks.push(a)));
  const acksFor = (id: string) => acks.filter((a) => a.id === id);
  let pageUrl: string | undefined;
  server.client.onState((d, role, state) => {
    if (d === DEVICE && role === 'locker' && typeof state.data['page'] === 'string') pageUrl = state.data['page'];
  });
  const events = (name: string) => server.events.filter((e) => e.device === DEVICE && e.role === 'locker' && e.name === name);
  const topic = (name: string, device = DEVICE) => topics.command(server.client.address(device), 'locker', name);
  const signed = (name: string, id: string, data: Record<string, unknown>, o: { to?: string; ts?: number; lifeMs?: number } = {}) => {
    const ts = o.ts ?? Date.now();
    return JSON.stringify(signEnvelope({ v: 1, id, ts, exp: ts + (o.lifeMs ?? 30_000), data, to: o.to ?? topic(name) }, keys.privateKeyPem));
  };
  const publish = (name: string, payload: string) => server.client.publishRawCommand(DEVICE, `locker/${name}`, payload);
  const ackOf = (id: string) => waitFor(`ack of ${id}`, () => acksFor(id)[0], 15_000);

  proc.start();
  const boot1 = (await server.waitOnline(DEVICE)).boot;

  await t.test('the same signed open delivered three times: one unlock frame', async (t) => {
    const payload = signed('open', 'open-3x', { door: 2, reason: 'staff deposit' });
    for (let i = 0; i < 3; i++) await publish('open', payload);
    await waitFor('three acks', () => acksFor('open-3x').length === 3, 15_000);
    t.ok(acksFor('open-3x').every((a) => a.ok && (a as { data?: Record<string, unknown> }).data?.['opened'] === true));
    t.equal(acksFor('open-3x').filter((a) => a.dup !== true).length, 1);
    t.equal(bus.unlocksHeard(1, 2).length, 1, 'exactly one unlock frame on the wire');
    await waitFor('door.opened', () => events('door.opened')[0]);
    board.closeDoor(2);
  });

  await t.test('expired, unsigned and re-targeted opens: refused, nothing on the wire', async (t) => {
    const before = bus.unlocksHeard().length;
    await publish('open', signed('open', 'open-expired', { door: 1, reason: 'x' }, { ts: Date.now() - 60_000, lifeMs: 30_000 }));
    await publish('open', JSON.stringify({ v: 1, id: 'open-unsigned', ts: Date.now(), exp: Date.now() + 30_000, data: { door: 1, reason: 'x' } }));
    await publish('open', signed('open', 'open-other-cab', { door: 1, reason: 'x' }, { to: topic('open', 'cab-2') }));
    await publish('open', signed('open', 'open-other-cmd', { door: 1, reason: 'x' }, { to: topic('disable') }));
    t.match(await ackOf('open-expired'), { ok: false, error: { code: 'EXPIRED' } });
    t.match(await ackOf('open-unsigned'), { ok: false, error: { code: 'UNAUTHORIZED' } });
    t.match(await ackOf('open-other-cab'), { ok: false, error: { code: 'UNAUTHORIZED' } });
    t.match(await ackOf('open-other-cmd'), { ok: false, error: { code: 'UNAUTHORIZED' } });
    // Barrier: a later good open's frame comes after anything the refused ones could have sent.
    await publish('open', signed('open', 'open-barrier', { door: 5, reason: 'barrier' }));
    t.match(await ackOf('open-barrier'), { ok: true });
    t.same(bus.unlocksHeard().slice(before).map((u) => u.lock), [5], 'only the good open reached the wire');
    board.closeDoor(5);
  });

  await t.test('SIGKILL mid-open: INDETERMINATE after the restart, never a second unlock', async (t) => {
    board.jam(3); // the door never opens: the open waits for its sensor when the power goes
    await publish('open', signed('open', 'open-killed', { door: 3, reason: 'pickup by face' }));
    await waitFor('the unlock frame', () => bus.unlocksHeard(1, 3).length === 1, 15_000, 5);
    await proc.kill('SIGKILL');
    t.same(acksFor('open-killed'), [], 'no ack before the power went');
    board.jam(3, false);
    proc.start();
    await server.waitOnline(DEVICE, { boot: boot1 + 1 });
    t.match(await ackOf('open-killed'), { ok: false, error: { code: 'INDETERMINATE' } });
    await publish('open', signed('open', 'open-killed', { door: 3, reason: 'pickup by face' }));
    await waitFor('the retry answered', () => acksFor('open-killed').length === 2, 15_000);
    t.match(acksFor('open-killed')[1], { ok: false, dup: true, error: { code: 'INDETERMINATE' } });
    t.equal(bus.unlocksHeard(1, 3).length, 1, 'one unlock frame for that id, ever');
    // The latch gives way after all: the door the killed open released is that open's, not a tamper.
    board.forceOpen(3);
    const late = await waitFor('door.opened of door 3', () => events('door.opened').find((e) => e.message.data['door'] === 3), 15_000);
    t.same(late.message.data, { door: 3, by: 'command', commandId: 'open-killed', reason: 'pickup by face', late: true });
    board.closeDoor(3);
    await waitFor('door 3 closed', () => events('door.closed').find((e) => e.message.data['door'] === 3), 15_000);
    t.equal(events('door.forced').filter((e) => e.message.data['door'] === 3).length, 0, 'no door.forced for it');
  });

  await t.test('jam → HARDWARE and door.open-not-detected', async (t) => {
    board.jam(4);
    await publish('open', signed('open', 'open-jam', { door: 4, reason: 'x' }));
    t.match(await ackOf('open-jam'), { ok: false, error: { code: 'HARDWARE' } });
    t.match((await waitFor('door.open-not-detected', () => events('door.open-not-detected')[0])).message.data, { door: 4, commandId: 'open-jam', boardAck: true });
    board.jam(4, false);
  });

  await t.test('forced → door.forced; left open → door.left-open; closed → door.closed', async (t) => {
    board.forceOpen(1);
    t.same((await waitFor('door.forced', () => events('door.forced')[0])).message.data, { door: 1 });
    t.match((await waitFor('door.left-open', () => events('door.left-open').find((e) => e.message.data['door'] === 1), 15_000)).message.data, { door: 1 });
    board.closeDoor(1);
    await waitFor('door.closed', () => events('door.closed').find((e) => e.message.data['door'] === 1));
  });

  await t.test('overdue fires; wrong codes lock out; a good code works offline and is reported later', async (t) => {
    const deposit = async (id: string, door: number, code: string, overdueInMs: number) => {
      const hashed = await hashPickupCode(code, SCRYPT);
      return server.client.command(DEVICE, 'locker/deposit', { door, depositId: id, ...hashed, expiresAt: Date.now() + 3_600_000, overdueAt: Date.now() + overdueInMs, kind: 'certificate' });
    };
    t.match(await deposit('dep-overdue', 4, '777111', 500), { ok: true });
    t.match((await waitFor('item.overdue', () => events('item.overdue')[0])).message.data, { door: 4, depositId: 'dep-overdue' });
    t.match(await deposit('dep-pick', 2, '428193', 3_600_000), { ok: true });
    const url = await waitFor('page url', () => pageUrl);
    const code = async (c: string) => (await fetch(new URL('api/code', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) })).json() as Promise<Record<string, unknown>>;

    await broker.stop();
    t.match(await code('428193'), { ok: true, door: 2 }, 'opens with the hall network down');
    t.equal(bus.unlocksHeard(1, 2).length, 2, 'one more unlock of door 2');
    t.match(await code('000000'), { ok: false, reason: 'wrong-code' });
    t.match(await code('000001'), { ok: false, reason: 'wrong-code' });
    t.match(await code('000002'), { ok: false, reason: 'locked-out' });
    await broker.restart();
    const picked = await waitFor('item.picked-up', () => events('item.picked-up')[0], 30_000);
    t.match(picked.message.data, { door: 2, depositId: 'dep-pick', by: 'code', offline: true });
    t.match((await waitFor('code.lockout', () => events('code.lockout')[0], 30_000)).message.data, { tries: 3 });
    t.equal(new Set(events('code.rejected').map((e) => e.message.id)).size, 3);
  });
});
