// One window's rating desk: at most one open case, its timeout, and the one rating it may
// get. The page and the buttons both call rate(); whichever comes first wins, everything
// after it is refused (or answered with the stored rating). A rating's row and its event go
// to disk in one transaction before the thank-you shows.
import { CHANNEL, LEVEL_NAMES, LEVEL_NAMES_EN, LOW_LEVELS, type EvaluatorContract, type RatingContent, type RatingLevel, type RatingSubmitted, type RequestCommand, type StaffCommand } from '../../../protocol/evaluator.js';
import { newId } from '../../../protocol/ids.js';
import type { TimerHandle } from '../../../drivers/clock/timers.js';
import type { RoleContext } from '../role-module.js';
import type { Statement } from '../../store/store.js';
import { PageChannel } from '../../pages/page-channel.js';
import { DEFAULT_CONTENT, type EvaluatorConfig } from './config.js';
import type { OpenCase, PauseState, RatingStore } from './rating-store.js';
import type { EvaluatorView, RateRefusal, RateResult } from './page/evaluator-view.js';

export type RequestOutcome = { state: 'open'; caseId: string; superseded?: string } | { state: 'rated'; rating: RatingSubmitted };

export class RatingDesk {
  private open: OpenCase | undefined;
  private timer: TimerHandle | undefined;
  private thanksTimer: TimerHandle | undefined;
  private thanks: { level: RatingLevel } | null = null;
  private submitting = false;
  /** More of the retained state (the page URL), set by the running instance. */
  stateExtras: () => Record<string, unknown> = () => ({});
  /** The photo the page may show for the staff command's `photo` (a URL's cached copy), set by the running instance. */
  photoOf: (photo: string) => string | undefined = (photo) => photo;
  private rev = 0;
  private readonly views = new PageChannel<EvaluatorView>();
  /** Open/closed news for the LEDs. */
  readonly cases = new PageChannel<{ open: boolean; level?: RatingLevel }>();

  private constructor(
    private readonly ctx: RoleContext<EvaluatorContract>,
    public config: EvaluatorConfig,
    private readonly records: RatingStore,
    private staff: StaffCommand | undefined,
    private pushedContent: RatingContent | undefined,
    private paused: PauseState | undefined,
  ) {}

  static async load(ctx: RoleContext<EvaluatorContract>, config: EvaluatorConfig, records: RatingStore): Promise<RatingDesk> {
    const desk = new RatingDesk(ctx, config, records, await records.setting('staff'), await records.setting('content'), await records.setting('paused'));
    const open = await records.openCase();
    // A restart mid-rating: the case is shown again until its own deadline.
    if (open) desk.startCase(open);
    return desk;
  }

  /** The content shown: the pushed one, else the config's, else the built-in 线下评价 items. */
  get content(): RatingContent {
    return this.pushedContent ?? this.config.content ?? DEFAULT_CONTENT;
  }

  get openCaseId(): string | undefined {
    return this.open?.request.caseId;
  }

  get isPaused(): boolean {
    return this.paused !== undefined;
  }

  async request(req: RequestCommand, cmd: { record(s: Statement): void; emit(name: 'rating.cancelled', data: { caseId: string }): void }): Promise<RequestOutcome> {
    const rated = await this.records.rating(req.caseId);
    if (rated) return { state: 'rated', rating: rated };
    if (this.open?.request.caseId === req.caseId) return { state: 'open', caseId: req.caseId };
    const superseded = this.open?.request.caseId;
    if (superseded !== undefined) {
      // The window moved on to the next case: the unrated one is withdrawn, in the same transaction.
      cmd.record(this.records.closeStatement(superseded, 'cancelled'));
      cmd.emit('rating.cancelled', { caseId: superseded });
      this.closeCase();
    }
    const now = this.ctx.clock.bestGuess();
    const c: OpenCase = { request: req, requestedAt: now, deadline: now + (req.timeoutMs ?? this.config.ratingTimeoutMs) };
    cmd.record(this.records.openStatement(c));
    if (req.contentVersion !== this.content.version) this.ctx.log.warn({ asked: req.contentVersion, have: this.content.version }, 'rating request for another content version: the device offers its own');
    this.startCase(c);
    return superseded !== undefined ? { state: 'open', caseId: req.caseId, superseded } : { state: 'open', caseId: req.caseId };
  }

  /** Server cancel: false when the case is not the open one. */
  cancel(caseId: string): boolean {
    if (this.open?.request.caseId !== caseId) return false;
    this.closeCase();
    return true;
  }

  cancelStatement(caseId: string) {
    return this.records.closeStatement(caseId, 'cancelled');
  }

  async rate(caseId: string, level: RatingLevel, items: string[]): Promise<RateResult> {
    const open = this.open;
    if (this.submitting) return refuse('busy');
    if (!open || open.request.caseId !== caseId) {
      const stored = await this.records.rating(caseId);
      if (!stored) return refuse('no-case');
      // A late tap (a second screen, a page that missed the news): the citizen sees what was
      // stored, unless the window has moved on to another case or paused.
      if (!this.open && !this.paused) {
        this.cases.emit({ open: false, level: stored.level });
        this.showThanks(stored.level);
      }
      return { ok: true, rating: stored, already: true };
    }
    if (this.paused) return refuse('paused');
    const offered = this.content.levels[String(level) as '1'].map((i) => i.id);
    const unknown = items.find((i) => !offered.includes(i));
    if (unknown !== undefined) return refuse('unknown-item');
    if (LOW_LEVELS.includes(level) && items.length === 0) return refuse('item-required');
    const { request } = open;
    const event: RatingSubmitted = {
      ratingId: newId('r'),
      caseId,
      ...(request.matterCode !== undefined ? { matterCode: request.matterCode } : {}),
      ...(request.ticket !== undefined ? { ticket: request.ticket } : {}),
      staffId: request.staffId,
      window: request.window,
      level,
      levelName: LEVEL_NAMES[level],
      items: [...new Set(items)],
      contentVersion: this.content.version,
      channel: CHANNEL,
      requestedAt: open.requestedAt,
      answeredAt: this.ctx.clock.bestGuess(),
      offline: !this.ctx.link.connected,
    };
    this.submitting = true;
    try {
      await this.ctx.link.emit('rating.submitted', event, { statements: [this.records.ratingStatement(event), this.records.closeStatement(caseId, 'rated')] });
    } catch (err) {
      const stored = await this.records.rating(caseId).catch(() => undefined);
      if (stored) {
        // Rated beside this desk: the case is over, with the stored level.
        this.closeCase(stored.level, false);
        this.showThanks(stored.level);
        return { ok: true, rating: stored, already: true };
      }
      this.ctx.log.error({ err: (err as Error).message, caseId }, 'rating not recorded');
      return refuse('storage');
    } finally {
      this.submitting = false;
    }
    // One view and one retained state for the close and the thank-you, told on the next tick:
    // the page's answer (written when this returns, in the same run of promise jobs) is what the
    // citizen waits for, and it needs only the commit; the state is already the thank-you's.
    this.closeCase(level, false);
    this.showThanks(level, false);
    process.nextTick(() => this.changed());
    return { ok: true, rating: event, already: false };
  }

  /** The thank-you screen for `level`, then back to the staff card after thankYouMs. `tell` false: the caller tells. */
  private showThanks(level: RatingLevel, tell = true): void {
    this.thanks = { level };
    this.ctx.timers.clearTimeout(this.thanksTimer);
    this.thanksTimer = this.ctx.timers.setTimeout(() => {
      this.thanks = null;
      this.cases.emit({ open: false });
      this.changed();
    }, this.config.thankYouMs);
    if (tell) this.changed();
  }

  setStaff(staff: StaffCommand): void {
    this.staff = staff;
    this.changed();
  }

  setContent(content: RatingContent): void {
    this.pushedContent = content;
    this.changed();
  }

  setPaused(p: PauseState | undefined): void {
    this.paused = p;
    this.changed();
  }

  view(): EvaluatorView {
    const open = this.open?.request;
    const screen = this.paused ? 'paused' : this.thanks ? 'thanks' : open ? 'rating' : 'idle';
    return {
      rev: this.rev,
      screen,
      online: this.ctx.link.connected,
      idleMs: this.config.page.idleMs,
      thanksMs: this.config.thankYouMs,
      pausedReason: this.paused?.reason ?? null,
      staff: this.staff ? this.staffForPage(this.staff) : null,
      case: open
        ? { caseId: open.caseId, matterName: open.matterName ?? null, ticket: open.ticket ?? null, staffId: open.staffId, window: open.window }
        : null,
      thanks: this.thanks ? { level: this.thanks.level, name: LEVEL_NAMES[this.thanks.level], nameEn: LEVEL_NAMES_EN[this.thanks.level] } : null,
      contentVersion: this.content.version,
      levels: ([5, 4, 3, 2, 1] as const).map((level) => ({
        level,
        name: LEVEL_NAMES[level],
        nameEn: LEVEL_NAMES_EN[level],
        needsItem: LOW_LEVELS.includes(level),
        items: this.content.levels[String(level) as '1'].map((i) => ({ id: i.id, name: i.name, nameEn: i.nameEn ?? '' })),
      })),
    };
  }

  private staffForPage(staff: StaffCommand): StaffCommand {
    const { photo, ...rest } = staff;
    const shown = photo === undefined ? undefined : this.photoOf(photo);
    return shown === undefined ? rest : { ...rest, photo: shown };
  }

  /** Who sits at the window now (as the server sent it). */
  get staffCommand(): StaffCommand | undefined {
    return this.staff;
  }

  onView(listener: (view: EvaluatorView) => void): () => void {
    return this.views.on(listener);
  }

  changed(): void {
    this.rev += 1;
    const view = this.view();
    this.views.emit(view);
    this.ctx.link.setState({ ...this.stateExtras(), screen: view.screen, case: this.openCaseId ?? null, paused: this.isPaused, contentVersion: this.content.version, staff: this.staff?.number ?? null });
  }

  stop(): void {
    this.ctx.timers.clearTimeout(this.timer);
    this.ctx.timers.clearTimeout(this.thanksTimer);
  }

  private startCase(c: OpenCase): void {
    this.open = c;
    this.thanks = null;
    this.ctx.timers.clearTimeout(this.thanksTimer);
    this.ctx.timers.clearTimeout(this.timer);
    const caseId = c.request.caseId;
    this.timer = this.ctx.timers.setTimeout(() => void this.expire(caseId), Math.max(0, c.deadline - this.ctx.clock.bestGuess()));
    this.cases.emit({ open: true });
    this.changed();
  }

  private async expire(caseId: string): Promise<void> {
    if (this.open?.request.caseId !== caseId) return;
    if (this.submitting) {
      // The citizen answered just in time; should that commit fail, the case still expires.
      this.timer = this.ctx.timers.setTimeout(() => void this.expire(caseId), 1000);
      return;
    }
    this.closeCase();
    await this.ctx.link
      .emit('rating.expired', { caseId }, { statements: [this.records.closeStatement(caseId, 'expired')] })
      .catch((err: unknown) => this.ctx.log.error({ err: (err as Error).message, caseId }, 'rating.expired not recorded'));
  }

  /** `tell` false: the caller tells the page and the server itself, right after (one view for both changes). */
  private closeCase(level?: RatingLevel, tell = true): void {
    this.ctx.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.open = undefined;
    this.cases.emit(level !== undefined ? { open: false, level } : { open: false });
    if (tell) this.changed();
  }
}

function refuse(reason: RateRefusal): RateResult {
  return { ok: false, reason, message: REFUSALS[reason] };
}

const REFUSALS: Record<RateRefusal, { zh: string; en: string }> = {
  busy: { zh: '正在提交，请稍候', en: 'Submitting, please wait' },
  'no-case': { zh: '当前没有待评价的办件', en: 'No case is waiting for a rating' },
  paused: { zh: '暂停服务', en: 'Service paused' },
  'unknown-item': { zh: '评价内容已更新，请重新选择', en: 'The rating items changed, please choose again' },
  'item-required': { zh: '请至少选择一项不满意的原因', en: 'Please choose at least one reason' },
  storage: { zh: '评价未能保存，请重试', en: 'The rating could not be saved, please try again' },
};
