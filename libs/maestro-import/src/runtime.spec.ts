import { celExpressions, evaluateCondition, type WorkflowDefinition } from '@baton/domain';
import { resolveRunParams } from '@baton/domain/run/run.expressions';
import { validateWorkflowDocument } from '@baton/definitions';
import { importMaestro } from './import-maestro';
import { conditionalDag, paramsAndSel } from './testing/maestro-documents';

/** The imported document as the engine holds it. */
function definitionOf(doc: Record<string, unknown>): WorkflowDefinition {
  const imported = importMaestro(JSON.stringify(doc));
  if (!imported.ok) throw new Error(imported.message);
  const validated = validateWorkflowDocument(imported.definition);
  if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
  return { ...validated.definition, version: 1 } as WorkflowDefinition;
}

describe('imported workflows at run time', () => {
  it("compute the params Maestro would: Java's integer division, concatenation, interpolation", () => {
    const definition = definitionOf(paramsAndSel);
    const sut = resolveRunParams(
      { runId: 'r1', definition, scheduledAt: 0 },
      { when: '20260101' },
      celExpressions,
    );
    expect(sut).toEqual({
      ok: true,
      value: {
        base: 7,
        ratio: 0.5,
        label: 'run-7',
        half: 3,
        big: true,
        greeting: 'hello run-7!',
        tags: ['a', 'b'],
        when: '20260101',
      },
    });
  });

  it('take the branches Maestro would take', () => {
    const definition = definitionOf(conditionalDag);
    const run = {
      id: 'r1',
      workflow_id: definition.id,
      workflow_version: 1,
      attempt: 1,
      scheduled_at: '2026-01-01T00:00:00Z',
    };
    const conditional = definition.edges.filter((edge) => edge.condition !== undefined);
    const taken = (params: Record<string, number | string>) =>
      conditional.map((edge) => {
        const result = evaluateCondition(edge.condition!, { params, steps: {}, run });
        return result.ok ? result.value : result.error.message;
      });
    // rows (250) > threshold: the big load; region eu: the report after the small one.
    expect(conditional.map((edge) => edge.to)).toEqual([
      expect.stringMatching(/^load.big$/),
      expect.stringMatching(/^load.small$/),
      'report',
    ]);
    expect(taken({ threshold: 100, region: 'eu' })).toEqual([true, false, true]);
    expect(taken({ threshold: 300, region: 'us' })).toEqual([false, true, false]);
  });
});
