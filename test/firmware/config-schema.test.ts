// `halld config schema` as another language's validator sees it: a JSON Schema 2020-12 that
// ajv compiles in strict mode, that accepts the README's configs and every example config,
// refuses the broken corpus (where a schema can see the mistake), and describes every field.
// Also the README's production config: with a real key it passes `config check` and starts;
// with its placeholder key both commands print the same one line.
import t from 'tap';
import { spawn } from 'node:child_process';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { generateSigningKeys } from '../../protocol/signing.js';
import { ROLE_MODULES } from '../../firmware/roles/index.js';
import { CLI, runCli } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';

/** Only a safety kill for a hung child: on a loaded shared machine one Node start can take many seconds. */
const CLI_KILL_MS = 90_000;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORPUS = join(ROOT, 'test/firmware/config-corpus');
/** Corpus mistakes no JSON Schema can see: files, keys, the board, the data dir, cross-field rules. */
const BEYOND_SCHEMA = new Set([
  '11-backoff-ends-before-it-starts', '12-readme-placeholder-key', '13-short-base64-key', '14-rsa-key', '15-missing-ca-file',
  '16-tls-files-without-tls', '17-cert-without-key', '20-unknown-board', '21-pin-used-twice', '24-printer-two-transports',
  '25-role-names-missing-printer', '26-prefix-used-twice', '30-data-dir-is-a-file', '31-data-dir-cannot-be-created',
  '33-not-json', '39-ca-not-a-certificate', '40-several-in-role-and-data-dir',
  '41-lock-board-missing-serial', '42-lock-boards-same-address', '43-lock-boards-mixed-protocol', '44-lock-board-on-printer-port', '45-kerong-address-out-of-range',
  '47-locker-doors',
  // Not JSON text at all, or too large: the reader refuses them before any schema.
  '49-utf16', '50-trailing-comma', '51-smart-quotes', '52-full-width-punctuation', '53-file-over-1-mib', '59-gbk-not-utf8',
  '54-string-too-long', '55-two-pages-one-port', '56-serial-path-without-dev', '57-matrix-on-rpi-5', '58-kerong-address-and-locks',
  '61-id-card-reader-missing-serial', '62-id-card-reader-shares-scanner-port', '66-kiosk-id-card-reader-unknown-no-salt', '67-locker-id-card-reader-unknown',
]);

type Json = Record<string, unknown>;

async function readmeConfigs(): Promise<Json[]> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
  // A block that is a fragment ("io": ..., "roles": ...) is placed in the smallest config.
  return blocks.map((b) => (b.startsWith('{') ? (JSON.parse(b) as Json) : (JSON.parse(`{"hall":"hall-1","device":"kiosk-1","dataDir":"/var/lib/halld",${b}}`) as Json)));
}

async function schemaValidator() {
  const r = await runCli(['config', 'schema'], CLI_KILL_MS);
  const schema = JSON.parse(r.stdout) as Json;
  return { schema, validate: new Ajv2020({ allErrors: true }).compile(schema) };
}

t.test('the exported schema is JSON Schema 2020-12, strict-valid, every field described', async (t) => {
  const { schema } = await schemaValidator();
  t.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
  t.equal(schema['$id'], 'https://halld.dev/schema/device-config.json');
  t.same(schema['required'], ['hall', 'device', 'dataDir'], 'only fields without a default are required');
  t.equal(schema['additionalProperties'], false);
  const undescribed: string[] = [];
  const open: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
    if (typeof node !== 'object' || node === null) return;
    const n = node as Json;
    if (n['type'] === 'object' && n['additionalProperties'] === undefined) open.push(path || '/');
    for (const [k, v] of Object.entries((n['properties'] ?? {}) as Json)) {
      if (typeof (v as Json)['description'] !== 'string') undescribed.push(`${path}/${k}`);
      walk(v, `${path}/${k}`);
    }
    for (const k of ['items', 'prefixItems', 'anyOf', 'additionalProperties']) walk(n[k], `${path}/${k}`);
    for (const v of Object.values((n['patternProperties'] ?? {}) as Json)) walk(v, `${path}/*`);
  };
  walk(schema, '');
  t.same(undescribed, [], 'every field has a description');
  t.same(open, [], 'every object refuses unknown keys, as the loader does');
  const help = await runCli(['--help'], CLI_KILL_MS);
  // The roles come from the runtime's own list, so adding a role cannot leave --help or package.json behind.
  const roles = ROLE_MODULES.map((m) => m.role).join(', ');
  t.match(help.stdout.replace(/\s+/g, ' '), `roles: ${roles})`, '--help names the roles that exist');
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { description: string };
  t.match(pkg.description, `roles: ${roles})`, 'package.json names the roles that exist');
});

t.test("the README's configs and every example config pass the schema; the broken corpus fails it", async (t) => {
  const { validate } = await schemaValidator();
  const readme = await readmeConfigs();
  t.ok(readme.length >= 3, 'README has the minimal, production and kiosk configs');
  for (const [i, config] of readme.entries()) t.ok(validate(config), `README config ${i + 1}: ${JSON.stringify(validate.errors)}`);
  const examplesDir = join(ROOT, 'provisioning/examples');
  const examples = (await readdir(examplesDir)).filter((f) => f.endsWith('.json'));
  t.ok(examples.length >= 2);
  for (const f of examples) t.ok(validate(JSON.parse(await readFile(join(examplesDir, f), 'utf8'))), `${f}: ${JSON.stringify(validate.errors)}`);
  for (const f of (await readdir(CORPUS)).filter((f) => f.endsWith('.json'))) {
    const name = f.replace(/\.json$/, '');
    if (BEYOND_SCHEMA.has(name)) continue;
    // A byte order mark is the file's encoding, not its content (halld drops it too).
    t.notOk(validate(JSON.parse((await readFile(join(CORPUS, f), 'utf8')).replace(/^\uFEFF/, ''))), `${name} fails the schema`);
  }
});

t.test("README's production config: placeholder key refused the same by both commands; a real key passes and starts", async (t) => {
  const dir = await tempDir(t);
  const production = (await readmeConfigs()).find((c) => (c['security'] as Json | undefined)?.['serverPublicKey'] !== undefined);
  if (!production) throw new Error('README has no config with a server key');
  await copyFile(join(CORPUS, 'good-ca.pem'), join(dir, 'ca.pem'));
  const config = { ...production, dataDir: './data' };
  await writeFile(join(dir, 'placeholder.json'), JSON.stringify(config));
  const check = await runCli(['config', 'check', join(dir, 'placeholder.json')], CLI_KILL_MS);
  const run = await runCli(['run', '--config', join(dir, 'placeholder.json')], CLI_KILL_MS);
  t.equal(check.code, 2);
  t.equal(run.code, 2);
  t.equal(check.stderr.trim().split('\n').length, 1, 'one line');
  t.match(check.stderr, /field \/security\/serverPublicKey: expected an Ed25519 public key/);
  t.equal(run.stderr, check.stderr, 'run prints exactly what check prints');

  const real = { ...config, security: { serverPublicKey: generateSigningKeys().publicKeyPem } };
  await writeFile(join(dir, 'real.json'), JSON.stringify(real));
  const ok = await runCli(['config', 'check', join(dir, 'real.json')], CLI_KILL_MS);
  t.equal(ok.code, 0, ok.stderr);
  const child = spawn(process.execPath, [CLI, 'run', '--config', join(dir, 'real.json'), '--log', 'json', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  const started = await new Promise<boolean>((resolve) => {
    const see = (d: Buffer) => {
      out += d.toString();
      if (out.includes('"msg":"device started"')) resolve(true);
    };
    child.stdout.on('data', see);
    child.stderr.on('data', see);
    child.on('exit', () => resolve(false));
  });
  t.ok(started, `starts (output: ${out.slice(0, 2000)})`);
  child.kill('SIGTERM');
});
