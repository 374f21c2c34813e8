import {
  DEFAULT_RUN_LIMITS,
  type RunState,
  type StepDefinition,
  type WorkflowDefinition,
} from '@baton/domain';
import { Topics } from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';
import { processCommands, type ProcessContext } from './process-commands';
import { commandRecord } from '../testing/engine-fixtures';

const NOW = 1_000;
const ctx: ProcessContext = { now: NOW, leaseMs: 30_000, source: 'baton/engine', limits: DEFAULT_RUN_LIMITS };
const RETRY = {
  userErrorLimit: 0,
  platformErrorLimit: 0,
  timeoutLimit: 0,
  backoff: { kind: 'fixed', delayMs: 1 },
} as const;
const common = {
  params: {},
  retry: RETRY,
  failureMode: 'fail_immediately',
  outputs: {},
  pool: 'default',
} as const;

function workflow(steps: StepDefinition[]): WorkflowDefinition {
  return {
    id: 'wf',
    version: 3,
    name: 'wf',
    description: '',
    tags: [],
    params: [{ name: 'region', type: 'string', required: false, default: 'eu' }],
    runStrategy: { kind: 'parallel' },
    steps,
    edges: [],
  };
}

const work: StepDefinition = { ...common, id: 'work', type: 'noop' };
const fanOut = workflow([
  {
    ...common,
    id: 'each',
    type: 'foreach',
    loopParams: { n: { range: { from: 0, to: 3, step: 1 } } },
    concurrency: 2,
    ordered: false,
    timeoutMs: 60_000,
    body: { steps: [work], edges: [] },
  },
]);

let seq = 0;
const meta = () => ({ commandId: `c${++seq}`, at: 0 });
const start = (runId: string, definition: WorkflowDefinition, extra: object = {}) =>
  commandRecord({
    type: 'StartRun',
    runId,
    definition,
    params: {},
    requestId: runId,
    scheduledAt: 0,
    metadata: meta(),
    ...extra,
  });

function run(states: Map<string, RunState>, ...records: ReturnType<typeof commandRecord>[]) {
  return runAt(NOW, states, ...records);
}

function runAt(now: number, states: Map<string, RunState>, ...records: ReturnType<typeof commandRecord>[]) {
  const batch = processCommands(states, records, { ...ctx, now });
  for (const [id, state] of batch.changed) states.set(id, state);
  for (const id of batch.forgotten) states.delete(id);
  return batch;
}

const on = (records: OutgoingRecord[], topic: string) =>
  records.filter((r) => r.topic === topic).map((r) => ({ key: r.key, value: JSON.parse(r.value as string) }));

describe('records that link runs', () => {
  it('starts a foreach iteration as a child run on its own key, with the parent link and the body as its workflow', () => {
    const states = new Map<string, RunState>();
    const batch = run(states, start('p', fanOut));
    const starts = on(batch.records, Topics.runCommands).filter((c) => c.value.type === 'StartRun');
    expect(starts.map((s) => s.key)).toEqual(['p~each~1~0', 'p~each~1~1']);
    expect(starts[1].value).toMatchObject({
      runId: 'p~each~1~1',
      params: { region: 'eu', n: 1, loop_index: 1 },
      parent: { runId: 'p', stepId: 'each', attempt: 1, index: 1, depth: 1, notify: true },
      definition: { id: 'wf.each', version: 3, steps: [{ id: 'work' }] },
    });
  });

  it('tells the parent when a child ends, and forgets the ended child', () => {
    const states = new Map<string, RunState>();
    const first = run(states, start('p', fanOut));
    const childStart = on(first.records, Topics.runCommands)[0];
    run(states, commandRecord(childStart.value));
    const child = 'p~each~1~0';
    run(
      states,
      commandRecord({
        type: 'ReportStepStarted',
        runId: child,
        stepId: 'work',
        attempt: 1,
        executorId: 'x',
        leaseDurationMs: 1000,
        metadata: meta(),
      }),
    );
    const done = run(
      states,
      commandRecord({
        type: 'CompleteStep',
        runId: child,
        stepId: 'work',
        attempt: 1,
        executorId: 'x',
        result: null,
        metadata: meta(),
      }),
    );

    expect(on(done.records, Topics.runCommands)).toEqual([
      {
        key: 'p',
        value: expect.objectContaining({
          type: 'ChildRunFinished',
          runId: 'p',
          stepId: 'each',
          attempt: 1,
          index: 0,
          childRunId: child,
          outcome: 'succeeded',
          outputs: { work: {} },
        }),
      },
    ]);
    expect(done.forgotten).toEqual(new Set([child]));
    expect(done.changed.has(child)).toBe(false);
    expect(states.has(child)).toBe(false);
    // A late report for the forgotten child is counted and dropped: no event, and the parent is not told twice.
    const late = run(
      states,
      commandRecord({
        type: 'ReportStepHeartbeat',
        runId: child,
        stepId: 'work',
        attempt: 1,
        executorId: 'x',
        metadata: meta(),
      }),
    );
    expect(late.records).toEqual([]);
    expect(late.counts).toMatchObject({ commands: 1, events: 0, forgottenRun: 1 });
    expect(late.changed.size).toBe(0);
  });

  it('cancels the running children of a step that stops waiting without succeeding', () => {
    const states = new Map<string, RunState>();
    run(states, start('p', fanOut));
    const timeout = runAt(
      NOW + 60_000,
      states,
      commandRecord({
        type: 'FireTimer',
        runId: 'p',
        timerId: 'step_timeout/each/1',
        kind: 'step_timeout',
        metadata: meta(),
      }),
    );
    const cancels = on(timeout.records, Topics.runCommands).filter((c) => c.value.type === 'CancelRun');
    expect(cancels.map((c) => c.key)).toEqual(['p~each~1~0', 'p~each~1~1']);
  });

  it('fails a child for its parent when the child cannot start', () => {
    const states = new Map<string, RunState>();
    const parent = {
      runId: 'p',
      stepId: 'each',
      attempt: 1,
      index: 4,
      depth: DEFAULT_RUN_LIMITS.maxNestingDepth + 1,
      notify: true,
    };
    const batch = run(states, start('deep', workflow([work]), { parent }));
    expect(on(batch.records, Topics.runCommands)).toEqual([
      {
        key: 'p',
        value: expect.objectContaining({
          type: 'ChildRunFinished',
          childRunId: 'deep',
          index: 4,
          outcome: 'failed',
          message: expect.stringContaining('nesting limit'),
        }),
      },
    ]);
  });

  it('asks admission for a subworkflow run, keyed by the child workflow, with the parent link', () => {
    const states = new Map<string, RunState>();
    const definition = workflow([
      {
        ...common,
        id: 'child',
        type: 'subworkflow',
        workflowId: 'other',
        version: 'active',
        wait: true,
        inheritParams: true,
      },
    ]);
    const batch = run(states, start('p', definition));
    expect(on(batch.records, Topics.runRequests)).toEqual([
      {
        key: 'other',
        value: expect.objectContaining({
          workflowId: 'other',
          version: 'active',
          requestId: 'p~child~1~0',
          parent: {
            runId: 'p~child~1~0',
            link: { runId: 'p', stepId: 'child', attempt: 1, index: 0, depth: 1, notify: true },
            inheritedParams: { region: 'eu' },
          },
        }),
      },
    ]);
  });

  it('opens a signal wait keyed by the signal name, and closes it when the step times out', () => {
    const states = new Map<string, RunState>();
    const definition = workflow([
      {
        ...common,
        id: 'approve',
        type: 'wait_for_signal',
        signal: 'approved',
        match: { region: { expression: 'params.region' } },
        timeoutMs: 10,
      },
    ]);
    const opened = run(states, start('p', definition));
    expect(on(opened.records, Topics.signals)).toEqual([
      {
        key: 'approved',
        value: {
          type: 'SignalWaitOpened',
          name: 'approved',
          runId: 'p',
          stepId: 'approve',
          attempt: 1,
          match: { region: 'eu' },
        },
      },
    ]);
    const closed = runAt(
      NOW + 10,
      states,
      commandRecord({
        type: 'FireTimer',
        runId: 'p',
        timerId: 'step_timeout/approve/1',
        kind: 'step_timeout',
        metadata: meta(),
      }),
    );
    expect(on(closed.records, Topics.signals)).toEqual([
      {
        key: 'approved',
        value: { type: 'SignalWaitClosed', name: 'approved', runId: 'p', stepId: 'approve', attempt: 1 },
      },
    ]);
  });

  it('tells the workflow queue when a top-level run ends', () => {
    const states = new Map<string, RunState>();
    const batch = run(states, start('p', workflow([])));
    expect(on(batch.records, Topics.workflowCommands)).toEqual([
      {
        key: 'wf',
        value: expect.objectContaining({
          type: 'RunEnded',
          workflowId: 'wf',
          runId: 'p',
          outcome: 'succeeded',
        }),
      },
    ]);
  });
});
