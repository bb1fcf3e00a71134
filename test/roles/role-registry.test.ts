// Every place a role must appear, derived from the one list of role names (ROLES in
// protocol/topics.ts). docs/architecture.md, "Adding a role", is this test in prose: when a
// new role is added, each failing assertion below names the file that still lacks it.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES } from '../../protocol/topics.js';
import { CONTRACTS } from '../../protocol/contracts.js';
import { ROLE_MODULES } from '../../firmware/roles/index.js';
import { DEMO_DEVICES } from '../../firmware/hall/demo-devices.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const sorted = (names: Iterable<string>): string[] => [...names].sort();
/** Roles a person configures and reads about; `sys` is in every device and has no section of its own. */
const SERVICE_ROLES = ROLES.filter((r) => r !== 'sys');

t.test('code: every role has its contract, its module and its demo device', async (t) => {
  t.same(sorted(Object.keys(CONTRACTS)), sorted(ROLES), 'protocol/contracts.ts CONTRACTS (and protocol/<role>.ts)');
  t.same(sorted(ROLE_MODULES.map((m) => m.role)), sorted(ROLES), 'firmware/roles/index.ts ROLE_MODULES');
  t.same(sorted(Object.keys(DEMO_DEVICES)), sorted(ROLES), 'firmware/hall/demo-devices.ts DEMO_DEVICES');
  for (const role of ROLES) {
    t.ok(existsSync(join(REPO, 'protocol', `${role}.ts`)), `protocol/${role}.ts`);
    t.ok(existsSync(join(REPO, 'firmware/roles', role)), `firmware/roles/${role}/`);
    t.ok(existsSync(join(REPO, 'protocol/schema', role)), `protocol/schema/${role}/ (npm run schema)`);
  }
});

t.test('words: every role is named where people read the list', async (t) => {
  const description = (JSON.parse(read('package.json')) as { description: string }).description;
  const protocolDoc = read('docs/protocol.md');
  const namesLine = protocolDoc.slice(protocolDoc.indexOf('`{role}`:'), protocolDoc.indexOf('Command, event and request names'));
  const readmeSections = read('README.md').split('\n').filter((l) => l.startsWith('## '));
  const protocolSections = protocolDoc.split('\n').filter((l) => l.startsWith('## '));
  for (const role of ROLES) {
    t.ok(description.includes(role), `package.json description names ${role}`);
    t.ok(namesLine.includes(`\`${role}\``), `docs/protocol.md "Names" lists ${role}`);
  }
  for (const role of SERVICE_ROLES) {
    t.ok(readmeSections.some((l) => l.includes(`(\`${role}\``)), `README.md has a section "## … (\`${role}\`, …)"`);
    t.ok(protocolSections.some((l) => l.includes(`(\`${role}\``)), `docs/protocol.md has a section "## … (\`${role}\`, …)"`);
  }
});

t.test('pinned output: the config check lists the known roles in module order', async (t) => {
  const expected = read('test/firmware/config-corpus/18-unknown-role.expected');
  t.match(expected, `expected one of ${ROLE_MODULES.map((m) => m.role).join(', ')}`, 'test/firmware/config-corpus/18-unknown-role.expected (HALLD_UPDATE_CORPUS=1)');
});
