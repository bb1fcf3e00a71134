// A board as an update sees it, in a temp folder: releases installed under a root (the
// /opt/halld of a board, given to halld as HALLD_ROOT), and a supervisor that does what
// halld.service does — run the boot guard from the committed release, start
// `<root>/current/bin/node <root>/current/dist/halld.mjs run`, and start it again after it
// exits, whatever the reason. Each start records which release it ran.
import { spawn, type ChildProcess } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface BoardStart {
  readonly version: string;
  readonly guard: string;
  readonly at: number;
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
}

export interface UpdateBoard {
  readonly root: string;
  readonly starts: BoardStart[];
  output(): string;
  /** The process running now (undefined between a stop and the next start). */
  readonly child: ChildProcess | undefined;
  /** Kills the running halld (and its children); the supervisor starts it again. */
  kill(signal?: NodeJS.Signals): void;
  current(): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface UpdateBoardOptions {
  readonly root: string;
  readonly configFile: string;
  /** The pause before a restart (RestartSec); short in tests. */
  readonly restartMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => resolve(`cannot run ${file}: ${e.message}`));
    child.on('close', () => resolve(out.trim()));
  });
}

export function startUpdateBoard(t: Teardown, o: UpdateBoardOptions): UpdateBoard {
  const starts: BoardStart[] = [];
  let out = '';
  let child: ChildProcess | undefined;
  let stopped = false;
  const env: NodeJS.ProcessEnv = { ...process.env, HALLD_ROOT: o.root, HALLD_LOG: process.env['HALLD_TEST_LOG'] ?? 'info', ...o.env };
  delete env['INVOCATION_ID'];
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const guardFrom = existsSync(join(o.root, 'committed')) ? 'committed' : 'current';
      const guard = await run(join(o.root, guardFrom, 'bin', 'node'), [join(o.root, guardFrom, 'dist', 'halld.mjs'), 'update', 'guard', '--root', o.root], env);
      out += `[guard] ${guard}\n`;
      if (stopped) return;
      const version = (await readlink(join(o.root, 'current')).catch(() => undefined)) ?? '?';
      const start: BoardStart = { version, guard, at: Date.now() };
      starts.push(start);
      const c = spawn(join(o.root, 'current', 'bin', 'node'), [join(o.root, 'current', 'dist', 'halld.mjs'), 'run', '--config', o.configFile, '--log', 'json'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
      child = c;
      c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise<void>((resolve) =>
        c.once('exit', (code, signal) => {
          start.exit = { code, signal, at: Date.now() };
          out += `[supervisor] ${version} exited ${code ?? signal ?? '?'}\n`;
          resolve();
        }),
      );
      child = undefined;
      await new Promise((r) => setTimeout(r, o.restartMs ?? 300));
    }
  };
  const running = loop();
  const killGroup = (c: ChildProcess, signal: NodeJS.Signals) => {
    try {
      if (c.pid !== undefined) process.kill(-c.pid, signal);
    } catch {
      // gone already
    }
  };
  const board: UpdateBoard = {
    root: o.root,
    starts,
    output: () => out,
    get child() {
      return child;
    },
    kill(signal = 'SIGKILL') {
      if (child) killGroup(child, signal);
    },
    current: () => readlink(join(o.root, 'current')).catch(() => undefined),
    async stop() {
      stopped = true;
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        await new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          killGroup(c, 'SIGKILL');
        });
      }
      await running;
    },
  };
  t.teardown(() => board.stop());
  return board;
}
