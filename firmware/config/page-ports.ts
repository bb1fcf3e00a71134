// Two pages of one device on the same port: the second cannot listen, and the device would
// start with one page missing (the role reports "page not served" only at run time). Refused
// at check, naming both.
import { Value } from '@sinclair/typebox/value';
import type { DeviceConfig } from './schema.js';
import type { ConfigProblem } from './schema-problems.js';
import type { PageListen, RoleModule } from '../roles/role-module.js';

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

function sameAddress(a: string, b: string): boolean {
  return a === b || ANY_ADDRESS.has(a) || ANY_ADDRESS.has(b);
}

/** `modules`: the manifests of (at least) the roles the config names. */
export function pagePortProblems(config: DeviceConfig, modules: readonly RoleModule[]): ConfigProblem[] {
  const pages: (PageListen & { field: string })[] = [];
  for (const module of modules) {
    const section = (config.roles as Record<string, unknown>)[module.role];
    if (section === undefined || !module.pages) continue;
    for (const page of module.pages(Value.Default(module.configSchema, structuredClone(section)))) {
      // Port 0 is any free port: never a clash.
      if (page.enabled && page.port !== 0) pages.push({ ...page, field: `/roles/${module.role}${page.pointer}/port` });
    }
  }
  const problems: ConfigProblem[] = [];
  for (const [i, page] of pages.entries()) {
    const first = pages.slice(0, i).find((p) => p.port === page.port && sameAddress(p.host, page.host));
    if (first) problems.push({ field: page.field, message: `${page.port} is also the port of ${first.what} (${first.field}); two pages cannot listen on one port: give each its own`, kind: 'config' });
  }
  return problems;
}
