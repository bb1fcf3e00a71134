// The JSON Schema files a server team reads must cover every name in every role's contract,
// and the firmware's roles must use the same contract objects the server client is typed by.
import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contractEntries } from '../../protocol/contract.js';
import { CONTRACTS } from '../../protocol/contracts.js';
import { SCHEMA_DIR } from '../../protocol/generate-schema.js';
import { ROLE_MODULES } from '../../firmware/roles/index.js';

t.test('every contract entry has its JSON Schema file, and every file belongs to an entry', async (t) => {
  for (const contract of Object.values(CONTRACTS)) {
    const entries = contractEntries(contract);
    const expected = Object.keys(contract.events).length + Object.keys(contract.commands).length + 2 * Object.keys(contract.requests).length;
    t.equal(entries.length, expected, `${contract.role}: one file per event and command, two per request`);
    t.equal(new Set(entries.map((e) => e.file)).size, entries.length, `${contract.role}: no two entries share a file name`);
    const dir = join(SCHEMA_DIR, contract.role);
    const onDisk = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
    t.same(onDisk, entries.map((e) => `${e.file}.json`).sort(), `${contract.role}: the files in protocol/schema/${contract.role}/ are exactly the contract's`);
    for (const entry of entries) {
      const text = await readFile(join(dir, `${entry.file}.json`), 'utf8').catch(() => undefined);
      if (text === undefined) continue; // already reported by the listing above
      const { $schema: _s, $id: _id, ...file } = JSON.parse(text) as Record<string, unknown>;
      const { $id: _sid, ...schema } = JSON.parse(JSON.stringify(entry.schema)) as Record<string, unknown>;
      t.same(file, schema, `${contract.role} ${entry.kind} ${entry.name} → ${entry.file}.json`);
    }
  }
});

t.test('a request name belongs to one contract (req/{name} has no role in its topic)', async (t) => {
  const owners = new Map<string, string[]>();
  for (const contract of Object.values(CONTRACTS)) for (const name of Object.keys(contract.requests)) owners.set(name, [...(owners.get(name) ?? []), contract.role]);
  for (const [name, roles] of owners) t.equal(roles.length, 1, `${name}: declared by ${roles.join(', ')}`);
  t.ok(owners.has('ticket.take'), 'ticket.take is declared');
});

t.test('each firmware role runs on the contract the server client is typed by', async (t) => {
  for (const module of ROLE_MODULES) {
    const contract = (CONTRACTS as Record<string, unknown>)[module.role];
    t.ok(contract, `${module.role} has a contract in protocol/contracts.ts`);
    t.equal(module.contract, contract, `${module.role}: the role module's contract is the registered one`);
    t.equal(module.contract.role, module.role, `${module.role}: the contract names the same role`);
  }
});
