// The timeZone check takes a canonical name from ICU's list without building a formatter (the
// first formatter costs every start ~45 ms and ~8 MB, docs/performance.md); every other
// spelling the formatter accepts is still accepted, and a zone ICU does not know is refused.
import t from 'tap';
import { checkParsed } from '../../firmware/config/load.js';
import { ROLE_MODULES } from '../../firmware/roles/index.js';

const base = { hall: 'h1', device: 'd1', board: 'sim', dataDir: '/tmp/unused', roles: { sys: {} } };

function zoneProblems(timeZone: string): string[] {
  return checkParsed({ ...base, timeZone }, '/tmp', ROLE_MODULES).problems.filter((p) => p.field === '/timeZone').map((p) => p.message);
}

t.test('canonical zones, aliases and other spellings Intl accepts pass', async (t) => {
  for (const zone of ['Asia/Shanghai', 'Asia/Urumqi', 'Europe/Berlin', 'UTC', 'Etc/GMT-8', 'Asia/Calcutta', 'asia/shanghai', 'PRC']) {
    t.same(zoneProblems(zone), [], zone);
  }
});

t.test('a zone ICU does not know is refused with its name', async (t) => {
  t.same(zoneProblems('Mars/Olympus'), ['"Mars/Olympus" is not an IANA time zone (e.g. Asia/Shanghai)']);
  t.same(zoneProblems('Asia/Shanghai '), ['"Asia/Shanghai " is not an IANA time zone (e.g. Asia/Shanghai)']);
  t.same(zoneProblems(''), ['"" is not an IANA time zone (e.g. Asia/Shanghai)']);
});
