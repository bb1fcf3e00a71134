// The evaluator role (评价器): cmds `request`, `cancel`, `staff`, `content`, `pause`, `resume`;
// evts `rating.submitted`, `rating.expired`, `rating.cancelled`. The manifest is all a device
// without the role loads; the implementation is imported on start.
import { evaluatorContract } from '../../../protocol/evaluator.js';
import { defineRole, type PartNames } from '../role-module.js';
import { configProblems, EvaluatorConfigSchema, type EvaluatorConfig } from './config.js';
import { EVALUATOR_MIGRATIONS } from './rating-store.js';

function partProblems(parts: PartNames, config: EvaluatorConfig): string[] {
  const problems: string[] = [];
  for (const [i, b] of config.buttons.entries())
    if (!parts.inputs.includes(b.input)) problems.push(`/buttons/${i}/input: no input "${b.input}" in io.inputs (have ${parts.inputs.join(', ') || 'none'})`);
  for (const [i, l] of config.leds.entries())
    if (!parts.outputs.includes(l.output)) problems.push(`/leds/${i}/output: no output "${l.output}" in io.outputs (have ${parts.outputs.join(', ') || 'none'})`);
  return problems;
}

export function evaluatorSectionProblems(config: EvaluatorConfig, parts: PartNames): string[] {
  return [...configProblems(config), ...partProblems(parts, config)];
}

export const evaluatorRole = defineRole({
  role: 'evaluator',
  contract: evaluatorContract,
  configSchema: EvaluatorConfigSchema,
  migrations: EVALUATOR_MIGRATIONS,
  sectionProblems: evaluatorSectionProblems,
  async start(ctx, initial) {
    const problems = evaluatorSectionProblems(initial, ctx.hal.describe());
    if (problems.length > 0) throw new Error(`roles.evaluator: ${problems.join('; ')}`);
    const { startEvaluator } = await import('./evaluator-instance.js');
    return startEvaluator(ctx, initial);
  },
});
