// The control socket on its own: a handler of our own behind the real server and client.
import t from 'tap';
import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { startControlServer } from '../../firmware/control/control-server.js';
import { controlRequest } from '../../firmware/control/control-client.js';
import { MAX_REQUEST_BYTES, SOCKET_FILE, ControlError, type ControlRequest } from '../../firmware/control/control-protocol.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { tempDir } from '../../testkit/temp.js';

function raw(path: string, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    let text = '';
    s.on('connect', () => s.write(bytes));
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('end', () => resolve(text));
    s.on('error', reject);
  });
}

t.test('one JSON line each way; bad requests get a clear error line; the socket is 0600', async (t) => {
  const dir = await tempDir(t);
  const seen: ControlRequest[] = [];
  const server = await startControlServer({
    dataDir: dir,
    timers: globalTimers,
    handle: async (r) => {
      seen.push(r);
      if (r.op === 'action') throw new ControlError('NOT_FOUND', `no action ${r.role}/${r.name}`);
      return { answered: r.op };
    },
  });
  t.teardown(() => server.close());
  t.equal(server.path, join(dir, SOCKET_FILE));
  t.equal(statSync(server.path).mode & 0o777, 0o600);

  t.same(await controlRequest(dir, { op: 'status' }, globalTimers), { answered: 'status' });
  t.same(await controlRequest(dir, { op: 'diag', include: ['ticket-printer/test-print'] }, globalTimers), { answered: 'diag' });
  t.same(seen[1], { op: 'diag', include: ['ticket-printer/test-print'] });
  await t.rejects(controlRequest(dir, { op: 'action', role: 'x', name: 'y' }, globalTimers), { code: 'NOT_FOUND', message: 'no action x/y' });

  t.match(JSON.parse(await raw(server.path, 'not json\n')), { ok: false, error: { code: 'BAD_REQUEST', message: /^request is not JSON/ } });
  t.match(JSON.parse(await raw(server.path, '{"op":"reboot"}\n')), { ok: false, error: { code: 'UNKNOWN_OP', message: /"reboot".*status, diag, identify, action/ } });
  t.match(JSON.parse(await raw(server.path, '{"op":"diag","include":[1]}\n')), { ok: false, error: { code: 'BAD_REQUEST', message: /include/ } });
  t.match(JSON.parse(await raw(server.path, '{"op":"identify","ms":-1}\n')), { ok: false, error: { code: 'BAD_REQUEST', message: /ms/ } });
  t.match(JSON.parse(await raw(server.path, `${'x'.repeat(MAX_REQUEST_BYTES + 10)}`)), { ok: false, error: { code: 'TOO_LARGE' } }, 'an endless line is cut off without waiting for its newline');
  t.equal(seen.length, 3, 'no bad request reached the handler');
});

t.test('a socket file left by a crash is replaced; close() removes it', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, SOCKET_FILE);
  // What a SIGKILLed daemon leaves: a socket file nobody listens on.
  const crashed = spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`], { stdio: 'ignore' });
  t.equal(crashed.signal, 'SIGKILL');
  t.ok(statSync(path).isSocket(), 'the dead daemon left its socket');
  await t.rejects(controlRequest(dir, { op: 'status' }, globalTimers), { code: 'NO_DAEMON', message: /no halld is running on data dir/ });
  const server = await startControlServer({ dataDir: dir, timers: globalTimers, handle: async () => ({ fresh: true }) });
  t.same(await controlRequest(dir, { op: 'status' }, globalTimers), { fresh: true });
  await server.close();
  await t.rejects(controlRequest(dir, { op: 'status' }, globalTimers), { code: 'NO_DAEMON' });
});

t.test('a data dir too long for a unix socket path is refused with a clear error, not truncated', async (t) => {
  const dir = await tempDir(t);
  const long = join(dir, 'd'.repeat(120));
  await t.rejects(startControlServer({ dataDir: long, timers: globalTimers, handle: async () => ({}) }), { code: 'PATH_TOO_LONG', message: /longer than a unix socket path may be/ });
});

t.test('an interactive request: prompt lines before the answer; the client aborting half-closes and still reads the answer', async (t) => {
  const dir = await tempDir(t);
  let sawAbort: unknown;
  const server = await startControlServer({
    dataDir: dir,
    timers: globalTimers,
    handle: async (_r, session) => {
      session.prompt('role/test', 'press the first button');
      session.prompt('role/test', 'now the second');
      // Answers only once the client gives up: what ran until then comes back.
      await new Promise<void>((resolve) => session.signal.addEventListener('abort', () => resolve(), { once: true }));
      sawAbort = (session.signal.reason as Error).message;
      return { stopped: true };
    },
  });
  t.teardown(() => server.close());
  const prompts: string[] = [];
  const abort = new AbortController();
  const result = await controlRequest(dir, { op: 'diag', interactive: true }, globalTimers, {
    onPrompt: (p) => {
      prompts.push(`${p.test}: ${p.text}`);
      if (prompts.length === 2) abort.abort();
    },
    signal: abort.signal,
  });
  t.same(prompts, ['role/test: press the first button', 'role/test: now the second'], 'each prompt as it came, in order');
  t.same(result, { stopped: true }, 'the answer after the abort is still read');
  t.equal(sawAbort, 'aborted by the technician', 'the handler saw the half-close as the technician stopping');
  t.match(JSON.parse(await raw(server.path, '{"op":"diag","interactive":true,"testTimeoutMs":5}\n')), { ok: false, error: { code: 'BAD_REQUEST', message: /testTimeoutMs/ } });
});

/** A connection that holds the socket without a complete request: what it was sent back, and when it was closed. */
async function holder(path: string): Promise<{ received: () => string; closed: Promise<void>; write(s: string): void; destroy(): void }> {
  const s = connect(path);
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  s.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    s.once('connect', resolve);
    s.once('error', reject);
  });
  return { received: () => text, closed, write: (b) => void (s.destroyed ? undefined : s.write(b)), destroy: () => s.destroy() };
}

t.test('a connection without a complete request line is answered TIMEOUT and closed, however slowly it trickles', async (t) => {
  const dir = await tempDir(t);
  const limits = { timers: globalTimers, requestTimeoutMs: 300, maxConnections: 8 };
  const server = await startControlServer({ dataDir: dir, handle: async () => ({ fine: true }), ...limits });
  t.teardown(() => server.close());
  const silent = await holder(server.path);
  const slow = await holder(server.path);
  slow.write('{"op":"sta');
  const trickle = setInterval(() => slow.write(' '), 50);
  t.teardown(() => clearInterval(trickle));
  t.teardown(() => (silent.destroy(), slow.destroy()));
  await silent.closed;
  await slow.closed;
  clearInterval(trickle);
  for (const [name, c] of [['silent', silent], ['trickling', slow]] as const) {
    t.match(JSON.parse(c.received()), { ok: false, error: { code: 'TIMEOUT', message: 'no complete request line within 300 ms; closed' } }, name);
  }
  t.same(await controlRequest(dir, { op: 'status' }, globalTimers), { fine: true }, 'a real request still works');
});

t.test('connections beyond maxConnections are answered BUSY at once; the others are let go by the request timeout', async (t) => {
  const dir = await tempDir(t);
  const limits = { timers: globalTimers, requestTimeoutMs: 500, maxConnections: 4 };
  const server = await startControlServer({ dataDir: dir, handle: async () => ({ fine: true }), ...limits });
  t.teardown(() => server.close());
  const held = await Promise.all([1, 2, 3, 4].map(() => holder(server.path)));
  t.teardown(() => held.forEach((h) => h.destroy()));
  const extra = await holder(server.path);
  await extra.closed;
  t.match(JSON.parse(extra.received()), { ok: false, error: { code: 'BUSY', message: 'too many control connections (4 open, at most 4); try again' } });
  await Promise.all(held.map((h) => h.closed));
  t.same(await controlRequest(dir, { op: 'status' }, globalTimers), { fine: true }, 'once they are let go, a technician gets in');
});
