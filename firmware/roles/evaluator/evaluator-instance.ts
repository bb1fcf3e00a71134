// The running evaluator: its commands around one RatingDesk, and the page and buttons of the
// current config (a new config restarts those; the desk and its open case carry over).
import { evaluatorContract, type EvaluatorContract } from '../../../protocol/evaluator.js';
import { DeviceError } from '../../link/device-error.js';
import type { PageServer } from '../../pages/page-server.js';
import { roleCommands, type RoleContext, type RoleInstance } from '../role-module.js';
import { contentProblems, type EvaluatorConfig } from './config.js';
import { evaluatorSectionProblems } from './section-problems.js';
import { LevelButtons } from './level-buttons.js';
import { OledStatus } from './oled-status.js';
import { evaluatorManualTests } from './manual-tests.js';
import { startEvaluatorPage } from './page/evaluator-page.js';
import { pageReachable } from './page/page-reachable.js';
import { RatingDesk } from './rating-desk.js';
import { RatingStore } from './rating-store.js';
import { StaffPhotos } from './staff-photos.js';

interface Front {
  page: PageServer | undefined;
  pageError: string | null;
  buttons: LevelButtons;
  oled: OledStatus | undefined;
}

async function startFront(ctx: RoleContext<EvaluatorContract>, config: EvaluatorConfig, desk: RatingDesk): Promise<Front> {
  const buttons = new LevelButtons(ctx, config, desk);
  buttons.start();
  const oled = config.display !== undefined ? new OledStatus(ctx, config.display, desk) : undefined;
  await oled?.start();
  let pageError: string | null = null;
  const page = config.page.enabled
    ? await startEvaluatorPage({ desk, timers: ctx.timers, host: config.page.host, port: config.page.port, log: ctx.log.child({ part: 'evaluator-page' }), screenToken: ctx.screenToken }).catch((err: unknown) => {
        // Without the page the buttons still rate: a busy port is a fault to report, not a dead evaluator.
        pageError = (err as Error).message;
        ctx.log.error({ err: pageError, port: config.page.port }, 'evaluator page not served');
        return undefined;
      })
    : undefined;
  return { page, pageError, buttons, oled };
}

export async function startEvaluator(ctx: RoleContext<EvaluatorContract>, initial: EvaluatorConfig): Promise<RoleInstance<EvaluatorConfig, EvaluatorContract>> {
  const records = new RatingStore(ctx.store);
  const desk = await RatingDesk.load(ctx, initial, records);
  const photos = new StaffPhotos(ctx.store, ctx.timers, () => ctx.clock.bestGuess(), ctx.log.child({ part: 'staff-photos' }));
  const isUrl = (photo: string | undefined): photo is string => photo !== undefined && /^https?:/.test(photo);
  const fetchPhoto = (url: string) => void photos.refresh(url).then(() => desk.changed());
  desk.photoOf = (photo) => (isUrl(photo) ? photos.dataUrl(photo) : photo);
  const shownPhoto = desk.staffCommand?.photo;
  // After a restart the cached copy shows at once; only a photo never fetched is asked for again.
  if (isUrl(shownPhoto) && !(await photos.load(shownPhoto))) fetchPhoto(shownPhoto);
  let front = await startFront(ctx, initial, desk);
  desk.stateExtras = () => ({ page: front.page?.url ?? null, photo: photos.status() });
  const offLink = ctx.link.onConnectionChange(() => desk.changed());
  desk.changed();
  const stopFront = async () => {
    front.buttons.stop();
    front.oled?.stop();
    await front.page?.close();
  };

  return {
    // A citizen may be rating right now: an update waits until the case is rated or closed.
    busy: () => (desk.openCaseId !== undefined ? `a rating is open (case ${desk.openCaseId})` : undefined),
    commands: roleCommands(evaluatorContract, {
      request: {
        // The case is opened by its record (and memory rebuilt from it): one commit with its ack.
        effect: 'records',
        run: async (data, cmd) => {
          if (desk.isPaused) throw new DeviceError('BUSY', 'the evaluator is paused (暂停服务)', { reason: 'paused' });
          const outcome = await desk.request(data, { record: (s) => cmd.record(s), emit: (name, d) => cmd.emit(name, d) });
          return outcome.state === 'rated' ? { state: 'rated', rating: outcome.rating } : { ...outcome };
        },
      },
      cancel: {
        effect: 'state',
        run: async (data, cmd) => {
          if (!desk.cancel(data.caseId)) throw new DeviceError('NOT_FOUND', `case "${data.caseId}" is not waiting for a rating (open: ${desk.openCaseId ?? 'none'})`);
          cmd.record(desk.cancelStatement(data.caseId));
          cmd.emit('rating.cancelled', { caseId: data.caseId });
          return { caseId: data.caseId, state: 'cancelled' };
        },
      },
      staff: {
        effect: 'state',
        run: async (data, cmd) => {
          if (data.photo !== undefined && !/^(data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+|https?:\/\/\S+)$/.test(data.photo))
            throw new DeviceError('BAD_REQUEST', 'photo must be a data:image/(png|jpeg|webp);base64 URL or an http(s) URL');
          cmd.record(records.settingStatement('staff', data));
          desk.setStaff(data);
          if (isUrl(data.photo)) fetchPhoto(data.photo);
          else photos.forget();
          return { staff: data.number };
        },
      },
      content: {
        effect: 'state',
        run: async (data, cmd) => {
          const problems = contentProblems(data);
          if (problems.length > 0) throw new DeviceError('BAD_REQUEST', `content refused: ${problems.join('; ')}`, { problems });
          cmd.record(records.settingStatement('content', data));
          desk.setContent(data);
          return { version: data.version };
        },
      },
      pause: {
        effect: 'state',
        run: async (data, cmd) => {
          const p = { reason: data.reason ?? '', at: ctx.clock.bestGuess() };
          cmd.record(records.settingStatement('paused', p));
          desk.setPaused(p);
          return { state: 'paused' };
        },
      },
      resume: {
        effect: 'state',
        run: async (_data, cmd) => {
          cmd.record(records.settingStatement('paused', null));
          desk.setPaused(undefined);
          return { state: 'open' };
        },
      },
    }),
    selfTests: {
      page: async () => {
        if (!desk.config.page.enabled) return { name: 'page', ok: true, detail: 'page disabled' };
        if (!front.page) return { name: 'page', ok: false, detail: `page not served: ${front.pageError ?? 'unknown'}` };
        return { name: 'page', ...(await pageReachable(front.page.url, ctx.timers)) };
      },
      oled: async () => (front.oled ? { name: 'oled', ...(await front.oled.check()), covers: [`display:${front.oled.part}`] } : { name: 'oled', ok: true, detail: 'no display configured' }),
    },
    manualSelfTests: evaluatorManualTests(ctx, () => ({ config: desk.config, buttons: front.buttons, oled: front.oled })),
    async checkConfig(next) {
      return evaluatorSectionProblems(next, ctx.hal.describe());
    },
    async reconfigure(next) {
      await stopFront();
      desk.config = next;
      front = await startFront(ctx, next, desk);
      desk.changed();
    },
    async stop() {
      offLink();
      photos.stop();
      desk.stop();
      await stopFront();
    },
  };
}
