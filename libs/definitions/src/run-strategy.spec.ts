import { RUN_STRATEGY_KINDS } from '@baton/domain';
import { parseWorkflowDocument } from './index';

const doc = (top: string) => `id: wf\n${top}\nsteps:\n  - { id: a, type: noop }\n`;

function parsed(top: string) {
  const result = parseWorkflowDocument(doc(top));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.definition;
}

function errors(top: string) {
  const result = parseWorkflowDocument(doc(top));
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(({ path, message }) => ({ path, message }));
}

describe('run_strategy and step_concurrency', () => {
  it.each(RUN_STRATEGY_KINDS)('accepts %s, in lower or Maestro upper case, as a name or a type', (kind) => {
    expect(parsed(`run_strategy: ${kind}`).runStrategy).toEqual({ kind });
    expect(parsed(`run_strategy: ${kind.toUpperCase()}`).runStrategy).toEqual({ kind });
    expect(parsed(`run_strategy: { type: ${kind.toUpperCase()} }`).runStrategy).toEqual({ kind });
  });

  it('keeps max_concurrent for PARALLEL, and leaves it unset by default (the queue bounds it at 20)', () => {
    expect(parsed('run_strategy: { type: PARALLEL, max_concurrent: 50 }').runStrategy).toEqual({
      kind: 'parallel',
      maxConcurrent: 50,
    });
    expect(parsed('').runStrategy).toEqual({ kind: 'parallel' });
  });

  it('names every strategy when the name is unknown', () => {
    expect(errors('run_strategy: newest_only')).toEqual([
      {
        path: '$.run_strategy.type',
        message: `run_strategy must be one of: ${RUN_STRATEGY_KINDS.join(', ')}`,
      },
    ]);
  });

  it('reads step_concurrency as a positive whole number; absent means no limit', () => {
    expect(parsed('step_concurrency: 3').stepConcurrency).toBe(3);
    expect('stepConcurrency' in parsed('')).toBe(false);
    expect(errors('step_concurrency: 0').map((e) => e.path)).toEqual(['$.step_concurrency']);
    expect(errors('step_concurrency: 2.5').map((e) => e.path)).toEqual(['$.step_concurrency']);
  });
});
