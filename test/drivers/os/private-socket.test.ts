// The private unix socket both the daemon's control socket and the sim board's socket use:
// owner-only whatever the process umask, a dead process's socket replaced, a regular file of
// the same name never removed.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { listenPrivate } from '../../../drivers/os/private-socket.js';
import { tempDir } from '../../../testkit/temp.js';
import { waitFor } from '../../../testkit/wait.js';

t.test('mode 0600 under a process umask of 0', async (t) => {
  const dir = await tempDir(t, 'halld-sock-');
  const path = join(dir, 's.sock');
  const old = process.umask(0);
  t.teardown(() => void process.umask(old));
  const server = createServer((s) => s.end('hi\n'));
  const socket = await listenPrivate(server, path);
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.equal(process.umask(), 0, 'the process umask is given back');
  const reply = await new Promise<string>((resolve, reject) => {
    const c = connect(path);
    let text = '';
    c.on('data', (d) => (text += d.toString()));
    c.on('end', () => resolve(text));
    c.on('error', reject);
  });
  t.equal(reply, 'hi\n', 'the owner connects');
  await socket.close();
  t.notOk(existsSync(path), 'closing removes the socket file');
});

t.test('a socket left by a killed process is replaced', async (t) => {
  const dir = await tempDir(t, 'halld-sock-');
  const path = join(dir, 's.sock');
  const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)})`], { stdio: 'ignore' });
  await waitFor('the child listening', () => existsSync(path), 10_000, 20);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  t.ok(statSync(path).isSocket(), 'the dead process left its socket file');
  const server = createServer();
  const socket = await listenPrivate(server, path);
  t.teardown(() => socket.close());
  t.ok(server.listening);
});

t.test('a regular file at the path is an error and stays', async (t) => {
  const dir = await tempDir(t, 'halld-sock-');
  const path = join(dir, 's.sock');
  await writeFile(path, 'not a socket');
  const server = createServer();
  await t.rejects(listenPrivate(server, path), { code: 'EADDRINUSE' });
  t.equal(await readFile(path, 'utf8'), 'not a socket');
  t.notOk(server.listening);
});
