import type { RunState } from '@baton/domain';
import { partitionForKey, type OutgoingRecord } from '@baton/eventlog';
import { processCommands, type ProcessContext } from './process-commands';
import {
  commandRecord,
  definitionFromYaml,
  meta,
  processContext,
  startRunCommand,
} from '../testing/engine-fixtures';

// Reports the engine cannot decide where they arrive must never strand a step unseen (issue 18).
const definition = definitionFromYaml(`
id: etl
steps:
  - id: extract
    type: noop
    pool: python
`);
const ctx: ProcessContext = processContext;
const startRun = startRunCommand(definition);

function valuesOn(records: readonly OutgoingRecord[], topic: string): Record<string, unknown>[] {
  return records.filter((r) => r.topic === topic).map((r) => JSON.parse(r.value ?? 'null'));
}

function started(): Map<string, RunState> {
  return new Map(processCommands(new Map(), [commandRecord(startRun)], ctx).changed);
}

describe('processCommands: reports it cannot decide where they arrive', () => {
  it('writes a record again under its key when murmur2 of the key routes it to another partition', () => {
    const own = partitionForKey('r1', 8);
    const stray = { ...commandRecord(startRun), partition: (own + 1) % 8 };

    const sut = processCommands(new Map(), [stray], { ...ctx, commandPartitions: 8 });

    expect(sut.records).toEqual([
      { topic: 'baton.run-commands', key: 'r1', value: stray.value, headers: stray.headers },
    ]);
    expect(sut.changed.size).toBe(0);
    expect(sut.counts.refusedReports).toEqual({ wrong_partition: 1 });
  });

  it('decides a record that arrived on the partition its key routes to', () => {
    const home = { ...commandRecord(startRun), partition: partitionForKey('r1', 8) };

    const sut = processCommands(new Map(), [home], { ...ctx, commandPartitions: 8 });

    expect(sut.changed.get('r1')).toMatchObject({ status: 'running' });
    expect(sut.counts.refusedReports).toEqual({});
  });

  it('records a malformed report about a held run on that run as CommandRejected InvalidCommand, and dead-letters it', () => {
    const states = started();
    const noExecutor = {
      type: 'CompleteStep',
      runId: 'r1',
      stepId: 'extract',
      attempt: 1,
      result: {},
      metadata: meta('c2'),
    };

    const sut = processCommands(states, [commandRecord(noExecutor)], ctx);

    expect(valuesOn(sut.records, 'baton.dead-letters')).toMatchObject([{ reason: 'invalid CompleteStep' }]);
    const [rejected] = valuesOn(sut.records, 'baton.run-events');
    expect(rejected).toMatchObject({
      type: 'CommandRejected',
      runId: 'r1',
      seq: states.get('r1')!.lastSeq + 1,
      commandType: 'CompleteStep',
      commandId: 'c2',
      code: 'InvalidCommand',
    });
    expect(rejected.message).toMatch(/\$\.executorId/);
    expect(sut.changed.get('r1')!.lastSeq).toBe(states.get('r1')!.lastSeq + 1);
    expect(sut.counts.refusedReports).toEqual({ invalid: 1 });
  });

  it('names the record by its position when it has no command id, and its type Unknown when it names none', () => {
    const record = commandRecord({ type: 'StepCompleted', runId: 'r1' });

    const sut = processCommands(started(), [record], ctx);

    expect(valuesOn(sut.records, 'baton.run-events')).toMatchObject([
      { commandType: 'Unknown', code: 'InvalidCommand', commandId: `baton.run-commands/0/${record.offset}` },
    ]);
  });

  it('dead-letters a malformed report about a run it does not hold, with no event', () => {
    const sut = processCommands(new Map(), [commandRecord({ type: 'FailStep', runId: 'r9' })], ctx);

    expect(valuesOn(sut.records, 'baton.run-events')).toEqual([]);
    expect(valuesOn(sut.records, 'baton.dead-letters')).toHaveLength(1);
    expect(sut.counts.refusedReports).toEqual({ invalid: 1 });
  });

  it('counts a record whose key is not its run id as key_mismatch, and leaves both runs alone', () => {
    const states = started();
    const sut = processCommands(states, [commandRecord({ ...startRun, runId: 'r2' }, 'r1')], ctx);

    expect(valuesOn(sut.records, 'baton.run-events')).toEqual([]);
    expect(sut.counts.refusedReports).toEqual({ key_mismatch: 1 });
  });
});
