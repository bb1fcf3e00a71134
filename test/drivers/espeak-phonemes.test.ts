// Mandarin that is Mandarin, judged by espeak-ng itself: for every announcement the caller
// speaks (the template with ticket numbers 0–999 and windows 1–99, the speaker test's phrase),
// `espeak-ng -x` with the voice the speaker chose prints the phonemes; with the Latin letters
// taken out (a letter may rightly be read by its English name) no line may switch to another
// language: on espeak-ng 1.51 the `cmn` voice prints `(en)kI55NTr'i:55` for 请. All phrases go
// through one espeak-ng process, one line each.
import t from 'tap';
import { spawnRunner } from '../../drivers/process/command-runner.js';
import { runToCompletion } from '../../drivers/process/command-runner.js';
import { findMandarinVoice, phonemeArgs, readsAsMandarin } from '../../drivers/speaker/mandarin-voice.js';
import { announcementText } from '../../firmware/roles/caller/announcement-text.js';
import { DEFAULT_TEMPLATE } from '../../firmware/roles/caller/config.js';
import { SPEAKER_TEST_PHRASE } from '../../firmware/roles/caller/caller-diagnostics.js';
import { runs, skipWithout } from '../../testkit/required-tools.js';

const skip = skipWithout('espeak-ng', runs('espeak-ng', ['--version']), 'apt-get install espeak-ng');
const PREFIXES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every phrase the caller may speak: numbers 0–999 (as tickets A000…Z999, padded and not), each with a window of 1–99. */
function phrases(): string[] {
  const out = [SPEAKER_TEST_PHRASE];
  for (let n = 0; n < 1000; n++) {
    const prefix = PREFIXES[n % 26] ?? 'A';
    out.push(announcementText(DEFAULT_TEMPLATE, `${prefix}${String(n).padStart(3, '0')}`, String((n % 99) + 1)));
    if (n < 100) out.push(announcementText(DEFAULT_TEMPLATE, `${prefix}${n}`, String(n === 0 ? 99 : n)));
  }
  return out;
}

function withoutLatin(text: string): string {
  return text.replace(/[A-Za-z]/g, '').replace(/\s+/g, '');
}

t.test('every announcement reads as Mandarin with the chosen voice (no (en) switch)', { skip }, async (t) => {
  const chosen = await findMandarinVoice(spawnRunner);
  if (!chosen.ok) {
    t.fail(`no Mandarin voice: ${chosen.reasons.join('; ')}`);
    return;
  }
  const version = (await runToCompletion(spawnRunner, 'espeak-ng', ['--version'])).stdout.trim();
  t.comment(`${version}: voice ${chosen.voice}`);
  const lines = phrases().map(withoutLatin);
  const r = await runToCompletion(spawnRunner, 'espeak-ng', phonemeArgs(chosen.voice), lines.map((l) => `${l}。\n`).join(''));
  t.equal(r.code, 0, 'espeak-ng ran');
  const out = r.stdout.split('\n').filter((l) => l.trim() !== '');
  t.equal(out.length, lines.length, `one phoneme line per phrase (${lines.length})`);
  const english = out.flatMap((l, i) => (/\(en\)/.test(l) ? [`${lines[i]} → ${l}`] : []));
  t.same(english.slice(0, 5), [], `no line switches to English (${english.length} of ${lines.length} do)`);
  t.equal(out.filter(readsAsMandarin).length, out.length, 'every line carries Mandarin tones and no language switch');
});

t.test('the check can fail: a voice that reads characters as English is recognised', { skip }, async (t) => {
  const r = await runToCompletion(spawnRunner, 'espeak-ng', phonemeArgs('en'), '请到五号窗口办理。\n');
  t.notOk(readsAsMandarin(r.stdout), `the English voice on Chinese characters: ${r.stdout.trim().slice(0, 60)}`);
  const cmn = await runToCompletion(spawnRunner, 'espeak-ng', phonemeArgs('cmn'), '请到五号窗口办理。\n');
  t.comment(`cmn here: ${cmn.stdout.trim()}`);
  const chosen = await findMandarinVoice(spawnRunner);
  t.equal(chosen.ok && chosen.voice === 'cmn', readsAsMandarin(cmn.stdout), 'cmn is chosen exactly when it reads the characters as Mandarin (1.52), else the pinyin voice (1.51)');
});
