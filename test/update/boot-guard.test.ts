// The boot guard and the slots on a real folder: counting starts of a tried release across
// restarts, rolling a crash loop back, finishing what a power cut interrupted at each step,
// and keeping at most two releases besides the one being tried.
import t, { type Test } from 'tap';
import { mkdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBootGuard, rollBack } from '../../release/update/boot-guard.js';
import { pruneReleases, readSlots } from '../../release/update/slots.js';
import { readUpdateState, writeUpdateState, type UpdateAttempt } from '../../release/update/update-state.js';
import { switchCurrent, switchLink } from '../../release/install.js';
import { tempDir } from '../../testkit/temp.js';

async function board(t: Test, versions: string[], current: string, committed?: string): Promise<string> {
  const root = await tempDir(t, 'halld-guard-');
  for (const v of versions) {
    await mkdir(join(root, v));
    await writeFile(join(root, v, 'manifest.json'), '{}');
  }
  await symlink(current, join(root, 'current'));
  if (committed) await symlink(committed, join(root, 'committed'));
  return root;
}

const attempt = (over: Partial<UpdateAttempt> = {}): UpdateAttempt => ({ id: 'u1', from: '0.1.0', to: '0.2.0', switchedAt: 1, boots: 0, maxBoots: 3, phase: 'trying', faultsBefore: [], ...over });

t.test('a board installed before updates gets `committed` = what runs', async (t) => {
  const root = await board(t, ['0.1.0'], '0.1.0');
  const r = await runBootGuard(root, 1000);
  t.equal(r.action, 'linked-committed');
  t.equal(await readlink(join(root, 'committed')), '0.1.0');
  t.equal((await runBootGuard(root, 1000)).action, 'none');
});

t.test('each start of a tried release is counted; past maxBoots it goes back and says why', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.2.0', '0.1.0');
  await writeUpdateState(root, { format: 1, outcomes: [], attempt: attempt() });
  for (let i = 1; i <= 3; i++) {
    const r = await runBootGuard(root, 1000 + i);
    t.equal(r.action, 'counted');
    t.equal((await readUpdateState(root)).attempt?.boots, i, `start ${i} counted durably`);
    t.equal(await readlink(join(root, 'current')), '0.2.0');
  }
  const r = await runBootGuard(root, 2000);
  t.equal(r.action, 'rolled-back');
  t.equal(await readlink(join(root, 'current')), '0.1.0');
  const state = await readUpdateState(root);
  t.equal(state.attempt, undefined);
  t.match(state.outcomes, [{ id: 'u1', kind: 'rolled-back', from: '0.2.0', to: '0.1.0', reason: /crash loop: 3 starts of 0.2.0/ }]);
});

t.test('a rollback cut after its decision is finished by the next guard', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.2.0', '0.1.0');
  // Decision recorded, link not switched yet (as rollBack's first write leaves it).
  await writeUpdateState(root, { format: 1, outcomes: [], attempt: attempt({ phase: 'rolling-back', reason: 'not healthy within 120 s: no birth on the broker' }) });
  const r = await runBootGuard(root, 5);
  t.equal(r.action, 'rolled-back');
  t.equal(await readlink(join(root, 'current')), '0.1.0');
  t.match((await readUpdateState(root)).outcomes, [{ kind: 'rolled-back', reason: /no birth/ }]);
});

t.test('a rollback cut after the switch records the outcome once', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.1.0', '0.1.0');
  await writeUpdateState(root, { format: 1, outcomes: [], attempt: attempt({ phase: 'rolling-back', reason: 'why' }) });
  await runBootGuard(root, 5);
  t.equal((await readUpdateState(root)).outcomes.length, 1);
  t.equal((await runBootGuard(root, 6)).action, 'none');
});

t.test('an attempt recorded but cut before `current` moved is reported failed; the old release runs', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.1.0', '0.1.0');
  await writeUpdateState(root, { format: 1, outcomes: [], attempt: attempt() });
  const r = await runBootGuard(root, 5);
  t.equal(r.action, 'dropped-attempt');
  t.equal(await readlink(join(root, 'current')), '0.1.0');
  t.match((await readUpdateState(root)).outcomes, [{ kind: 'failed', reason: /interrupted before the switch/ }]);
});

t.test('a commit cut after `committed` moved is finished as a commit', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.2.0', '0.2.0');
  await writeUpdateState(root, { format: 1, outcomes: [], attempt: attempt() });
  t.equal((await runBootGuard(root, 5)).action, 'finished-commit');
  const state = await readUpdateState(root);
  t.equal(state.attempt, undefined);
  t.same(state.history, ['0.1.0', '0.2.0']);
  t.match(state.outcomes, [{ kind: 'committed', from: '0.1.0', to: '0.2.0' }]);
});

t.test('rollBack from the running release: decision, switch, outcome', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0'], '0.2.0', '0.1.0');
  const state = { format: 1 as const, outcomes: [], attempt: attempt() };
  await writeUpdateState(root, state);
  await rollBack(root, state, attempt(), 'no sys/ping from the server', 9);
  t.equal(await readlink(join(root, 'current')), '0.1.0');
  t.match((await readUpdateState(root)).outcomes, [{ kind: 'rolled-back', from: '0.2.0', to: '0.1.0', reason: 'no sys/ping from the server' }]);
});

t.test('at most two releases are kept besides the one being tried', async (t) => {
  const root = await board(t, ['0.1.0', '0.2.0', '0.3.0', '0.4.0'], '0.3.0', '0.3.0');
  await mkdir(join(root, '.incoming-0.5.0'));
  const removed = await pruneReleases(root, { format: 1, outcomes: [], history: ['0.1.0', '0.2.0', '0.3.0'] });
  t.same(removed.sort(), ['0.1.0', '0.4.0']);
  t.same((await readSlots(root)).releases, ['0.2.0', '0.3.0']);
  // While 0.4.0 is tried from 0.3.0: 0.3.0, the previous 0.2.0 and 0.4.0 stay.
  await mkdir(join(root, '0.4.0'));
  await writeFile(join(root, '0.4.0', 'manifest.json'), '{}');
  await switchCurrent(root, '0.4.0');
  await pruneReleases(root, { format: 1, outcomes: [], history: ['0.2.0', '0.3.0'], attempt: attempt({ from: '0.3.0', to: '0.4.0' }) });
  t.same((await readSlots(root)).releases, ['0.2.0', '0.3.0', '0.4.0']);
  // After the commit: 0.4.0 and the one before it.
  await switchLink(root, 'committed', '0.4.0');
  await pruneReleases(root, { format: 1, outcomes: [], history: ['0.2.0', '0.3.0', '0.4.0'] });
  t.same((await readSlots(root)).releases, ['0.3.0', '0.4.0']);
});
