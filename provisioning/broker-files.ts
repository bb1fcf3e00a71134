// The broker's side of a hall, kept in one folder (`--broker-dir`): halld.passwd (Mosquitto
// password file), halld.acl (rebuilt from the device list), halld-devices.json (that list: the
// only place the ACL is built from) and one 0600 secret per hall server account.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aclFile, serverAccount } from './broker-acl.js';
import { formatPasswordFile, hashPassword, parsePasswordFile, ProvisionError, randomPassword, verifyPassword } from './mosquitto-passwd.js';
import { writeFileSafe } from './target-root.js';

export const PASSWD_FILE = 'halld.passwd';
export const ACL_FILE = 'halld.acl';
export const DEVICES_FILE = 'halld-devices.json';

export interface BrokerDevice {
  hall: string;
  roles: string[];
}

export class BrokerFiles {
  private constructor(
    readonly dir: string,
    readonly passwd: Map<string, string>,
    /** Broker account (= device id) -> its hall and roles. Accounts are global on one broker. */
    readonly devices: Map<string, BrokerDevice>,
  ) {}

  static async open(dir: string): Promise<BrokerFiles> {
    const read = async (name: string) => {
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    };
    const passwd = parsePasswordFile((await read(PASSWD_FILE)) ?? '');
    const devicesText = await read(DEVICES_FILE);
    const devices = new Map<string, BrokerDevice>();
    if (devicesText !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(devicesText);
      } catch (err) {
        throw new ProvisionError('BROKER_FILES_INVALID', `${join(dir, DEVICES_FILE)}: not valid JSON`, { cause: err });
      }
      for (const [k, v] of Object.entries(parsed as Record<string, BrokerDevice>)) devices.set(k, { hall: v.hall, roles: [...v.roles] });
    }
    return new BrokerFiles(dir, passwd, devices);
  }

  /** The device's account as the broker knows it, or a clear refusal when the id belongs to another hall. */
  checkIdentity(hall: string, device: string): void {
    const known = this.devices.get(device);
    if (known && known.hall !== hall) {
      throw new ProvisionError('IDENTITY_CONFLICT', `broker account "${device}" already belongs to hall ${known.hall}; device ids are broker accounts and must be unique on one broker`);
    }
  }

  hasAccount(user: string): boolean {
    return this.passwd.has(user);
  }

  passwordMatches(user: string, password: string): boolean {
    const hash = this.passwd.get(user);
    return hash !== undefined && verifyPassword(password, hash);
  }

  setDevice(hall: string, device: string, roles: string[], password: string): void {
    this.devices.set(device, { hall, roles: [...roles] });
    if (!this.passwordMatches(device, password)) this.passwd.set(device, hashPassword(password));
  }

  /** The hall server's account: created once with a random password kept in a 0600 file beside the broker files. */
  async ensureServerAccount(hall: string): Promise<string> {
    const user = serverAccount(hall);
    const secretFile = join(this.dir, `${user}.password`);
    let password: string | undefined;
    try {
      password = (await readFile(secretFile, 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (password === undefined) {
      if (this.passwd.has(user)) throw new ProvisionError('SERVER_SECRET_MISSING', `${secretFile} is missing but ${PASSWD_FILE} has ${user}; restore the file or delete the account line`);
      password = randomPassword();
      await writeFileSafe(secretFile, `${password}\n`, 0o600);
    }
    if (!this.passwordMatches(user, password)) this.passwd.set(user, hashPassword(password));
    return user;
  }

  async save(): Promise<void> {
    const devices = [...this.devices].map(([device, d]) => ({ device, hall: d.hall, roles: d.roles }));
    const sorted = Object.fromEntries([...this.devices].sort(([a], [b]) => a.localeCompare(b)));
    await writeFileSafe(join(this.dir, DEVICES_FILE), `${JSON.stringify(sorted, null, 2)}\n`, 0o600);
    await writeFileSafe(join(this.dir, PASSWD_FILE), formatPasswordFile(this.passwd), 0o600);
    await writeFileSafe(join(this.dir, ACL_FILE), aclFile(devices), 0o644);
  }
}
