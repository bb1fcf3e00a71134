// Every role this firmware knows. Adding a role = a folder under roles/ and one line here.
import type { RoleModule } from './role-module.js';
import { callerRole } from './caller/caller-role.js';
import { evaluatorRole } from './evaluator/evaluator-role.js';
import { lockerRole } from './locker/locker-role.js';
import { sysRole } from './sys/sys-role.js';
import { ticketPrinterRole } from './ticket-printer/ticket-printer-role.js';

// Each module is typed by its own config schema; the runtime handles them by the common shape.
export const ROLE_MODULES: readonly RoleModule[] = [sysRole as unknown as RoleModule, ticketPrinterRole as unknown as RoleModule, evaluatorRole as unknown as RoleModule, callerRole as unknown as RoleModule, lockerRole as unknown as RoleModule];
