// The evaluator role's messages (评价器, docs/protocol.md "Role messages"): the `data` of its
// commands and events. TypeScript types here, JSON Schema files in protocol/schema/evaluator/
// via `npm run schema`. Levels follow the national 好差评 scale: 5 = 非常满意 … 1 = 非常不满意.
import { Type, type Static } from '@sinclair/typebox';
import { defineContract } from './contract.js';

export const LEVEL_NAMES = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;
export const LEVEL_NAMES_EN = { 5: 'Very satisfied', 4: 'Satisfied', 3: 'Fair', 2: 'Dissatisfied', 1: 'Very dissatisfied' } as const;
export type RatingLevel = 1 | 2 | 3 | 4 | 5;
/** Levels at which the citizen must say what went wrong (at least one item). */
export const LOW_LEVELS: readonly RatingLevel[] = [1, 2];
/** 评价渠道 of a rating given on the hall's device. */
export const CHANNEL = '实体大厅/评价器';

export const Level = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal(5)], {
  description: '5 = 非常满意, 4 = 满意, 3 = 基本满意, 2 = 不满意, 1 = 非常不满意',
});
const CaseId = Type.String({ minLength: 1, maxLength: 64, description: 'the business system\'s case (办件) id' });
const Text = (max: number, description?: string) => Type.String({ maxLength: max, ...(description ? { description } : {}) });
const ItemId = Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'rating item id from the content' });

export const RatingItem = Type.Object(
  { id: ItemId, name: Type.String({ minLength: 1, maxLength: 40, description: 'shown to the citizen, e.g. 服务态度' }), nameEn: Type.Optional(Text(60, 'English name shown after the language switch')) },
  { additionalProperties: false, description: 'one thing the citizen can tick, e.g. 服务态度' },
);
export type RatingItem = Static<typeof RatingItem>;

export const RatingContent = Type.Object(
  {
    version: Type.String({ minLength: 1, maxLength: 32, description: 'content version set by the province\'s system' }),
    levels: Type.Object(
      {
        '1': Type.Array(RatingItem, { maxItems: 32, description: '非常不满意: what went wrong (at least one)' }),
        '2': Type.Array(RatingItem, { maxItems: 32, description: '不满意: what went wrong (at least one)' }),
        '3': Type.Array(RatingItem, { maxItems: 32, description: '基本满意: optional items' }),
        '4': Type.Array(RatingItem, { maxItems: 32, description: '满意: optional items' }),
        '5': Type.Array(RatingItem, { maxItems: 32, description: '非常满意: optional items' }),
      },
      { additionalProperties: false, description: 'items offered per level (1..5); levels 1 and 2 need at least one' },
    ),
  },
  { additionalProperties: false, $id: 'EvaluatorContent', description: 'cmd/evaluator/content data: the versioned rating items; the device never edits them' },
);
export type RatingContent = Static<typeof RatingContent>;

export const RequestCommand = Type.Object(
  {
    caseId: CaseId,
    matterCode: Type.Optional(Text(64, 'matter (事项) code')),
    matterName: Type.Optional(Text(100, 'matter name shown to the citizen')),
    ticket: Type.Optional(Text(16, 'the queue ticket number of the case')),
    staffId: Type.String({ minLength: 1, maxLength: 64 }),
    window: Type.String({ minLength: 1, maxLength: 32 }),
    contentVersion: Type.String({ minLength: 1, maxLength: 32, description: 'the content version the rating is for' }),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 5_000, maximum: 3_600_000, description: 'no answer in this time: rating.expired' })),
  },
  { additionalProperties: false, $id: 'EvaluatorRequest', description: 'cmd/evaluator/request data: ask the citizen to rate one case (a case already rated answers with its rating)' },
);
export type RequestCommand = Static<typeof RequestCommand>;

export const CancelCommand = Type.Object({ caseId: CaseId }, { additionalProperties: false, $id: 'EvaluatorCancel', description: 'cmd/evaluator/cancel data' });

export const StaffCommand = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 40 }),
    number: Type.String({ minLength: 1, maxLength: 32, description: 'staff number (工号)' }),
    photo: Type.Optional(Type.String({ maxLength: 400_000, description: 'data:image/(png|jpeg|webp);base64,… or an http(s) URL on the hall server' })),
    window: Type.String({ minLength: 1, maxLength: 32 }),
    starLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'star rating of the staff member, if the hall shows one' })),
    matters: Type.Array(Text(100), { maxItems: 50, description: 'matters this window handles' }),
    guide: Type.Array(Text(300), { maxItems: 20, description: 'pages of a short guide the citizen can page through' }),
  },
  { additionalProperties: false, $id: 'EvaluatorStaff', description: 'cmd/evaluator/staff data: who serves at this window now' },
);
export type StaffCommand = Static<typeof StaffCommand>;

export const PauseCommand = Type.Object({ reason: Type.Optional(Text(200)) }, { additionalProperties: false, $id: 'EvaluatorPause', description: 'cmd/evaluator/pause data: 暂停服务 (kept across restarts)' });
export const ResumeCommand = Type.Object({}, { additionalProperties: false, $id: 'EvaluatorResume', description: 'cmd/evaluator/resume data' });

export const RatingSubmitted = Type.Object(
  {
    ratingId: Type.String(),
    caseId: CaseId,
    matterCode: Type.Optional(Type.String()),
    ticket: Type.Optional(Type.String()),
    staffId: Type.String(),
    window: Type.String(),
    level: Level,
    levelName: Type.String({ description: 'the level\'s national name, e.g. 满意' }),
    items: Type.Array(ItemId, { description: 'ids of the items ticked (at least one for levels 1 and 2)' }),
    contentVersion: Type.String(),
    channel: Type.Literal(CHANNEL),
    requestedAt: Type.Integer({ minimum: 0, description: 'epoch ms the request reached the device' }),
    answeredAt: Type.Integer({ minimum: 0, description: 'epoch ms the citizen confirmed' }),
    offline: Type.Boolean({ description: 'the link was down when the citizen confirmed' }),
  },
  { $id: 'EvaluatorRatingSubmitted', description: 'evt/evaluator/rating.submitted data: committed with the rating before the thank-you shows; one per case' },
);
export type RatingSubmitted = Static<typeof RatingSubmitted>;

export const RatingExpired = Type.Object({ caseId: CaseId }, { $id: 'EvaluatorRatingExpired', description: 'evt/evaluator/rating.expired data: no answer within the timeout' });
export const RatingCancelled = Type.Object({ caseId: CaseId }, { $id: 'EvaluatorRatingCancelled', description: 'evt/evaluator/rating.cancelled data: the server cancelled the request' });

export const evaluatorContract = defineContract({
  role: 'evaluator',
  events: { 'rating.submitted': RatingSubmitted, 'rating.expired': RatingExpired, 'rating.cancelled': RatingCancelled },
  commands: { request: RequestCommand, cancel: CancelCommand, staff: StaffCommand, content: RatingContent, pause: PauseCommand, resume: ResumeCommand },
  requests: {},
});
export type EvaluatorContract = typeof evaluatorContract;
