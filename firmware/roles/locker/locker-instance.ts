// The running locker: its commands around one Cabinet, the pickup desk (codes, drop-off), the
// overdue timers, the touch page and the scanner, and its self-tests.
import { lockerContract, type LockerContract, type OpenCommand } from '../../../protocol/locker.js';
import { DeviceError } from '../../link/device-error.js';
import { roleCommands, type RoleCommandContext, type RoleContext, type RoleInstance } from '../role-module.js';
import { Cabinet, type UnlockOutcome } from './cabinet.js';
import type { LockerConfig } from './config.js';
import { LockerStore } from './locker-store.js';
import { OverdueWatch } from './overdue-watch.js';
import { PickupDesk } from './pickup-desk.js';
import { lockerSectionProblems } from './section-problems.js';
import { lockerSelfTests } from './self-tests.js';
import { MAX_SCRYPT_BYTES, scryptProblem } from './scrypt-check.js';
import { startLockerFront, type LockerFront } from './locker-front.js';
import { depositIdentityProblem, depositIdentityStatement } from './identity-deposits.js';

/** The dispatcher's deadline for `open`: longer than any openConfirmMs (30 s max) plus the bus. */
const OPEN_TIMEOUT_MS = 40_000;

function failure(out: Exclude<UnlockOutcome, { ok: true }>): DeviceError {
  const code = out.code === 'RATE_LIMITED' || out.code === 'BUSY' ? 'BUSY' : 'HARDWARE';
  return new DeviceError(code, out.message, { reason: out.code.toLowerCase() });
}

export async function startLocker(ctx: RoleContext<LockerContract>, initial: LockerConfig): Promise<RoleInstance<LockerConfig, LockerContract>> {
  const records = new LockerStore(ctx.store, () => ctx.clock.bestGuess());
  const cabinet = new Cabinet(ctx, initial, records);
  const overdue = new OverdueWatch(ctx.timers, () => ctx.clock.bestGuess(), (item) => {
    const d = cabinet.door(item.door);
    if (d?.depositId !== item.depositId) return;
    void cabinet.emit('item.overdue', { door: item.door, depositId: item.depositId, overdueAt: item.overdueAt }, { who: 'device', what: 'overdue', door: item.door, detail: { depositId: item.depositId } }, [
      records.overdueStatement(item.depositId),
    ]);
  });
  const desk = new PickupDesk(ctx, cabinet, overdue);
  const offClose = cabinet.onClose((d) => void desk.closed(d));
  const offHandedOut = cabinet.onHandedOut((depositId) => overdue.cancel(depositId));
  await cabinet.start();
  for (const dep of await records.activeDeposits()) if (!dep.overdueReported) overdue.schedule({ depositId: dep.depositId, door: dep.door, overdueAt: dep.overdueAt });
  let front: LockerFront = await startLockerFront(ctx, initial, cabinet, desk);
  cabinet.changed();
  const offLink = ctx.link.onConnectionChange(() => cabinet.changed());

  const doorOf = (door: number) => {
    const d = cabinet.door(door);
    if (!d) throw new DeviceError('NOT_FOUND', `no door ${door} in this cabinet (doors: ${[...cabinet.doors.keys()].join(', ')})`);
    return d;
  };

  /** A door number means one cabinet's door: sent hall-wide it would open that door in every cabinet. */
  const oneCabinet = (cmd: RoleCommandContext<LockerContract>) => {
    if (cmd.hallWide) throw new DeviceError('BAD_REQUEST', `locker/${cmd.name} names a door and must be sent to one cabinet, not hall-wide`);
  };

  const open = async (data: OpenCommand, cmd: RoleCommandContext<LockerContract>) => {
    oneCabinet(cmd);
    const d = doorOf(data.door);
    if (data.depositId !== undefined) {
      const dep = await records.depositState(data.depositId);
      if (dep?.state !== 'active' || dep.door !== data.door)
        throw new DeviceError('NOT_FOUND', `deposit ${data.depositId} is not an active deposit in door ${data.door}${dep ? ` (it is ${dep.state} in door ${dep.door})` : ''}`);
    }
    const out = await cabinet.unlock(d, { by: 'command', commandId: cmd.id, reason: data.reason, ...(data.depositId !== undefined ? { depositId: data.depositId } : {}) });
    if (!out.ok) throw failure(out);
    const extra = data.depositId !== undefined ? { depositId: data.depositId } : {};
    const already = out.alreadyOpen ? { alreadyOpen: true as const } : {};
    cmd.record(out.settle);
    cmd.record(records.auditStatement({ who: 'server', what: 'opened', door: d.door, commandId: cmd.id, detail: { reason: data.reason, ...extra, ...already } }));
    cmd.emit('door.opened', { door: d.door, by: 'command', commandId: cmd.id, reason: data.reason, ...extra, ...already });
    if (data.depositId !== undefined) {
      cmd.record(records.endStatement(data.depositId, 'picked-up'));
      cmd.emit('item.picked-up', { door: d.door, depositId: data.depositId, by: 'command', offline: !ctx.link.connected, commandId: cmd.id });
      if (d.depositId === data.depositId) d.depositId = undefined;
      overdue.cancel(data.depositId);
    }
    cabinet.changed();
    return { opened: true, door: d.door, waitedMs: out.waitedMs, ...already };
  };

  return {
    // A door between its unlock frame and its sensor's answer: a restart would lose the outcome.
    busy: () => {
      const opening = [...cabinet.doors.values()].filter((d) => d.expecting).map((d) => d.door);
      return opening.length > 0 ? `door ${opening.join(', ')} is opening` : undefined;
    },
    commands: roleCommands(lockerContract, {
      // Every command here is secure by the contract (signed, topic-bound, unexpired).
      open: { effect: 'hardware', timeoutMs: OPEN_TIMEOUT_MS, run: open },
      deposit: {
        effect: 'state',
        run: async (data, cmd) => {
          oneCabinet(cmd);
          const d = doorOf(data.door);
          if (data.codeHash.length !== data.scrypt.keylen * 2) throw new DeviceError('BAD_REQUEST', `codeHash has ${data.codeHash.length / 2} bytes, scrypt.keylen says ${data.scrypt.keylen}`);
          // Before the door and id checks: those and the record below then run with no await between them and a concurrent deposit.
          const unusable = await scryptProblem(data.scrypt, cabinet.config.scryptBudgetMs);
          if (unusable !== undefined) throw new DeviceError('BAD_REQUEST', unusable);
          // A card is checked like a code: its scrypt parameters are judged the same way.
          const identityProblem = data.identity && (data.kind !== 'certificate' ? 'identity: only a certificate deposit is bound to a citizen' : (depositIdentityProblem(data.identity, MAX_SCRYPT_BYTES) ?? (await scryptProblem(data.identity.scrypt, cabinet.config.scryptBudgetMs))));
          if (identityProblem) throw new DeviceError('BAD_REQUEST', identityProblem);
          const known = await records.depositState(data.depositId);
          if (known) throw new DeviceError('BAD_REQUEST', `deposit ${data.depositId} already exists (${known.state}, door ${known.door})`);
          if (d.depositId !== undefined) throw new DeviceError('BUSY', `door ${d.door} already holds deposit ${d.depositId}`);
          if (d.dropOff !== undefined) throw new DeviceError('BUSY', `door ${d.door} is open for a drop-off`);
          if (data.identity) cmd.record(depositIdentityStatement(data.depositId, data.identity));
          cmd.record(
            records.depositStatement(
              { depositId: data.depositId, door: d.door, kind: data.kind, codeHash: data.codeHash, salt: data.salt, scrypt: data.scrypt, expiresAt: data.expiresAt, overdueAt: data.overdueAt, overdueReported: false, receiptCode: null },
              cmd.id,
            ),
          );
          cmd.record(records.auditStatement({ who: 'server', what: 'deposited', door: d.door, commandId: cmd.id, detail: { depositId: data.depositId, kind: data.kind } }));
          cmd.emit('item.deposited', { door: d.door, depositId: data.depositId, kind: data.kind, expiresAt: data.expiresAt, overdueAt: data.overdueAt, commandId: cmd.id });
          d.depositId = data.depositId;
          overdue.schedule({ depositId: data.depositId, door: d.door, overdueAt: data.overdueAt });
          cabinet.changed();
          return { door: d.door, depositId: data.depositId };
        },
      },
      revoke: {
        effect: 'state',
        run: async (data, cmd) => {
          const dep = await records.depositState(data.depositId);
          if (dep?.state !== 'active') throw new DeviceError('NOT_FOUND', `deposit ${data.depositId} is not active${dep ? ` (${dep.state})` : ''}`);
          cmd.record(records.endStatement(data.depositId, 'revoked'));
          cmd.record(records.auditStatement({ who: 'server', what: 'revoked', door: dep.door, commandId: cmd.id, detail: { depositId: data.depositId } }));
          const d = cabinet.door(dep.door);
          if (d?.depositId === data.depositId) d.depositId = undefined;
          overdue.cancel(data.depositId);
          cabinet.changed();
          return { depositId: data.depositId, state: 'revoked' };
        },
      },
      disable: {
        effect: 'state',
        run: async (data, cmd) => {
          oneCabinet(cmd);
          return setEnabled(data.door, false, cmd.id, (s) => cmd.record(s));
        },
      },
      enable: {
        effect: 'state',
        run: async (data, cmd) => {
          oneCabinet(cmd);
          return setEnabled(data.door, true, cmd.id, (s) => cmd.record(s));
        },
      },
    }),
    ...lockerSelfTests(ctx, cabinet),
    async checkConfig(next) {
      const problems = lockerSectionProblems(next, ctx.hal.describe());
      // Doors are the cabinet's identity (deposits, timers, board handles hang on them).
      if (JSON.stringify(next.doors) !== JSON.stringify(cabinet.config.doors)) problems.push('/doors: the door list cannot change while the locker runs; change it in the device config and restart');
      return problems;
    },
    async reconfigure(next) {
      await front.stop();
      cabinet.config = next;
      front = await startLockerFront(ctx, next, cabinet, desk);
      cabinet.changed();
    },
    async stop() {
      offLink();
      offClose();
      offHandedOut();
      overdue.stop();
      cabinet.stop();
      await front.stop();
    },
  };

  function setEnabled(door: number, enabled: boolean, commandId: string, record: (s: ReturnType<LockerStore['doorStatement']>) => void) {
    const d = doorOf(door);
    record(records.doorStatement(door, enabled));
    record(records.auditStatement({ who: 'server', what: enabled ? 'enabled' : 'disabled', door, commandId }));
    d.enabled = enabled;
    cabinet.changed();
    return { door, enabled };
  }
}
