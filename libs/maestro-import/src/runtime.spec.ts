import {
  celExpressions,
  celSignalExpressions,
  decideSignalOffer,
  emptySignalJoinState,
  evaluateCondition,
  evolveSignalJoin,
  offersFor,
  signalSetContext,
  triggerParams,
  type JsonObject,
  type SignalJoinState,
  type WorkflowDefinition,
} from '@baton/domain';
import { resolveRunParams } from '@baton/domain/run/run.expressions';
import { validateWorkflowDocument } from '@baton/definitions';
import { importMaestro } from './import-maestro';
import { conditionalDag, paramsAndSel, triggers } from './testing/maestro-documents';

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

  /** Sends signals through the imported workflow's set trigger at `index`; the runs it starts, by their params. */
  function joiner(index: number) {
    const definition = definitionOf(triggers);
    const workflows = [{ workflowId: definition.id, version: 1, signals: definition.triggers!.signals }];
    let state: SignalJoinState = emptySignalJoinState;
    const runs: JsonObject[] = [];
    const send = (signalId: string, name: string, params: JsonObject) => {
      const signal = { type: 'SignalSent' as const, signalId, name, params, sentAt: 0 };
      for (const offer of offersFor(signal, workflows).filter((o) => o.triggerIndex === index)) {
        const events = decideSignalOffer(offer, state, {
          now: 0,
          retention: { maxAgeMs: 60_000, maxCount: 10 },
          expressions: celSignalExpressions,
        });
        state = events.reduce(evolveSignalJoin, state);
        for (const event of events) {
          if (event.type !== 'SignalsJoined') continue;
          const result = triggerParams(event.trigger, signalSetContext(event.signals), celSignalExpressions);
          runs.push(result.ok ? result.value : { error: result.message });
        }
      }
    };
    return { send, runs };
  }

  it("join signals as Maestro's trigger would: matches, the join key, the condition, the run's params", () => {
    const { send, runs } = joiner(2);
    send('s-us', 'warehouse/sales', { region: 'us', date: '2026-01-02' }); // no match
    send('s-eu', 'warehouse/sales', { region: 'eu', date: '2026-01-02' });
    send('fx-old', 'fx.rates', { date: '2026-01-02', version: 1 }); // condition false
    send('fx-other-day', 'fx.rates', { date: '2026-01-03', version: 5 }); // join key differs
    expect(runs).toEqual([]);
    send('fx-new', 'fx.rates', { date: '2026-01-02', version: 2 });
    expect(runs).toEqual([{ day: '2026-01-02' }]);
  });

  it("start a run on a range match as Maestro's >= would", () => {
    const { send, runs } = joiner(1);
    send('low', 'a.done', { n: 2 });
    send('text', 'a.done', { n: 'x' });
    expect(runs).toEqual([]);
    send('enough', 'a.done', { n: 3 });
    expect(runs).toEqual([{}]);
  });
});
