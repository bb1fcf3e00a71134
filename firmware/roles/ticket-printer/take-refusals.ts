// What the kiosk says when it cannot give a number, in both languages of the page (zh first,
// en under it): one sentence per refusal reason, and the reasons the server's own refusal
// (a ticket.take request answered with details.reason) may carry.
import type { TakeRefusal, TakeResult } from './kiosk/kiosk-types.js';

const REFUSALS: Record<TakeRefusal, { zh: string; en: string }> = {
  'unknown-category': { zh: '没有这个业务类别', en: 'No such service category' },
  paused: { zh: '该业务暂停服务，请咨询服务台', en: 'This service is paused, please ask at the information desk' },
  closed: { zh: '该业务当前不在服务时间', en: 'This service is closed now' },
  exhausted: { zh: '今日号已取完', en: 'All numbers for today have been taken' },
  printer: { zh: '打印机故障，请到服务台取号', en: 'The printer is not working, please ask at the information desk' },
  storage: { zh: '设备存储故障，暂停取号，请到服务台取号', en: 'This kiosk cannot record tickets now (storage full), please ask at the information desk' },
  busy: { zh: '系统繁忙，请稍后再试', en: 'Busy, please try again' },
  'appointment-not-found': { zh: '未找到该预约，请到服务台咨询', en: 'Appointment not found, please ask at the information desk' },
  'no-priority': { zh: '该业务没有绿色通道', en: 'This service has no priority channel' },
};

export function refusal(reason: TakeRefusal, message = REFUSALS[reason]): TakeResult {
  return { ok: false, reason, message };
}

/** The reason a server's refusal names, when it is one the kiosk has words for. */
export function refusalReason(details: unknown): TakeRefusal | undefined {
  const reason = typeof details === 'object' && details !== null ? (details as { reason?: unknown }).reason : undefined;
  return reason === 'exhausted' || reason === 'closed' || reason === 'paused' || reason === 'appointment-not-found' ? reason : undefined;
}
