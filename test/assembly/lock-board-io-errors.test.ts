// A mistake in a lock board's entry reads as one sentence about lock boards, whichever way the
// config arrives: through the device config check, or straight into createHal's io parser.
import t from 'tap';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { parseIoConfig, IoConfigError } from '../../assembly/resolve-io.js';

const serial = { rs485: { path: '/dev/ttyUSB0' } };

function configError(lockBoard: unknown): string {
  try {
    parseConfig({ hall: 'h', device: 'd', dataDir: '/tmp/halld-never-used', broker: { url: 'mqtt://127.0.0.1' }, io: { serial, lockBoards: { cab: lockBoard } }, roles: { sys: {} } });
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
}

function ioIssues(lockBoard: unknown): readonly string[] {
  try {
    parseIoConfig({ serial, lockBoards: { cab: lockBoard } });
  } catch (err) {
    if (err instanceof IoConfigError) return err.issues;
    throw err;
  }
  return [];
}

t.test('a lock board that is not an object says what a lock board entry is', async (t) => {
  const message = configError('8a80');
  t.notMatch(message, 'an object or an object', 'no undescribed union');
  t.match(message, /\/io\/lockBoards\/cab: expected .*lock/, 'names the lock board entry');
});

t.test('a protocol typo given straight to the io parser lists the families', async (t) => {
  const issues = ioIssues({ serial: 'rs485', protocol: '8a8O', address: 1, locks: 12 });
  t.equal(issues.length, 1, issues.join(' | '));
  t.match(issues[0], /io\.lockBoards\.cab\.protocol: .*8a80.*kerong-cu.*gpio.*"8a8O"/);
});
