// BCP 47 language tags to espeak-ng voice names (espeak-ng's language list, github.com/espeak-ng/espeak-ng, docs/languages: Mandarin is
// "cmn", Cantonese "yue"; most others are their ISO 639-1 code). Unknown tags fall back to
// the primary subtag, which espeak-ng resolves itself.

const VOICES: Readonly<Record<string, string>> = {
  zh: 'cmn',
  'zh-cn': 'cmn',
  'zh-sg': 'cmn',
  'zh-hans': 'cmn',
  'zh-tw': 'cmn',
  'zh-hant': 'cmn',
  cmn: 'cmn',
  'zh-hk': 'yue',
  'zh-mo': 'yue',
  yue: 'yue',
  en: 'en',
  'en-us': 'en-us',
  'en-gb': 'en-gb',
};

/** espeak-ng's default speed in words per minute (espeak-ng --help, -s). */
export const ESPEAK_DEFAULT_WPM = 175;
const MIN_WPM = 80;
const MAX_WPM = 450;

/** The espeak-ng voice for a language tag such as "zh-CN" (→ "cmn"). */
export function espeakVoice(lang: string): string {
  const tag = lang.trim().toLowerCase().replaceAll('_', '-');
  if (!/^[a-z]{2,8}(-[a-z0-9]{1,8})*$/.test(tag)) return 'cmn';
  const parts = tag.split('-');
  for (let n = parts.length; n > 0; n--) {
    const voice = VOICES[parts.slice(0, n).join('-')];
    if (voice) return voice;
  }
  return parts[0] ?? 'cmn';
}

/** Speech rate as a multiple of normal (1 = 175 wpm) to espeak-ng's -s, clamped to 80-450. */
export function espeakWordsPerMinute(rate: number | undefined): number {
  const r = rate === undefined || !Number.isFinite(rate) || rate <= 0 ? 1 : rate;
  return Math.min(MAX_WPM, Math.max(MIN_WPM, Math.round(ESPEAK_DEFAULT_WPM * r)));
}
