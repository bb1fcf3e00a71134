// A small reference central server on HallClient: follows device status, stores events in
// memory in order, answers device requests, sends the time beacon. The demo and the
// whole-hall tests run it; a real server team can read it as an example of the contract.
import { HallClient, type DeviceEvent } from '../../protocol/hall-client.js';
import type { Status } from '../../protocol/messages.js';
import { TicketDesk, type TicketDeskOptions } from './ticket-desk.js';

export interface ReferenceServerOptions {
  url: string;
  hall: string;
  signingKeyPem?: string;
  say?: (line: string) => void;
  timeBeaconMs?: number;
  desk?: TicketDeskOptions;
  /** The server's clock for signed commands and the time beacon (default Date.now): the demo's simulated time. */
  now?: () => number;
}

export class ReferenceServer {
  readonly client: HallClient;
  readonly events: DeviceEvent[] = [];
  readonly devices = new Map<string, Status>();
  readonly desk: TicketDesk;
  private beacon: NodeJS.Timeout | undefined;
  private readonly say: (line: string) => void;

  constructor(private readonly options: ReferenceServerOptions) {
    this.say = options.say ?? (() => undefined);
    this.client = new HallClient({
      url: options.url,
      hall: options.hall,
      clientId: `hall-server-${options.hall}`,
      ...(options.signingKeyPem ? { signingKey: options.signingKeyPem } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.client.onStatus(({ device, status }) => {
      this.devices.set(device, status);
      this.say(
        status.online
          ? `${device}: online (boot ${status.boot}, connection ${status.conn}, roles ${status.roles.join(', ')}, fw ${status.fw})`
          : `${device}: offline (boot ${status.boot}, connection ${status.conn}${status.reason ? `, ${status.reason}` : ''})`,
      );
    });
    this.desk = new TicketDesk(options.desk);
    this.client.onRequest('ticket.take', async (device, data) => {
      const answer = await this.desk.take(device, data);
      this.say(`${device}: ticket.take ${String(data['category'])} → ${answer.number} (${answer.waiting} waiting)`);
      return answer;
    });
    this.client.onRequest('identity.scanned', async (device, data) => {
      const answer = this.desk.identityScanned(device, data);
      this.say(`${device}: identity.scanned → ${answer.verified ? 'verified' : 'not verified'}`);
      return answer;
    });
    this.client.onEvent((e) => {
      this.events.push(e);
      if (e.role === 'ticket-printer' && e.name === 'ticket.voided' && typeof e.message.data['takeId'] === 'string') this.desk.voidTake(e.device, e.message.data['takeId']);
      this.say(`${e.device}: event ${e.role}/${e.name} #${e.message.seq}${e.message.replay ? ' (replay)' : ''} ${JSON.stringify(e.message.data)}`);
    });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.publishTime();
    this.beacon = setInterval(() => void this.client.publishTime().catch(() => undefined), this.options.timeBeaconMs ?? 10_000);
    this.beacon.unref();
  }

  async stop(): Promise<void> {
    if (this.beacon) clearInterval(this.beacon);
    await this.client.close();
  }
}
