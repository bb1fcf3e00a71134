// "Nothing more happened" without sleeping: the device publishes its events in order, so once an
// event emitted *after* the thing under test has arrived, any event that thing caused has too.
import type { TestServer } from '../../../testkit/hall-server.js';
import { waitFor } from '../../../testkit/wait.js';

let barriers = 0;

export async function eventBarrier(server: TestServer, device: string): Promise<void> {
  const tag = `barrier-${++barriers}`;
  const ack = await server.client.command(device, 'sys/test-events', { count: 1, tag });
  if (!ack.ok) throw new Error(`barrier command refused: ${ack.error.code}`);
  await waitFor(`barrier event ${tag}`, () => server.events.some((e) => e.device === device && e.message.data['tag'] === tag));
}
