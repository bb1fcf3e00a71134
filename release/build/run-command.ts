// Child processes of the release build: output kept and shown only when a step fails, so the
// build prints one line per step and a failure shows what the tool said.
import { spawn } from 'node:child_process';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export class StepError extends Error {}

export function runCommand(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', (err) => reject(new StepError(`${command}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new StepError(`${command} ${args.join(' ')} failed (exit ${code}):\n${output.split('\n').slice(-25).join('\n')}`));
    });
  });
}
