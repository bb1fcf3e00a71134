// `halld diag --interactive` as a technician runs it, for the e2e tests: the CLI with pipes read
// a line at a time while it runs, so a test answers each prompt as it comes (runCli waits for the end).
import { spawn } from 'node:child_process';
import { CLI } from '../../../testkit/device-process.js';

export interface Session {
  /** Resolves with each prompt line as it arrives on stdout. */
  nextPrompt(): Promise<string>;
  interrupt(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const PROMPT = /^\[[a-z0-9-]+\/[a-z0-9-]+\] /;

/** Runs the CLI with a pipe we read line by line while it runs (runCli waits for the end). */
export function session(args: string[]): Session {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const text = { stdout: '', stderr: '' };
  const prompts: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  // Prompts go to stdout, or to stderr beside --json: read both, a line at a time.
  for (const name of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[name].setEncoding('utf8');
    child[name].on('data', (d: string) => {
      text[name] += d;
      pending += d;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!PROMPT.test(line)) continue;
        const waiter = waiters.shift();
        if (waiter) waiter(line);
        else prompts.push(line);
      }
    });
  }
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, ...text })));
  return {
    nextPrompt: () => {
      const line = prompts.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiters.push(resolve));
    },
    interrupt: () => void child.kill('SIGINT'),
    done,
  };
}
