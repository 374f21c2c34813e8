import type { StartRun } from '@baton/domain';
import {
  initialWorkflowQueueState,
  type RequestRun,
  type WorkflowCommand,
  type WorkflowEvent,
  type WorkflowQueueState,
} from '@baton/domain/workflow-queue';
import { Topics } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { processWorkflowCommands } from './process-workflow-commands';

const NOW = 1_700_000_000_000;

const sequential = definitionFromYaml(`
id: etl
run_strategy: sequential
steps:
  - { id: extract, type: noop }
  - { id: load, type: noop, depends_on: [extract] }
`);

let offset = 0;
function record(value: unknown, key = 'etl'): LogRecord {
  return {
    topic: Topics.workflowCommands,
    partition: 0,
    offset: offset++,
    key,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    headers: {},
    timestamp: 0,
  };
}

const meta = (commandId: string) => ({ commandId, at: 5 });

function start(n: number, breakpoints?: string[]): StartRun {
  return {
    type: 'StartRun',
    runId: `run-${n}`,
    definition: sequential,
    params: {},
    requestId: `request-${n}`,
    scheduledAt: 1,
    metadata: meta(`admit/run-${n}`),
    ...(breakpoints ? { breakpoints } : {}),
  };
}

const requestRun = (n: number, breakpoints?: string[]): RequestRun => ({
  type: 'RequestRun',
  workflowId: 'etl',
  start: start(n, breakpoints),
  metadata: meta(`request/run-${n}`),
});

const command = (type: WorkflowCommand['type'] | 'Explode', extra: object = {}) => ({
  type,
  workflowId: 'etl',
  metadata: meta(`${type}-${offset}`),
  ...extra,
});

function on(
  records: readonly OutgoingRecord[],
  topic: string,
): { key: string; value: Record<string, unknown> }[] {
  return records.filter((r) => r.topic === topic).map((r) => ({ key: r.key, value: JSON.parse(r.value!) }));
}

describe('processWorkflowCommands', () => {
  it('starts the first run: its events keyed by workflow id and its StartRun keyed by run id, breakpoints merged', () => {
    const sut = processWorkflowCommands(
      new Map(),
      [record(command('SetWorkflowBreakpoints', { stepIds: ['load'] })), record(requestRun(1, ['extract']))],
      NOW,
    );
    expect(on(sut.records, Topics.workflowEvents)).toEqual([
      { key: 'etl', value: expect.objectContaining({ type: 'WorkflowBreakpointsSet', seq: 1, at: NOW }) },
      { key: 'etl', value: expect.objectContaining({ type: 'WorkflowRunStrategyChanged', seq: 2 }) },
      {
        key: 'etl',
        value: expect.objectContaining({ type: 'RunAdmitted', runId: 'run-1', seq: 3, fromQueue: false }),
      },
    ]);
    expect(on(sut.records, Topics.runCommands)).toEqual([
      { key: 'run-1', value: { ...start(1), breakpoints: ['extract', 'load'] } },
    ]);
    expect(sut.changed.get('etl')).toMatchObject({ lastSeq: 3, running: ['run-1'], breakpoints: ['load'] });
    expect(sut.counts).toEqual({
      commands: 2,
      events: 3,
      rejected: 0,
      deadLetters: 0,
      admitted: 1,
      queued: 0,
      dropped: 0,
      stopped: 0,
    });
  });

  it('decides each command against the state the batch made so far, and the given states', () => {
    const first = processWorkflowCommands(new Map(), [record(requestRun(1)), record(requestRun(2))], NOW);
    expect(on(first.records, Topics.workflowEvents).map((r) => r.value.type)).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted',
      'RunQueued',
    ]);
    const second = processWorkflowCommands(
      first.changed,
      [record(command('RunEnded', { runId: 'run-1', outcome: 'succeeded' }))],
      NOW + 1,
    );
    expect(on(second.records, Topics.workflowEvents).map((r) => [r.value.type, r.value.seq])).toEqual([
      ['RunFinished', 4],
      ['RunAdmitted', 5],
    ]);
    expect(on(second.records, Topics.runCommands)).toEqual([{ key: 'run-2', value: start(2) }]);
    // The input map is read, never written.
    expect(first.changed.get('etl')!.running).toEqual(['run-1']);
  });

  it('last_only: writes a CancelRun for the running run, keyed by its run id, and queues the new one', () => {
    const lastOnly = { ...sequential, runStrategy: { kind: 'last_only' as const } };
    const request = (n: number): RequestRun => ({
      ...requestRun(n),
      start: { ...start(n), definition: lastOnly },
    });
    const sut = processWorkflowCommands(new Map(), [record(request(1)), record(request(2))], NOW);
    expect(on(sut.records, Topics.workflowEvents).map((r) => r.value.type)).toEqual([
      'WorkflowRunStrategyChanged',
      'RunAdmitted',
      'RunStopRequested',
      'RunQueued',
    ]);
    expect(on(sut.records, Topics.runCommands)).toEqual([
      { key: 'run-1', value: { ...start(1), definition: lastOnly } },
      {
        key: 'run-1',
        value: {
          type: 'CancelRun',
          runId: 'run-1',
          reason: 'last_only: run run-2 (request request-2) was requested after it',
          metadata: { commandId: 'last-only/run-2/stop/run-1', at: NOW },
        },
      },
    ]);
    expect(sut.counts).toMatchObject({ admitted: 1, queued: 1, stopped: 1 });
  });

  it("stamps its own time on commands: the sender's clock is not trusted", () => {
    const sut = processWorkflowCommands(new Map(), [record(command('PauseWorkflow'))], NOW);
    const [event] = on(sut.records, Topics.workflowEvents);
    expect(event.value).toMatchObject({ type: 'WorkflowPaused', at: NOW });
  });

  it('records a rejection as an event and a changed state (its seq moved)', () => {
    const sut = processWorkflowCommands(new Map(), [record(command('ResumeWorkflow'))], NOW);
    expect(on(sut.records, Topics.workflowEvents).map((r) => r.value)).toEqual([
      expect.objectContaining({ type: 'WorkflowCommandRejected', code: 'NotPaused', seq: 1 }),
    ]);
    expect(sut.changed.get('etl')).toMatchObject({ lastSeq: 1 });
    expect(sut.counts).toMatchObject({ rejected: 1, events: 1 });
  });

  it('leaves a workflow untouched by an accepted command with no event', () => {
    const blocked: WorkflowQueueState = {
      ...initialWorkflowQueueState(),
      lastSeq: 3,
      strategy: { kind: 'strict_sequential' },
      paused: false,
      blockedBy: 'run-1',
      running: [],
      stopping: [],
      queue: [],
      definitions: {},
      breakpoints: [],
      recentRunIds: ['run-1'],
    };
    const sut = processWorkflowCommands(
      new Map([['etl', blocked]]),
      [record(command('RunEnded', { runId: 'run-1', outcome: 'failed' }))],
      NOW,
    );
    expect(sut.records).toEqual([]);
    expect(sut.changed.size).toBe(0);
  });

  it('dead-letters what does not decode, and goes on with the rest', () => {
    const sut = processWorkflowCommands(
      new Map(),
      [
        record('{oops'),
        record(command('PauseWorkflow'), 'other-workflow'),
        record(command('Explode')),
        record(command('PauseWorkflow')),
      ],
      NOW,
    );
    const letters = on(sut.records, Topics.deadLetters).map((r) => r.value.reason);
    expect(letters).toEqual([
      expect.stringMatching(/^value is not JSON/),
      "record key 'other-workflow' is not the command's workflow id 'etl'",
      'unknown workflow command type "Explode"',
    ]);
    expect(
      on(sut.records, Topics.workflowEvents).map((r) => (r.value as unknown as WorkflowEvent).type),
    ).toEqual(['WorkflowPaused']);
    expect(sut.counts).toMatchObject({ commands: 4, deadLetters: 3, events: 1 });
  });
});
