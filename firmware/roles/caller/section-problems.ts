// Everything wrong with a caller section that its schema cannot see: the parts it names must
// exist on the board, a panel does one job, the template names the ticket.
import type { PartNames } from '../role-module.js';
import type { CallerConfig } from './config.js';

export function callerSectionProblems(config: CallerConfig, parts: PartNames): string[] {
  const problems: string[] = [];
  const matrices = parts.matrices.join(', ') || 'none';
  const used = new Map<string, string>();
  const usePanel = (name: string, where: string) => {
    if (!parts.matrices.includes(name)) problems.push(`${where}: no panel "${name}" in io.matrices (have ${matrices})`);
    const before = used.get(name);
    if (before !== undefined) problems.push(`${where}: panel "${name}" is already used at ${before}`);
    used.set(name, where);
  };
  if (config.panels.window !== undefined) usePanel(config.panels.window, '/panels/window');
  config.panels.hall.forEach((name, i) => usePanel(name, `/panels/hall/${i}`));
  config.panels.notice.forEach((name, i) => usePanel(name, `/panels/notice/${i}`));
  const inputs = new Map<string, string>();
  for (const [key, input] of Object.entries(config.keys)) {
    if (input === undefined) continue;
    if (!parts.inputs.includes(input)) problems.push(`/keys/${key}: no input "${input}" in io.inputs (have ${parts.inputs.join(', ') || 'none'})`);
    const before = inputs.get(input);
    if (before !== undefined) problems.push(`/keys/${key}: input "${input}" is already the ${before} key`);
    inputs.set(input, key);
  }
  if (!config.template.includes('{number}')) problems.push('/template: must contain {number}');
  const unknown = [...config.template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((n) => n !== 'number' && n !== 'window');
  if (unknown.length > 0) problems.push(`/template: unknown placeholder(s) ${unknown.map((n) => `{${n}}`).join(', ')} (have {number}, {window})`);
  return problems;
}
