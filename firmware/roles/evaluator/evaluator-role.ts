// The evaluator role (评价器): cmds `request`, `cancel`, `staff`, `content`, `pause`, `resume`;
// evts `rating.submitted`, `rating.expired`, `rating.cancelled`. The manifest is all a device
// without the role loads; the implementation is imported on start.
import { evaluatorContract } from '../../../protocol/evaluator.js';
import { defineRole } from '../role-module.js';
import { EvaluatorConfigSchema } from './config.js';
import { evaluatorSectionProblems } from './section-problems.js';
import { EVALUATOR_MIGRATIONS } from './rating-store.js';

export const evaluatorRole = defineRole({
  role: 'evaluator',
  contract: evaluatorContract,
  configSchema: EvaluatorConfigSchema,
  migrations: EVALUATOR_MIGRATIONS,
  sectionProblems: evaluatorSectionProblems,
  pages: (section) => [{ pointer: '/page', what: 'the rating page', ...section.page }],
  async start(ctx, initial) {
    const problems = evaluatorSectionProblems(initial, ctx.hal.describe());
    if (problems.length > 0) throw new Error(`roles.evaluator: ${problems.join('; ')}`);
    const { startEvaluator } = await import('./evaluator-instance.js');
    return startEvaluator(ctx, initial);
  },
});
