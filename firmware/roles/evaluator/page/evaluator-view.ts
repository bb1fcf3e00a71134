// The contract between the evaluator role and its touch page: what the page shows
// (EvaluatorView, pushed on every change) and what it may ask (rate the open case). The page
// only renders; the role decides what is allowed.
import type { RatingLevel, RatingSubmitted, StaffCommand } from '../../../../protocol/evaluator.js';

export type EvaluatorScreen = 'idle' | 'rating' | 'thanks' | 'paused';

export interface EvaluatorView {
  /** Monotonic: a page ignores a view older than one it has. */
  rev: number;
  screen: EvaluatorScreen;
  online: boolean;
  /** An untouched item list returns to the five levels after this long. */
  idleMs: number;
  /** How long the thank-you screen stays (a page showing one on its own, after an `already` answer, keeps it this long). */
  thanksMs: number;
  pausedReason: string | null;
  staff: StaffCommand | null;
  case: { caseId: string; matterName: string | null; ticket: string | null; staffId: string; window: string } | null;
  thanks: { level: RatingLevel; name: string; nameEn: string } | null;
  contentVersion: string;
  /** 5 (非常满意) first. */
  levels: { level: RatingLevel; name: string; nameEn: string; needsItem: boolean; items: { id: string; name: string; nameEn: string }[] }[];
}

export type RateRefusal = 'busy' | 'no-case' | 'paused' | 'unknown-item' | 'item-required' | 'storage';

export type RateResult = { ok: true; rating: RatingSubmitted; already: boolean } | { ok: false; reason: RateRefusal; message: { zh: string; en: string } };
