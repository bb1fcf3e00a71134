// Everything wrong with an evaluator section that its schema cannot see: content rules,
// buttons, and the HAL parts it names (the board's io section decides which exist).
import type { PartNames } from '../role-module.js';
import { configProblems, type EvaluatorConfig } from './config.js';

function partProblems(parts: PartNames, config: EvaluatorConfig): string[] {
  const problems: string[] = [];
  for (const [i, b] of config.buttons.entries())
    if (!parts.inputs.includes(b.input)) problems.push(`/buttons/${i}/input: no input "${b.input}" in io.inputs (have ${parts.inputs.join(', ') || 'none'})`);
  for (const [i, l] of config.leds.entries())
    if (!parts.outputs.includes(l.output)) problems.push(`/leds/${i}/output: no output "${l.output}" in io.outputs (have ${parts.outputs.join(', ') || 'none'})`);
  if (config.display !== undefined && !parts.displays.includes(config.display))
    problems.push(`/display: no display "${config.display}" in io.displays (have ${parts.displays.join(', ') || 'none'})`);
  return problems;
}

export function evaluatorSectionProblems(config: EvaluatorConfig, parts: PartNames): string[] {
  return [...configProblems(config), ...partProblems(parts, config)];
}
