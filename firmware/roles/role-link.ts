// Builds the RoleLink a role sees from the device link and the role's contract: events go out
// under the role's own topic, and a server's answer to a request is checked against the
// contract's `result` schema before the role gets it typed.
import type { RequestName, RequestResult, WireContract } from '../../protocol/contract.js';
import { validate } from '../../protocol/validate.js';
import type { DeviceLink } from '../link/device-link.js';
import { DeviceError } from '../link/device-error.js';
import type { RoleLink } from './role-module.js';

/** The part of DeviceLink a role's link uses (tests give a fake). */
export type RoleLinkTarget = Pick<DeviceLink, 'connected' | 'emit' | 'setState' | 'request' | 'onConnectionChange'>;

export function createRoleLink<K extends WireContract>(contract: K, link: RoleLinkTarget): RoleLink<K> {
  const role = contract.role;
  return {
    get connected() {
      return link.connected;
    },
    // Event data is an object by its schema; the compile-time contract is what checks it.
    emit: (name, data, options) => link.emit(role, name, data as Record<string, unknown>, options),
    setState: (data) => link.setState(role, data),
    request: async <N extends RequestName<K>>(name: N, data: unknown, timeoutMs: number): Promise<RequestResult<K, N>> => {
      const entry = contract.requests[name];
      if (!entry) throw new DeviceError('BAD_REQUEST', `role ${role} has no request ${name} in its contract`);
      const answer = await link.request(name, data as Record<string, unknown>, timeoutMs);
      const check = validate(entry.result, answer);
      if (!check.ok) throw new DeviceError('BAD_RESPONSE', `the server's answer to ${name} does not fit its schema: ${check.errors.join('; ')}`, { errors: check.errors, answer });
      return check.value as RequestResult<K, N>;
    },
    onConnectionChange: (listener) => link.onConnectionChange(listener),
  };
}
