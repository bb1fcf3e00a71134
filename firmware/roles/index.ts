// Every role this firmware knows. Adding a role = a folder under roles/ and one line here.
import type { RoleModule } from './role-module.js';
import { sysRole } from './sys/sys-role.js';

export const ROLE_MODULES: readonly RoleModule[] = [sysRole as unknown as RoleModule];
