// GA 467 frames against bytes written down by others (docs/hardware.md, "ID-card reader (GA 467
// SAM)"): the command frames as hevz/hev-idcard-reader and guocihong/GasStationCardManageSystem
// send them, the replies guocihong's reader captured (ok and failed), the text layout at the
// offsets those readers parse. Byte fixtures typed from the sources, not produced by our code;
// the simulator's replies are checked against the same fixtures.
import t from 'tap';
import { commandFrame, samReplyDecoder, sw3Meaning, SAM_COMMAND, type SamCommand } from '../../../drivers/id-card-reader/sam-frames.js';
import { CardDataError, parseBasicInfo } from '../../../drivers/id-card-reader/card-text.js';
import { LONG_TERM, idNumberWellFormed } from '../../../drivers/hal/id-card.js';
import { samReplyFrame, takeHostRequests } from '../../../simulators/id-card-reader/sam-replies.js';
import { cardText, simCard } from '../../../simulators/id-card-reader/sim-card.js';

const hex = (s: string) => Buffer.from(s.replaceAll(' ', ''), 'hex');

/** Command frames as the sources write them out, checksum included. */
const COMMANDS: Record<SamCommand, string> = {
  reset: 'aa aa aa 96 69 00 03 10 ff ec', // guocihong: SDT_ResetSAM
  status: 'aa aa aa 96 69 00 03 11 ff ed', // hev cmd_get_status, guocihong SDT_GetSAMStatus
  find: 'aa aa aa 96 69 00 03 20 01 22', // hev cmd_get_card_status
  select: 'aa aa aa 96 69 00 03 20 02 21', // hev cmd_select_card
  readBasic: 'aa aa aa 96 69 00 03 30 01 32', // hev cmd_read_base_info
};

/** Replies guocihong's reader matched on, whole. */
const REPLIES = {
  statusOk: 'aaaaaa9669000400009094',
  selfTestFailed: 'aaaaaa9669000400006064',
  cardFound: 'aaaaaa9669000800009f0000000097',
  noCard: 'aaaaaa9669000400008084',
  selected: 'aaaaaa9669000c00009000000000000000009c',
  selectFailed: 'aaaaaa9669000400008185',
  readFailed: 'aaaaaa9669000400004145',
};

t.test('command frames are the documented bytes', async (t) => {
  for (const [command, bytes] of Object.entries(COMMANDS) as Array<[SamCommand, string]>) t.equal(commandFrame(command).toString('hex'), hex(bytes).toString('hex'), command);
  t.same(SAM_COMMAND.find, [0x20, 0x01]);
});

t.test('captured replies decode to their SW3, however they arrive', async (t) => {
  const expected: Record<keyof typeof REPLIES, number> = { statusOk: 0x90, selfTestFailed: 0x60, cardFound: 0x9f, noCard: 0x80, selected: 0x90, selectFailed: 0x81, readFailed: 0x41 };
  for (const [name, bytes] of Object.entries(REPLIES) as Array<[keyof typeof REPLIES, string]>) {
    const frame = hex(bytes);
    const decoded = samReplyDecoder(frame, 'data');
    t.same(decoded.kind === 'frame' && [decoded.value.sw1, decoded.value.sw2, decoded.value.sw3], [0, 0, expected[name]], name);
    t.equal(samReplyFrame(expected[name], decoded.kind === 'frame' ? decoded.value.data : undefined).toString('hex'), bytes, `the simulator builds ${name} byte for byte`);
    for (let cut = 1; cut < frame.length; cut++) t.same(samReplyDecoder(frame.subarray(0, cut), 'data'), { kind: 'incomplete' }, `${name} cut at ${cut} is not a reply yet`);
    const noisy = Buffer.concat([hex('00 ff aa aa 96 aa aa aa 96 69 00 00'), frame]);
    const found = samReplyDecoder(noisy, 'data');
    t.equal(found.kind === 'frame' && found.value.sw3, expected[name], `${name} behind junk and a false preamble`);
  }
  t.equal(sw3Meaning(0x60), 'SAM自检失败，不能接收命令');
  t.match(sw3Meaning(0x55), /unknown status 0x55/);
});

t.test('a reply with a wrong checksum is CHECKSUM', async (t) => {
  const garbled = hex(REPLIES.cardFound);
  garbled.writeUInt8(garbled.readUInt8(garbled.length - 1) ^ 0x01, garbled.length - 1);
  t.match(samReplyDecoder(garbled, 'data'), { kind: 'invalid', code: 'CHECKSUM' });
});

/** A read-basic-info reply laid out from the documented offsets: the header guocihong matched on, the text at the offsets it parses. */
function documentedReadReply(fields: Record<number, string>, photo: Buffer): Buffer {
  const text = Buffer.alloc(256, 0);
  for (let i = 0; i < 256; i += 2) text.writeUInt16LE(0x20, i); // space padding
  for (const [offset, value] of Object.entries(fields)) text.write(value, Number(offset), 'utf16le');
  const body = Buffer.concat([hex('00 00 90 01 00 04 00'), text, photo]);
  const withLength = Buffer.concat([hex('05 08'), body]);
  const xor = [...withLength].reduce((a, b) => a ^ b, 0);
  return Buffer.concat([hex('aa aa aa 96 69'), withLength, Buffer.from([xor])]);
}

// guocihong: name 0/30, sex 30/2, nation 32/4, birth 36/16, address 52/70, number 122/36,
// issuer 158/30, valid from 188/16, valid until 204/16; the photo at byte 270 of the frame.
const OFFSETS = { name: 0, sex: 30, nation: 32, birth: 36, address: 52, number: 122, issuer: 158, from: 188, until: 204 };

t.test('read basic info: 1295 bytes, every field at its documented offset, the photo untouched', async (t) => {
  const photo = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff));
  const reply = documentedReadReply(
    { [OFFSETS.name]: '欧阳娜娜', [OFFSETS.sex]: '2', [OFFSETS.nation]: '03', [OFFSETS.birth]: '19880817', [OFFSETS.address]: '宁夏银川市兴庆区', [OFFSETS.number]: '11010519491231002X', [OFFSETS.issuer]: '银川市公安局', [OFFSETS.from]: '20160101', [OFFSETS.until]: '长期' },
    photo,
  );
  t.equal(reply.length, 1295, 'the size guocihong waits for');
  t.equal(reply.subarray(0, 14).toString('hex'), 'aaaaaa9669050800009001000400', 'the 14-byte head guocihong matches');
  const decoded = samReplyDecoder(reply, 'data');
  if (decoded.kind !== 'frame') return t.fail(`not a frame: ${JSON.stringify(decoded)}`);
  const card = parseBasicInfo(decoded.value.data);
  t.same(
    [card.name, card.sex, card.nationCode, card.birthDate, card.address, card.number, card.issuer, card.validFrom, card.validUntil],
    ['欧阳娜娜', 'female', '03', '19880817', '宁夏银川市兴庆区', '11010519491231002X', '银川市公安局', '20160101', LONG_TERM],
  );
  t.equal(Buffer.from(card.photoWlt).toString('hex'), photo.toString('hex'));
  t.equal(reply.subarray(270, 270 + 1024).toString('hex'), photo.toString('hex'), 'the photo at frame byte 270, as guocihong cuts it');
});

t.test("the simulator's text block puts each field at the documented offset", async (t) => {
  const text = cardText(simCard().fields);
  t.equal(text.length, 256);
  const at = (offset: number, bytes: number) => text.toString('utf16le', offset, offset + bytes).trimEnd();
  t.same([at(OFFSETS.name, 30), at(OFFSETS.sex, 2), at(OFFSETS.number, 36), at(OFFSETS.from, 16), at(OFFSETS.until, 16)], ['张三', '1', '11010519491231002X', '20200101', '20400101']);
});

t.test('data that is not a card is refused, naming the field and never its value', async (t) => {
  const good = simCard();
  const data = (text: Buffer, lengths = '01000400') => Buffer.concat([hex(lengths), text, good.photo]);
  t.throws(() => parseBasicInfo(data(good.text, '00ff0400')), CardDataError);
  t.throws(() => parseBasicInfo(data(good.text).subarray(0, 500)), /reply data is 500 bytes/);
  for (const [fields, why] of [
    [{ sex: 'M' }, /sex field/],
    [{ birthDate: '1949123X' }, /birth date/],
    [{ validUntil: '永久' }, /valid-until/],
    [{ number: '110105194912310021' }, /check character/],
    [{ name: '' }, /name field is empty/],
  ] as const) {
    const err = t.throws(() => parseBasicInfo(data(simCard(fields).text)), why);
    t.notMatch(String(err), /110105194912310021|1949123X|永久/, 'the message does not repeat the value');
  }
});

t.test('GB 11643 check character against the standard\'s worked example', async (t) => {
  t.ok(idNumberWellFormed('11010519491231002X'), 'GB 11643-1999 example');
  t.notOk(idNumberWellFormed('110105194912310021'), 'same number, wrong check character');
  t.notOk(idNumberWellFormed('11010519491231002x'), 'lower-case x is not what cards hold');
  t.notOk(idNumberWellFormed('1101051949123100'), 'too short');
});

t.test("the simulator reads the host's frames from a stream, junk and cuts included", async (t) => {
  const stream = Buffer.concat([hex('00 aa'), hex(COMMANDS.status), hex(COMMANDS.find).subarray(0, 4)]);
  const first = takeHostRequests(stream);
  t.same(first.requests.map((r) => [r.command, r.param, r.fault]), [[0x11, 0xff, undefined]]);
  const second = takeHostRequests(Buffer.concat([first.rest, hex(COMMANDS.find).subarray(4)]));
  t.same(second.requests.map((r) => [r.command, r.param]), [[0x20, 0x01]]);
  const bad = hex(COMMANDS.find);
  bad.writeUInt8(bad.readUInt8(9) ^ 0xff, 9);
  t.same(takeHostRequests(bad).requests.map((r) => r.fault), ['checksum']);
});
