import t from 'tap';
import { charColumns, textColumns, wrapText } from '../../../drivers/printer/index.js';

t.test('columns: ASCII 1, CJK and other multi-byte 2, controls 0', async (t) => {
  t.equal(charColumns('A'), 1);
  t.equal(charColumns('取'), 2);
  t.equal(charColumns('𠮷'), 2);
  t.equal(charColumns('，'), 2);
  t.equal(charColumns('\n'), 0);
  t.equal(textColumns('A023 取号'), 9);
});

t.test('CJK wraps by columns', async (t) => {
  t.same(wrapText('请留意叫号过号请重新取号', 10), ['请留意叫号', '过号请重新', '取号']);
  t.same(wrapText('请留意叫号', 9), ['请留意叫', '号'], 'a 2-column char never straddles the edge');
});

t.test('mixed text keeps ASCII words whole', async (t) => {
  t.same(wrapText('前面等待 12 人 please wait', 14), ['前面等待 12 人', 'please wait']);
  const url = wrapText('扫码 https://x.cn/a', 12);
  t.same(url, ['扫码', 'https://x.cn', '/a'], 'a word longer than a line is cut');
  for (const line of url) t.ok(textColumns(line) <= 12);
});

t.test('newlines and spaces', async (t) => {
  t.same(wrapText('第一行\n\n第三行', 48), ['第一行', '', '第三行']);
  t.same(wrapText('aaaa bbbb', 4), ['aaaa', 'bbbb'], 'the space at the break is dropped');
  t.same(wrapText('  缩进', 48), ['  缩进'], 'leading indentation is kept');
  t.same(wrapText('号', 1), ['号'], 'a full-width char on a 1-column line gets its own line');
  t.throws(() => wrapText('x', 0), RangeError);
});
