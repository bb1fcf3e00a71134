// The CLI as a user runs it: one clear line for each mistake, exit 2, no stack trace.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

/** Only a safety kill for a hung child: on a loaded shared machine one Node start can take many seconds. */
const CLI_KILL_MS = 90_000;

const good = { hall: 'hall-1', device: 'kiosk-1', board: 'sim', dataDir: './data', roles: { sys: {} } };

async function check(dir: string, name: string, content: string) {
  const file = join(dir, name);
  await writeFile(file, content);
  return { file, ...(await runCli(['config', 'check', file], CLI_KILL_MS)) };
}

t.test('config check accepts a good file and names what it found', async (t) => {
  const dir = await tempDir(t);
  const r = await check(dir, 'good.json', JSON.stringify(good));
  t.equal(r.code, 0);
  t.match(r.stdout, /ok \(hall hall-1, device kiosk-1, board sim, roles sys\)/);
});

t.test('a valid config with something a hall device rarely should do: exit 0, and one warning line each', async (t) => {
  const dir = await tempDir(t);
  const risky = { ...good, broker: { url: 'mqtts://broker.hall.local:8883', rejectUnauthorized: false }, io: { serial: { rs485: { path: '/tmp/rs485-link' } } } };
  const r = await check(dir, 'risky.json', JSON.stringify(risky));
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /risky\.json: ok \(hall hall-1/);
  const lines = r.stderr.trim().split('\n');
  t.match(lines, [
    /risky\.json: warning: field \/broker\/ca: not set: /,
    /risky\.json: warning: field \/broker\/rejectUnauthorized: false: the broker's certificate is not checked/,
    /risky\.json: warning: field \/io\/serial\/rs485\/path: "\/tmp\/rs485-link" is not under \/dev\/: .*right only for a symlink to one/,
    /risky\.json: warning: field \/security\/serverPublicKey: not set: /,
  ]);
  t.equal(lines.length, 4, 'one line each');
});

t.test('each user mistake is one line naming file, field and expectation', async (t) => {
  const dir = await tempDir(t);
  const cases: [string, string, RegExp][] = [
    ['bad-json.json', '{"hall": "h",\n  "device": }', /bad-json\.json: not valid JSON: .*line 2/],
    ['wrong-type.json', JSON.stringify({ ...good, broker: { url: 5 } }), /wrong-type\.json: field \/broker\/url: expected string, found 5$/m],
    ['bad-name.json', JSON.stringify({ ...good, device: 'Kiosk_1' }), /bad-name\.json: field \/device: expected this device id.*found "Kiosk_1"/],
    ['no-hall.json', JSON.stringify({ ...good, hall: undefined }), /no-hall\.json: field \/hall: missing; expected the hall id/],
    ['bad-role.json', JSON.stringify({ ...good, roles: { printer: {} } }), /bad-role\.json: field \/roles\/printer: unknown key "printer"; expected one of sys, ticket-printer, evaluator, caller/],
    ['array.json', '[]', /array\.json: expected a JSON object/],
    ['backoff.json', JSON.stringify({ ...good, broker: { reconnectMinMs: 5000, reconnectMaxMs: 1000 } }), /field \/broker\/reconnectMaxMs: expected at least reconnectMinMs \(5000\), found 1000/],
  ];
  for (const [name, content, expected] of cases) {
    const r = await check(dir, name, content);
    t.equal(r.code, 2, `${name}: exit 2`);
    t.match(r.stderr, expected, `${name}: message`);
    t.equal(r.stderr.trim().split('\n').length, 1, `${name}: one line`);
    t.notMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
  const missing = await runCli(['run', '--config', join(dir, 'nope.json')], CLI_KILL_MS);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /nope\.json: no such file/);
});

t.test('config check also checks the io section against the board and the roles against the parts', async (t) => {
  const dir = await tempDir(t);
  const kiosk = {
    ...good,
    io: {
      inputs: { 'btn-a': { pin: 'GPIO17' }, 'btn-b': { pin: 'GPIO17' } },
      serial: { 'printer-port': { path: '/dev/ttyUSB0' } },
      printers: { main: { serial: 'printer-port', tcp: { host: '10.0.0.9' } } },
    },
    roles: { sys: {}, 'ticket-printer': { printer: 'main', categories: [{ id: 'a', name: '甲', prefix: 'A' }] } },
  };
  const transport = await check(dir, 'transport.json', JSON.stringify(kiosk));
  t.equal(transport.code, 2);
  t.match(transport.stderr, /transport\.json: field \/io: io\.printers\.main: give exactly one transport/);
  const io = await check(dir, 'io.json', JSON.stringify({ ...kiosk, io: { ...kiosk.io, printers: { main: { serial: 'printer-port' } }, scanners: { desk: { serial: 'nope' } } } }));
  t.equal(io.code, 2);
  const ioLines = io.stderr.trim().split('\n');
  t.equal(ioLines.length, 2, 'every problem, one line each');
  t.ok(ioLines.every((l) => l.startsWith(`${io.file}: field /io: `)), 'each names the file and the field');
  t.match(io.stderr, /line 17 is used twice/);
  t.match(io.stderr, /serial part "nope" is not in io\.serial/);

  const role = {
    ...kiosk,
    io: { inputs: { 'btn-a': { pin: 'GPIO17' } }, serial: { 'printer-port': { path: '/dev/ttyUSB0' } }, printers: { main: { serial: 'printer-port' } } },
    roles: {
      sys: {},
      'ticket-printer': {
        printer: 'main',
        categories: [
          { id: 'a', name: '甲', prefix: 'A' },
          { id: 'b', name: '乙', prefix: 'A' },
        ],
        buttons: [{ input: 'btn-x', category: 'a' }],
      },
    },
  };
  const r = await check(dir, 'role.json', JSON.stringify(role));
  t.equal(r.code, 2);
  t.match(r.stderr, /role\.json: field \/roles\/ticket-printer\/categories\/1\/prefix: "A" is also the prefix of a/);
  t.match(r.stderr, /role\.json: field \/roles\/ticket-printer\/buttons\/0\/input: no input "btn-x" in io\.inputs \(have btn-a\)/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');

  const fixed = await check(dir, 'fixed.json', JSON.stringify({ ...role, roles: { sys: {}, 'ticket-printer': { printer: 'main', categories: [{ id: 'a', name: '甲', prefix: 'A' }], buttons: [{ input: 'btn-a', category: 'a' }] } } }));
  t.equal(fixed.code, 0, fixed.stderr);
  t.match(fixed.stdout, /roles sys, ticket-printer/);
});

t.test('version, help and unknown commands', async (t) => {
  const v = await runCli(['--version'], CLI_KILL_MS);
  t.equal(v.code, 0);
  t.match(v.stdout, /^\d+\.\d+\.\d+/);
  const h = await runCli(['--help'], CLI_KILL_MS);
  t.equal(h.code, 0);
  t.match(h.stdout, /run \[options\]/);
  t.match(h.stdout, /demo \[options\]/);
  t.match(h.stdout, /HALLD_LOG/, 'help says how to set the log level');
  t.match(h.stdout, /Exit status: 0 ok/, 'help lists the exit statuses');
  const runHelp = await runCli(['run', '--help'], CLI_KILL_MS);
  t.match(runHelp.stdout, /--log-level <level>/);
  t.match(runHelp.stdout, /--log <format>/);
  const u = await runCli(['fly'], CLI_KILL_MS);
  t.equal(u.code, 2);
  t.match(u.stderr, /unknown command 'fly'/);
  const p = await runCli(['demo', '--port', 'abc'], CLI_KILL_MS);
  t.equal(p.code, 2);
  t.match(p.stderr, /--port: expected a port number/);
});

t.test('config schema prints a JSON Schema', async (t) => {
  const r = await runCli(['config', 'schema'], CLI_KILL_MS);
  t.equal(r.code, 0);
  const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; required: string[] };
  t.ok(schema.properties['broker']);
  t.ok(schema.properties['roles']);
  t.ok(schema.required.includes('hall'));
});
