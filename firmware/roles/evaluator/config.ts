// The evaluator section of the device config: the touch page, timings, optional physical
// buttons with their LEDs, and the rating content (versioned items per level) until the
// province's system pushes a newer one with cmd `content`.
import { Type, type Static } from '@sinclair/typebox';
import { Level, LOW_LEVELS, RatingContent } from '../../../protocol/evaluator.js';
import { PART_NAME_PATTERN } from '../../../drivers/hal/types.js';


/** 线下评价 items of the national rules, used until the config or the server gives content. */
export const DEFAULT_CONTENT: Static<typeof RatingContent> = {
  version: 'builtin-1',
  levels: {
    '5': [],
    '4': [],
    '3': [],
    '2': [
      { id: 'efficiency', name: '服务效率', nameEn: 'Efficiency' },
      { id: 'skill', name: '服务水平', nameEn: 'Competence' },
      { id: 'attitude', name: '服务态度', nameEn: 'Attitude' },
    ],
    '1': [
      { id: 'efficiency', name: '服务效率', nameEn: 'Efficiency' },
      { id: 'skill', name: '服务水平', nameEn: 'Competence' },
      { id: 'attitude', name: '服务态度', nameEn: 'Attitude' },
    ],
  },
};

export const EvaluatorConfigSchema = Type.Object(
  {
    page: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'serve the touch page' }),
        host: Type.String({ default: '127.0.0.1', description: 'address the page is served on (the screen is on this board)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8081, description: '0 = any free port (tests)' }),
        idleMs: Type.Integer({ minimum: 1000, default: 30_000, description: 'an untouched item list goes back to the five levels after this long' }),
      },
      { default: {}, description: 'the touch page' },
    ),
    thankYouMs: Type.Integer({ minimum: 500, maximum: 60_000, default: 5000, description: 'the thank-you screen shows this long, then the staff card' }),
    ratingTimeoutMs: Type.Integer({ minimum: 5000, maximum: 3_600_000, default: 120_000, description: 'a request without timeoutMs expires after this long' }),
    buttons: Type.Array(
      Type.Object(
        {
          input: Type.String({ pattern: PART_NAME_PATTERN, description: 'the io.inputs part of the button' }),
          level: Level,
          items: Type.Array(Type.String(), { default: [], description: 'items a press reports (levels 1 and 2 need one: a button cannot ask)' }),
        },
        { additionalProperties: false },
      ),
      { default: [], maxItems: 5, description: 'physical level buttons' },
    ),
    leds: Type.Array(
      Type.Object({ output: Type.String({ pattern: PART_NAME_PATTERN, description: 'the io.outputs part of the LED' }), level: Level }, { additionalProperties: false }),
      { default: [], maxItems: 5, description: 'one LED per level button: all blink while a rating is requested, the pressed one lights' },
    ),
    display: Type.Optional(Type.String({ pattern: PART_NAME_PATTERN, description: 'the io.displays part (a small OLED) that shows the state: staff, the five levels, thanks, 暂停服务' })),
    blinkMs: Type.Integer({ minimum: 100, maximum: 5000, default: 500, description: 'LED blink half-period' }),
    content: Type.Optional({ ...RatingContent, description: 'rating items per level; a newer `content` command replaces them' }),
  },
  { additionalProperties: false, description: 'the evaluator (评价器): staff card, five-level rating per case' },
);
export type EvaluatorConfig = Static<typeof EvaluatorConfigSchema>;

/** Problems a schema cannot express. */
export function configProblems(config: EvaluatorConfig): string[] {
  const problems: string[] = [];
  const content = config.content ?? DEFAULT_CONTENT;
  problems.push(...contentProblems(content).map((p) => `/content${p}`));
  const seen = new Set<number>();
  for (const [i, b] of config.buttons.entries()) {
    if (seen.has(b.level)) problems.push(`/buttons/${i}/level: level ${b.level} has two buttons`);
    seen.add(b.level);
    const offered = content.levels[String(b.level) as '1'].map((x) => x.id);
    for (const [j, item] of b.items.entries()) if (!offered.includes(item)) problems.push(`/buttons/${i}/items/${j}: "${item}" is not an item of level ${b.level} (have ${offered.join(', ') || 'none'})`);
    if (LOW_LEVELS.includes(b.level) && b.items.length === 0) problems.push(`/buttons/${i}/items: a level-${b.level} button must name at least one item (a low rating needs a reason)`);
  }
  return problems;
}

/** Problems of rating content (also checked on cmd `content`). */
export function contentProblems(content: Static<typeof RatingContent>): string[] {
  const problems: string[] = [];
  for (const level of LOW_LEVELS) if (content.levels[String(level) as '1'].length === 0) problems.push(`/levels/${level}: a low level must offer at least one item`);
  for (const [level, items] of Object.entries(content.levels)) {
    const ids = new Set<string>();
    for (const [i, item] of items.entries()) {
      if (ids.has(item.id)) problems.push(`/levels/${level}/${i}/id: "${item.id}" is used twice`);
      ids.add(item.id);
    }
  }
  return problems;
}
