import t from 'tap';
import { PNG } from 'pngjs';
import { DEFAULT_TICKET_TEMPLATE, renderTicketBytes } from '../../../drivers/printer/index.js';
import { VirtualEscPosPrinter, renderTicketPng, renderTicketText } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS } from '../../drivers/printer/rig.js';

function printed(columns = 48) {
  const sim = new VirtualEscPosPrinter();
  sim.receive(renderTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS, { columns }));
  return sim.tickets()[0]!;
}

t.test('text: a framed receipt with the big number as a banner', async (t) => {
  const text = renderTicketText(printed());
  const lines = text.split('\n');
  t.equal(lines[0], `+${'-'.repeat(48)}+`);
  t.ok(lines.some((l) => l.includes('某某区政务服务中心')));
  const qrAt = lines.findIndex((l) => l.includes('[QR 6/M] https://zwfw.example.cn/'));
  t.ok(qrAt > 0, 'QR shown with its payload');
  t.match(lines[qrAt + 1], /别=社保/, 'long payload wrapped onto the next line');
  const bannerRows = lines.filter((l) => /#/.test(l));
  t.ok(bannerRows.length >= 6, 'A023 drawn in 5×7 glyphs');
  t.match(lines[lines.length - 1], /^~ cut ~+$/);
});

t.test('PNG: 576 dots of paper plus margins, tall enough for the ticket, mostly white with black ink', async (t) => {
  const png = PNG.sync.read(renderTicketPng(printed()));
  t.equal(png.width, 576 + 32);
  t.ok(png.height > 600 && png.height < 2000, `height ${png.height}`);
  let black = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 0) black++;
  const share = black / (png.width * png.height);
  t.ok(share > 0.02 && share < 0.5, `ink ${(share * 100).toFixed(1)}%`);
  const narrow = PNG.sync.read(renderTicketPng(printed(32), { columns: 32 }));
  t.equal(narrow.width, 384 + 32, '58 mm paper');
});
