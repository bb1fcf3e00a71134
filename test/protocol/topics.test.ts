import t from 'tap';
import { topics, parseTopic } from '../../protocol/topics.js';

const d = { hall: 'hall-1', device: 'kiosk-3' };

t.test('builders and parser agree for every topic kind', async (t) => {
  t.same(parseTopic(topics.status(d)), { kind: 'status', ...d });
  t.same(parseTopic(topics.state(d, 'locker')), { kind: 'state', ...d, role: 'locker' });
  t.same(parseTopic(topics.event(d, 'ticket-printer', 'ticket.issued')), { kind: 'event', ...d, role: 'ticket-printer', name: 'ticket.issued' });
  t.same(parseTopic(topics.command(d, 'sys', 'ping')), { kind: 'command', ...d, role: 'sys', name: 'ping' });
  t.same(parseTopic(topics.hallCommand('hall-1', 'caller', 'notice')), { kind: 'hall-command', hall: 'hall-1', role: 'caller', name: 'notice' });
  t.same(parseTopic(topics.request(d, 'ticket.take')), { kind: 'request', ...d, name: 'ticket.take' });
  t.same(parseTopic(topics.eventAck(d)), { kind: 'event-ack', ...d });
  t.same(parseTopic(topics.config(d)), { kind: 'config', ...d });
  t.same(parseTopic(topics.response(d)), { kind: 'response', ...d });
  t.same(parseTopic(topics.ack(d)), { kind: 'ack', ...d });
  t.same(parseTopic(topics.time('hall-1')), { kind: 'time', hall: 'hall-1' });
  t.equal(topics.status(d), 'halld/v1/hall-1/kiosk-3/status');
});

t.test('rejects names outside the contract', async (t) => {
  t.throws(() => topics.status({ hall: 'Hall_1', device: 'x' }), /hall "Hall_1" must be 1-32 characters/);
  t.throws(() => topics.status({ hall: 'h', device: 'a'.repeat(33) }), /device/);
  t.equal(parseTopic('halld/v1/h/d/cmd/printer/ping'), undefined, 'unknown role');
  t.equal(parseTopic('halld/v2/h/d/status'), undefined, 'other protocol version');
  t.equal(parseTopic('halld/v1/h/d/status/extra'), undefined);
  t.equal(parseTopic('other/v1/h/d/status'), undefined);
});
