import type { RunState } from '@baton/domain';
import type { OutgoingRecord } from '@baton/eventlog';
import { processCommands, type ProcessContext } from './process-commands';
import {
  commandRecord,
  definitionFromYaml,
  meta,
  processContext,
  startRunCommand,
} from '../testing/engine-fixtures';

const definition = definitionFromYaml(`
id: etl
params:
  region: { type: string, default: eu }
steps:
  - id: extract
    type: shell
    command: [sh, -c, 'echo "$BATON_PARAM_REGION"']
    params:
      region: { expression: params.region }
    pool: shell
  - id: load
    type: noop
    depends_on: [extract]
`);

const ctx: ProcessContext = processContext;
const startRun = startRunCommand(definition);

function topicsOf(records: readonly OutgoingRecord[]): string[] {
  return records.map((r) => r.topic);
}

function valuesOn(records: readonly OutgoingRecord[], topic: string): Record<string, unknown>[] {
  return records.filter((r) => r.topic === topic).map((r) => JSON.parse(r.value ?? 'null'));
}

describe('processCommands', () => {
  it('starts a run: its events, status CloudEvents, a task for the root step on its pool, one changed state', () => {
    const sut = processCommands(new Map(), [commandRecord(startRun)], ctx);

    expect(valuesOn(sut.records, 'baton.run-events').map((e) => e.type)).toEqual(['RunStarted', 'StepReady']);
    const [task] = valuesOn(sut.records, 'baton.step-tasks.shell');
    expect(task).toMatchObject({
      schemaVersion: 1,
      runId: 'r1',
      workflowId: 'etl',
      stepId: 'extract',
      attempt: 1,
      type: 'shell',
      params: { region: 'eu' },
      leaseMs: 30_000,
      spec: { command: ['sh', '-c', 'echo "$BATON_PARAM_REGION"'], env: {} },
    });
    expect(valuesOn(sut.records, 'baton.status-events').map((e) => e.type)).toEqual([
      'io.baton.run.running',
      'io.baton.step.ready',
    ]);
    expect([...sut.changed.keys()]).toEqual(['r1']);
    expect(sut.pools).toEqual(new Set(['shell']));
    expect(sut.changed.get('r1')).toMatchObject({ status: 'running', lastSeq: 2 });
  });

  it("stamps the engine's time on commands, whatever the sender wrote", () => {
    const sut = processCommands(new Map(), [commandRecord(startRun)], { ...ctx, now: 77_000 });
    expect(valuesOn(sut.records, 'baton.run-events').every((e) => e.at === 77_000)).toBe(true);
  });

  it('carries state from one command to the next inside a batch', () => {
    const started = {
      type: 'ReportStepStarted',
      runId: 'r1',
      stepId: 'extract',
      attempt: 1,
      executorId: 'x',
      leaseDurationMs: 30_000,
      metadata: meta('c2'),
    };
    const done = {
      type: 'CompleteStep',
      runId: 'r1',
      stepId: 'extract',
      attempt: 1,
      executorId: 'x',
      result: { exitCode: 0 },
      metadata: meta('c3'),
    };
    const sut = processCommands(
      new Map(),
      [startRun, started, done].map((c) => commandRecord(c)),
      ctx,
    );

    expect(valuesOn(sut.records, 'baton.run-events').map((e) => e.type)).toEqual([
      'RunStarted',
      'StepReady',
      'StepStarted',
      'StepSucceeded',
      'StepReady',
    ]);
    expect(valuesOn(sut.records, 'baton.step-tasks.default')).toMatchObject([
      { stepId: 'load', type: 'noop' },
    ]);
    expect([...sut.changed.keys()]).toEqual(['r1']);
  });

  it('records a refused command as CommandRejected and changes nothing else', () => {
    const first = processCommands(new Map(), [commandRecord(startRun)], ctx);
    const states = new Map<string, RunState>(first.changed);
    const stale = {
      type: 'CompleteStep',
      runId: 'r1',
      stepId: 'extract',
      attempt: 7,
      executorId: 'x',
      result: null,
      metadata: meta('c9'),
    };
    const sut = processCommands(states, [commandRecord(stale)], ctx);

    expect(valuesOn(sut.records, 'baton.run-events')).toMatchObject([
      { type: 'CommandRejected', commandId: 'c9' },
    ]);
    expect(sut.counts.rejected).toBe(1);
    expect(topicsOf(sut.records).filter((t) => t.startsWith('baton.step-tasks'))).toEqual([]);
  });

  it('dead-letters malformed commands with the reason and goes on with the rest', () => {
    const bad = [
      commandRecord('not json', 'r1'),
      commandRecord({ type: 'Explode', runId: 'r1' }),
      commandRecord({ type: 'CancelRun', runId: 'r1', metadata: meta('c4') }),
      commandRecord({ ...startRun, runId: 'r2' }, 'r1'),
    ];
    const sut = processCommands(new Map(), [...bad, commandRecord(startRun)], ctx);

    const letters = valuesOn(sut.records, 'baton.dead-letters');
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/unknown command type "Explode"/),
      'invalid CancelRun',
      expect.stringMatching(/not the command's run id/),
    ]);
    expect(new Set((letters[2].problems as { path: string }[]).map((p) => p.path))).toEqual(
      new Set(['$.reason']),
    );
    expect(sut.changed.get('r1')).toMatchObject({ status: 'running' });
  });

  it('tells executors to kill an attempt the engine ended on its own', () => {
    const started = {
      type: 'ReportStepStarted',
      runId: 'r1',
      stepId: 'extract',
      attempt: 1,
      executorId: 'x',
      leaseDurationMs: 30_000,
      metadata: meta('c2'),
    };
    const cancel = { type: 'CancelRun', runId: 'r1', reason: 'operator', metadata: meta('c3') };
    const sut = processCommands(
      new Map(),
      [startRun, started, cancel].map((c) => commandRecord(c)),
      ctx,
    );

    expect(valuesOn(sut.records, 'baton.step-cancellations')).toEqual([
      { schemaVersion: 1, runId: 'r1', stepId: 'extract', attempt: 1, reason: 'run_cancelled' },
    ]);
    expect(valuesOn(sut.records, 'baton.status-events').at(-1)).toMatchObject({
      type: 'io.baton.run.cancelled',
    });
  });

  describe('answers to a ReportStepStarted', () => {
    const start = (executorId: string, commandId: string, confirm?: boolean) => ({
      type: 'ReportStepStarted',
      runId: 'r1',
      stepId: 'extract',
      attempt: 1,
      executorId,
      leaseDurationMs: 30_000,
      ...(confirm === undefined ? {} : { confirm }),
      metadata: meta(commandId),
    });

    it("refused (a redelivered task): a cancellation of the refused executor's copy only", () => {
      const sut = processCommands(
        new Map(),
        [startRun, start('a', 'c2'), start('b', 'c3')].map((c) => commandRecord(c)),
        ctx,
      );

      expect(valuesOn(sut.records, 'baton.step-cancellations')).toEqual([
        {
          schemaVersion: 1,
          runId: 'r1',
          stepId: 'extract',
          attempt: 1,
          reason: 'start_refused',
          executorId: 'b',
        },
      ]);
      expect(valuesOn(sut.records, 'baton.step-grants')).toEqual([]);
      expect(sut.changed.get('r1')).toMatchObject({ steps: { extract: { executorId: 'a' } } });
    });

    it("a second start by the attempt's own lease holder (a command seen twice) cancels nothing", () => {
      const sut = processCommands(
        new Map(),
        [startRun, start('a', 'c2'), start('a', 'c2'), start('a', 'c3', true)].map((c) => commandRecord(c)),
        ctx,
      );

      expect(valuesOn(sut.records, 'baton.step-cancellations')).toEqual([]);
      // Asked to confirm it, the holder hears its grant again.
      expect(valuesOn(sut.records, 'baton.step-grants')).toEqual([
        expect.objectContaining({ executorId: 'a', leaseExpiresAt: ctx.now + 30_000 }),
      ]);
      expect(sut.changed.get('r1')).toMatchObject({
        steps: { extract: { status: 'running', executorId: 'a' } },
      });
    });

    it('refused because the run has ended: the executor is told not to run it', () => {
      const cancel = { type: 'CancelRun', runId: 'r1', reason: 'operator', metadata: meta('c3') };
      const sut = processCommands(
        new Map(),
        [startRun, cancel, start('a', 'c4', true)].map((c) => commandRecord(c)),
        ctx,
      );

      expect(valuesOn(sut.records, 'baton.step-cancellations').at(-1)).toMatchObject({
        reason: 'start_refused',
        executorId: 'a',
      });
      expect(valuesOn(sut.records, 'baton.step-grants')).toEqual([]);
    });

    it('refused for a run that does not exist (a task of a forgotten run)', () => {
      const sut = processCommands(new Map(), [commandRecord(start('a', 'c2'))], ctx);
      expect(valuesOn(sut.records, 'baton.step-cancellations')).toEqual([
        expect.objectContaining({ runId: 'r1', reason: 'start_refused', executorId: 'a' }),
      ]);
    });

    it('accepted with confirm: a grant naming the lease; without confirm nothing more', () => {
      const confirmed = processCommands(
        new Map(),
        [startRun, start('a', 'c2', true)].map((c) => commandRecord(c)),
        ctx,
      );
      expect(valuesOn(confirmed.records, 'baton.step-grants')).toEqual([
        {
          schemaVersion: 1,
          runId: 'r1',
          stepId: 'extract',
          attempt: 1,
          executorId: 'a',
          leaseExpiresAt: ctx.now + 30_000,
        },
      ]);
      expect(valuesOn(confirmed.records, 'baton.step-cancellations')).toEqual([]);

      const optimistic = processCommands(
        new Map(),
        [startRun, start('a', 'c2')].map((c) => commandRecord(c)),
        ctx,
      );
      expect(topicsOf(optimistic.records)).not.toContain('baton.step-grants');
    });
  });
});
