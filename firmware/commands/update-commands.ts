// `halld update guard`: the boot guard systemd runs before each start of halld (ExecStartPre),
// from the committed release (release/update/boot-guard.ts). `halld update status`: what the
// update state says (the release being tried, its starts, outcomes not yet reported).
import type { Command } from 'commander';
import { runBootGuard } from '../../release/update/boot-guard.js';
import { readSlots } from '../../release/update/slots.js';
import { readUpdateState } from '../../release/update/update-state.js';
import { EXIT_INTERNAL, EXIT_OK } from '../exit-codes.js';
import { installRoot } from '../update/update-settings.js';
import { settleStoreAfterTrial, snapshotBeforeTrial } from '../update/store-guard.js';
import { readSnapshotRecord, type StoreSnapshotRecord } from '../update/snapshot-record.js';
import type { Output } from './cli-output.js';

/** `now`: the wall clock, chosen by the entry point; it only stamps the outcomes (the decision is the boot count). */
export function addUpdateCommands(program: Command, io: Output, setExit: (code: number) => void, now: () => number): void {
  const update = program.command('update').description('over-the-air updates of halld: the boot guard, and what the board is doing (docs/update.md)');
  const rootOption = (c: Command) => c.option('--root <dir>', 'where releases live (default $HALLD_ROOT, else /opt/halld)');
  rootOption(update.command('guard').description("count a tried release's starts and roll back a crash loop (systemd's ExecStartPre, run from the committed release)")).action(
    async (opts: { root?: string }) => {
      const root = installRoot(opts.root, process.env);
      try {
        // The store step's own failure is said and the boot count goes on regardless.
        const storeStep = (step: () => Promise<string | undefined>) => step().then((line) => line && io.out(`halld update guard: ${line}\n`), (err: unknown) => io.err(`halld update guard: store: ${(err as Error).message}\n`));
        await storeStep(() => snapshotBeforeTrial(root, now()));
        const r = await runBootGuard(root, now());
        io.out(`halld update guard: ${r.action}${r.current ? ` (current ${r.current})` : ''}${r.detail ? `: ${r.detail}` : ''}\n`);
        await storeStep(() => settleStoreAfterTrial(root));
        setExit(EXIT_OK);
      } catch (err) {
        // A guard that fails must not keep the device from starting: say why, start anyway.
        io.err(`halld update guard: ${(err as Error).message}\n`);
        setExit(EXIT_OK);
      }
    },
  );
  rootOption(update.command('status').description('the releases under the root, the one being tried and outcomes not yet reported'))
    .option('--json', 'as JSON')
    .action(async (opts: { root?: string; json?: boolean }) => {
      const root = installRoot(opts.root, process.env);
      try {
        const [slots, state, storeCopy] = await Promise.all([readSlots(root), readUpdateState(root), readSnapshotRecord(root)]);
        const view = { root, ...slots, ...state, ...(storeCopy ? { storeCopy } : {}) };
        io.out(opts.json ? `${JSON.stringify(view, null, 2)}\n` : statusLines(view).join('\n') + '\n');
        setExit(EXIT_OK);
      } catch (err) {
        io.err(`halld update status: ${(err as Error).message}\n`);
        setExit(EXIT_INTERNAL);
      }
    });
}

function statusLines(v: Awaited<ReturnType<typeof readSlots>> & Awaited<ReturnType<typeof readUpdateState>> & { root: string; storeCopy?: StoreSnapshotRecord }): string[] {
  const lines = [`root       ${v.root}`, `current    ${v.current ?? '-'}`, `committed  ${v.committed ?? '-'}`, `releases   ${v.releases.join(', ') || '-'}`];
  if (v.attempt) lines.push(`trying     ${v.attempt.to} (from ${v.attempt.from}, start ${v.attempt.boots} of ${v.attempt.maxBoots}, ${v.attempt.phase})`);
  if (v.pending) lines.push(`pending    ${String(v.pending.request['version'])} (accepted, not switched yet)`);
  const copy = v.storeCopy;
  if (copy) lines.push(`store copy ${copy.phase} for the trial of ${copy.to} (from ${copy.from}, data dir ${copy.dataDir})${copy.report ? `: ${copy.report.detail}` : ''}`);
  for (const o of v.outcomes) lines.push(`outcome    ${o.kind} ${o.from} -> ${o.to}${o.reason ? `: ${o.reason}` : ''} (not reported yet)`);
  return lines;
}
