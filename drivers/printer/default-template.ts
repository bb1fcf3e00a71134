// The ticket printed when the server has pushed no template: a Chinese queue ticket (取号凭条).
import type { TicketTemplate } from '../hal/ticket-template.js';

export const DEFAULT_TICKET_TEMPLATE: TicketTemplate = {
  version: 1,
  name: '取号凭条（默认）',
  blocks: [
    { type: 'text', text: '{hallName}', align: 'center', size: { w: 1, h: 2 }, bold: true },
    { type: 'text', text: '取号凭条', align: 'center', when: '!priority' },
    { type: 'line', when: '!priority' },
    // A green-channel ticket is told apart as it leaves the printer: a double rule and a big banner.
    { type: 'line', char: '=', when: 'priority' },
    { type: 'text', text: '★ {priority} ★', align: 'center', size: { w: 2, h: 2 }, bold: true, when: 'priority' },
    { type: 'line', char: '=', when: 'priority' },
    { type: 'text', text: '{offline}', align: 'center', bold: true, when: 'offline' },
    { type: 'number', size: { w: 4, h: 4 } },
    { type: 'text', text: '【{priority}·优先办理】', align: 'center', bold: true, when: 'priority' },
    { type: 'feed', lines: 1 },
    { type: 'text', text: '业务类别：{category}', size: { w: 1, h: 2 } },
    { type: 'text', text: '{categoryEn}', when: 'categoryEn' },
    { type: 'text', text: '办理窗口：{window}', when: 'window' },
    { type: 'text', text: '前面等待 {waiting} 人，请留意叫号', bold: true, when: 'waitingKnown' },
    { type: 'text', text: '请留意叫号', bold: true, when: '!waitingKnown' },
    { type: 'text', text: '取号时间：{issuedAt}' },
    { type: 'line' },
    { type: 'qr', data: '{qrUrl}', size: 6, errorCorrection: 'M', align: 'center', when: 'qrUrl' },
    { type: 'text', text: '微信扫码查看排队进度', align: 'center', when: 'qrUrl' },
    { type: 'text', text: '过号请重新取号', align: 'center' },
    { type: 'cut' },
  ],
};
