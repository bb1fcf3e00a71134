// HALLD_REQUIRE turns "tool missing, test skipped" into a failure, so CI cannot pass by skipping.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requiredTools } from '../../testkit/required-tools.js';

const run = promisify(execFile);
const helper = fileURLToPath(new URL('../../testkit/required-tools.js', import.meta.url));

/** A test file that needs a tool this machine lacks, run as its own tap process. */
async function fileNeedingMissingMosquitto(env: Record<string, string>) {
  const script = `import { skipWithout } from ${JSON.stringify(helper)};
import t from 'tap';
const skip = skipWithout('mosquitto', false, 'apt-get install mosquitto');
t.test('needs a real broker', { skip }, async (t) => t.pass('ran'));`;
  const { HALLD_REQUIRE: _, ...rest } = process.env;
  return run(process.execPath, ['--input-type=module', '-e', script], { env: { ...rest, ...env }, cwd: process.cwd() }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
  );
}

t.test('without HALLD_REQUIRE a missing tool skips the test and the file passes', async (t) => {
  const { code, stdout } = await fileNeedingMissingMosquitto({});
  t.equal(code, 0);
  t.match(stdout, /# SKIP mosquitto is not installed here \(apt-get install mosquitto\)/);
  t.notMatch(stdout, /not ok/);
});

t.test('with HALLD_REQUIRE=mosquitto,chromium the same file fails', async (t) => {
  const { code, stdout } = await fileNeedingMissingMosquitto({ HALLD_REQUIRE: 'mosquitto,chromium' });
  t.not(code, 0);
  t.match(stdout, /not ok 1 - mosquitto is not installed here .*HALLD_REQUIRE says the tests that need it must run/);
});

t.test('HALLD_REQUIRE is a comma-separated list; spaces and empty entries are ignored', async (t) => {
  t.same([...requiredTools({ HALLD_REQUIRE: ' mosquitto, ,chromium,zbar ' })], ['mosquitto', 'chromium', 'zbar']);
  t.same([...requiredTools({})], []);
});
