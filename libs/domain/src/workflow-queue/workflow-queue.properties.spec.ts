import fc from 'fast-check';
import type { RunStrategy, WorkflowDefinition } from '../workflow/workflow-definition';
import type { WorkflowCommand } from './workflow-queue.commands';
import { decideWorkflowCommand } from './workflow-queue.decide';
import { evolveWorkflowQueue } from './workflow-queue.evolve';
import type { WorkflowEvent } from './workflow-queue.events';
import { replayWorkflowQueue } from './workflow-queue.replay';
import {
  concurrencyLimit,
  hasFreeSlot,
  initialWorkflowQueueState,
  type WorkflowQueueState,
} from './workflow-queue.state';
import { T0, version, WORKFLOW_ID, wq } from './testing/fixtures';

/**
 * The queue under random interleavings of requests (new and repeated, over
 * up to three versions), run ends, pause/resume, unblock and breakpoints.
 * Every command is checked against the invariants below; then a fair drain
 * (resume, unblock, end what runs) must empty the queue, after which every
 * request was started or dropped exactly once.
 */
type Op =
  | { readonly kind: 'request'; readonly version: number }
  | { readonly kind: 'repeat'; readonly pick: number }
  | { readonly kind: 'end'; readonly pick: number; readonly outcome: 'succeeded' | 'failed' | 'cancelled' }
  | { readonly kind: 'end_unknown' }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'unblock' }
  | { readonly kind: 'cancel_queued'; readonly pick: number }
  | { readonly kind: 'breakpoints'; readonly stepIds: readonly string[] };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('request' as const), version: fc.integer({ min: 1, max: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), pick: fc.nat() }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('end' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom('succeeded' as const, 'failed' as const, 'cancelled' as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'end_unknown' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unblock' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel_queued' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('breakpoints' as const),
      stepIds: fc.array(fc.constantFrom('extract', 'load', 'report'), { maxLength: 3 }),
    }),
  },
);

const strategyArb: fc.Arbitrary<RunStrategy> = fc.oneof(
  fc.constant<RunStrategy>({ kind: 'parallel' }),
  fc.integer({ min: 1, max: 3 }).map<RunStrategy>((maxConcurrent) => ({ kind: 'parallel', maxConcurrent })),
  fc.constant<RunStrategy>({ kind: 'sequential' }),
  fc.constant<RunStrategy>({ kind: 'strict_sequential' }),
  fc.constant<RunStrategy>({ kind: 'first_only' }),
  fc.constant<RunStrategy>({ kind: 'last_only' }),
  fc.constant<RunStrategy>({ kind: 'serial_latest_only' }),
);

/** Strategies that let one run at a time. */
const SERIAL = ['sequential', 'strict_sequential', 'first_only', 'last_only', 'serial_latest_only'];

interface Simulation {
  state: WorkflowQueueState;
  readonly history: WorkflowEvent[];
  /** Run numbers in request order (first requests only). */
  readonly requested: number[];
  readonly versions: readonly WorkflowDefinition[];
  readonly fixedStrategy: RunStrategy | null;
  now: number;
}

const runNumber = (runId: string) => Number(runId.slice('run-'.length));

function apply(sim: Simulation, command: WorkflowCommand): WorkflowEvent[] {
  const before = sim.state;
  const frozen = JSON.stringify(before);
  const events = decideWorkflowCommand(command, before);
  events.forEach((event, i) => {
    expect(event).toMatchObject({
      workflowId: WORKFLOW_ID,
      seq: before.lastSeq + 1 + i,
      at: command.metadata.at,
    });
  });
  let state = before;
  for (const event of events) {
    checkEvent(state, event, command, sim);
    state = evolveWorkflowQueue(state, event);
  }
  // Neither decide nor evolve touched the state they were given.
  expect(JSON.stringify(before)).toBe(frozen);
  checkState(state, sim);
  sim.state = state;
  sim.history.push(...events);
  return events;
}

function checkEvent(
  state: WorkflowQueueState,
  event: WorkflowEvent,
  command: WorkflowCommand,
  sim: Simulation,
): void {
  if (event.type === 'RunStopRequested') {
    // Only last_only stops runs, only running ones, once each, for the request being decided.
    expect(command.type === 'RequestRun' && command.start.definition.runStrategy.kind).toBe('last_only');
    expect(state.running).toContain(event.runId);
    expect(state.stopping).not.toContain(event.runId);
    expect(event.cancel).toMatchObject({ type: 'CancelRun', runId: event.runId });
    return;
  }
  if (event.type !== 'RunAdmitted') return;
  // A run starts with a free slot: never paused, blocked, or at the limit.
  expect(state.paused).toBe(false);
  expect(state.blockedBy).toBeNull();
  expect(state.running.length).toBeLessThan(concurrencyLimit(state.strategy));
  // The run starts as requested, the workflow's breakpoints merged in.
  const n = runNumber(event.runId);
  const requested = sim.versions.find((v) => v.version === event.start.definition.version)!;
  expect(event.start.definition).toEqual(requested);
  expect(event.start.params).toEqual({ n });
  for (const stepId of state.breakpoints) expect(event.start.breakpoints).toContain(stepId);
  if (command.type === 'RequestRun' && command.start.runId === event.runId)
    expect(event.fromQueue).toBe(false);
}

function checkState(state: WorkflowQueueState, sim: Simulation): void {
  const queued = state.queue.map((q) => q.start.runId);
  const all = [...state.running, ...queued];
  expect(new Set(all).size).toBe(all.length);
  for (const runId of state.stopping) expect(state.running).toContain(runId);
  // last_only: whatever runs when a newer request waits has been asked to stop.
  if (state.strategy?.kind === 'last_only' && state.queue.length > 0)
    expect([...state.stopping].sort()).toEqual([...state.running].sort());
  // FIFO: the queue holds runs in request order.
  const order = queued.map(runNumber);
  expect(order).toEqual([...order].sort((a, b) => sim.requested.indexOf(a) - sim.requested.indexOf(b)));
  // Nothing waits that could start now.
  if (state.queue.length > 0) expect(hasFreeSlot(state)).toBe(false);
  expect(Object.keys(state.definitions).sort()).toEqual(
    [...new Set(state.queue.map((q) => String(q.version)))].sort(),
  );
  if (sim.fixedStrategy)
    expect(state.running.length).toBeLessThanOrEqual(concurrencyLimit(sim.fixedStrategy));
}

function commandFor(sim: Simulation, op: Op): WorkflowCommand {
  sim.now += 10;
  const at = sim.now - T0;
  switch (op.kind) {
    case 'request': {
      const n = sim.requested.length + 1;
      sim.requested.push(n);
      return wq.request(n, sim.versions[(op.version - 1) % sim.versions.length], at);
    }
    case 'repeat': {
      if (sim.requested.length === 0) return wq.pause(at);
      const n = sim.requested[op.pick % sim.requested.length];
      return wq.request(n, sim.versions[n % sim.versions.length], at);
    }
    case 'end': {
      const running = sim.state.running;
      if (running.length === 0) return wq.ended(0, op.outcome, at);
      return wq.ended(runNumber(running[op.pick % running.length]), op.outcome, at);
    }
    case 'end_unknown':
      return wq.ended(-1, 'failed', at);
    case 'pause':
      return wq.pause(at);
    case 'resume':
      return wq.resume(at);
    case 'unblock':
      return wq.unblock(at);
    case 'cancel_queued': {
      // Mostly a queued run; sometimes any requested one, which the queue must refuse unless queued.
      const queued = sim.state.queue.map((entry) => runNumber(entry.start.runId));
      const pool = queued.length > 0 && op.pick % 4 !== 0 ? queued : sim.requested;
      if (pool.length === 0) return wq.cancelQueued(0, at);
      return wq.cancelQueued(pool[op.pick % pool.length], at);
    }
    case 'breakpoints':
      return wq.breakpoints(op.stepIds, at);
  }
}

/** Resume, unblock, end what runs, until nothing runs or waits. */
function drain(sim: Simulation): void {
  for (let i = 0; i < 1_000; i++) {
    const { state } = sim;
    sim.now += 10;
    const at = sim.now - T0;
    if (state.paused) apply(sim, wq.resume(at));
    else if (state.blockedBy !== null) apply(sim, wq.unblock(at));
    else if (state.running.length > 0) {
      // A run asked to stop ends cancelled, as the engine ends it; the others succeed.
      const runId = state.running[0];
      apply(sim, wq.ended(runNumber(runId), state.stopping.includes(runId) ? 'cancelled' : 'succeeded', at));
    } else break;
  }
  expect(sim.state).toMatchObject({ running: [], stopping: [], queue: [], definitions: {} });
}

function simulate(
  versions: readonly WorkflowDefinition[],
  fixedStrategy: RunStrategy | null,
  ops: Op[],
): Simulation {
  const sim: Simulation = {
    state: initialWorkflowQueueState(),
    history: [],
    requested: [],
    versions,
    fixedStrategy,
    now: T0,
  };
  for (const op of ops) apply(sim, commandFor(sim, op));
  drain(sim);
  return sim;
}

/**
 * Every request started, dropped by the strategy or cancelled while queued
 * exactly once (a repeat's own drop as duplicate aside), in request order.
 */
function checkDecidedOnce(sim: Simulation): { admitted: number[]; dropped: number[]; cancelled: number[] } {
  const admitted = sim.history.flatMap((e) => (e.type === 'RunAdmitted' ? [runNumber(e.runId)] : []));
  const droppedFor = (keep: (reason: string) => boolean) =>
    sim.history.flatMap((e) =>
      e.type === 'RunRequestDropped' && keep(e.reason) ? [runNumber(e.runId)] : [],
    );
  const dropped = droppedFor((reason) => reason !== 'duplicate' && reason !== 'cancelled');
  const cancelled = droppedFor((reason) => reason === 'cancelled');
  expect([...admitted, ...dropped, ...cancelled].sort((a, b) => a - b)).toEqual(sim.requested);
  // Runs start in the order they were requested (some may be dropped in between).
  expect(admitted).toEqual([...admitted].sort((a, b) => a - b));
  expect(replayWorkflowQueue(sim.history)).toEqual(sim.state);
  return { admitted, dropped, cancelled };
}

/** Every state the queue went through, from its history. */
function statesOf(sim: Simulation): WorkflowQueueState[] {
  const states: WorkflowQueueState[] = [];
  let state = initialWorkflowQueueState();
  for (const event of sim.history) states.push((state = evolveWorkflowQueue(state, event)));
  return states;
}

describe('workflow queue properties', () => {
  it('under one strategy: never more than its limit runs, and every request is decided once, in order', () => {
    fc.assert(
      fc.property(strategyArb, fc.array(opArb, { maxLength: 120 }), (strategy, ops) => {
        const sim = simulate([version(strategy, 1)], strategy, ops);
        const { admitted, dropped, cancelled } = checkDecidedOnce(sim);
        if (['parallel', 'sequential', 'strict_sequential'].includes(strategy.kind)) {
          // Only first_only, last_only and serial_latest_only drop requests; the others start all but the cancelled ones, FIFO.
          expect(dropped).toEqual([]);
          expect(admitted).toEqual(sim.requested.filter((n) => !cancelled.includes(n)));
        }
        if (SERIAL.includes(strategy.kind)) {
          // At most one active run at any moment (a stopping one included).
          for (const state of statesOf(sim)) expect(state.running.length).toBeLessThanOrEqual(1);
        }
        if (strategy.kind === 'last_only' || strategy.kind === 'serial_latest_only') {
          // The newest request always runs in the end, unless an operator withdrew it.
          const newest = sim.requested[sim.requested.length - 1];
          if (newest !== undefined && !cancelled.includes(newest)) expect(admitted).toContain(newest);
        }
        if (strategy.kind !== 'last_only') {
          expect(sim.history.some((e) => e.type === 'RunStopRequested')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('across versions with different strategies: invariants hold and every request is decided once', () => {
    fc.assert(
      fc.property(
        fc.array(strategyArb, { minLength: 3, maxLength: 3 }),
        fc.array(opArb, { maxLength: 120 }),
        (strategies, ops) => {
          const versions = strategies.map((strategy, i) => version(strategy, i + 1));
          checkDecidedOnce(simulate(versions, null, ops));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('last_only: a stopped run is always older than the request that stopped it, which runs unless superseded', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), (ops) => {
        const strategy: RunStrategy = { kind: 'last_only' };
        const sim = simulate([version(strategy)], strategy, ops);
        const { admitted, cancelled } = checkDecidedOnce(sim);
        const superseded = sim.history.flatMap((e) =>
          e.type === 'RunRequestDropped' && e.reason === 'superseded' ? [runNumber(e.runId)] : [],
        );
        for (const event of sim.history) {
          if (event.type !== 'RunStopRequested') continue;
          const [stopped, newer] = [runNumber(event.runId), runNumber(event.newerRunId)];
          expect(stopped).toBeLessThan(newer);
          expect(admitted).toContain(stopped);
          // The newer run starts, unless a still newer request or an operator took it out first.
          if (!superseded.includes(newer) && !cancelled.includes(newer)) expect(admitted).toContain(newer);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sequential starts runs in request order, one at a time', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Op['kind']>('request', 'end'), { maxLength: 60 }), (kinds) => {
        const strategy: RunStrategy = { kind: 'sequential' };
        const sim = simulate(
          [version(strategy)],
          strategy,
          kinds.map((kind): Op =>
            kind === 'request' ? { kind, version: 1 } : { kind: 'end', pick: 0, outcome: 'failed' },
          ),
        );
        const starts = sim.history
          .filter((e) => e.type === 'RunAdmitted')
          .map((e) => (e as { runId: string }).runId);
        expect(starts).toEqual(sim.requested.map((n) => `run-${n}`));
      }),
      { numRuns: 200 },
    );
  });
});
