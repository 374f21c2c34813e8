import fc from 'fast-check';
import type { JsonObject } from '../shared/json';
import type {
  Edge,
  FailureMode,
  RetryPolicy,
  StepDefinition,
  WorkflowDefinition,
} from '../workflow/workflow-definition';
import type { ChildRunOutcome, RestartMode, RunCommand } from './run.commands';
import { decide } from './run.decide';
import { evolve } from './run.evolve';
import type { RunEvent } from './run.events';
import { replay } from './run.replay';
import { initialState, TERMINAL_STEP_STATUSES, type Run, type RunState } from './run.state';
import { dueTimers, nextDeadline } from './run.timers';
import {
  cmd,
  edge,
  foreachStep,
  signalStep,
  step,
  subworkflowStep,
  T0,
  whileStep,
  workflow,
} from './testing/fixtures';
import { testDeps } from './testing/given-when-then';

/**
 * Child runs, signals and run actions under random schedules: the parent's
 * loop state stays bounded by the concurrency, every iteration starts once,
 * every run ends under a fair schedule (restarts included), and the live
 * state always equals the replay of its history.
 */

interface Sim {
  state: RunState;
  readonly history: RunEvent[];
  now: number;
}

function newSim(): Sim {
  return { state: initialState(), history: [], now: T0 };
}

function runOf(sim: Sim): Run {
  if (sim.state.status === 'absent') throw new Error('run not started');
  return sim.state;
}

/** Decides and applies one command; `check` sees each event with the state before it. */
function apply(
  sim: Sim,
  command: RunCommand,
  check: (before: RunState, event: RunEvent) => void = () => undefined,
): RunEvent[] {
  const before = sim.state;
  const events = decide(command, before, testDeps);
  for (const event of events) {
    invariant(event.seq === sim.state.lastSeq + 1, () => `seq ${event.seq} after ${sim.state.lastSeq}`);
    check(sim.state, event);
    sim.state = evolve(sim.state, event);
  }
  sim.history.push(...events);
  // A refusal is one event that changes nothing but the seq.
  if (events.some((e) => e.type === 'CommandRejected')) {
    expect(events).toHaveLength(1);
    expect(sim.state).toEqual({ ...before, lastSeq: before.lastSeq + 1 });
  }
  for (const event of events) {
    const key = event.type === 'CommandRejected' ? `Rejected:${event.code}` : event.type;
    eventCounts[key] = (eventCounts[key] ?? 0) + 1;
  }
  return events;
}

/** What the properties produced, printed once so a reader can see what was exercised. */
const eventCounts: Record<string, number> = {};
afterAll(() => {
  console.log(`child run properties: events ${JSON.stringify(eventCounts)}`);
});

/** A cheap check for hot loops (jest's `expect` costs ~50µs a call); fast-check reports the message. */
function invariant(holds: boolean, message: () => string): void {
  if (!holds) throw new Error(`invariant broken: ${message()}`);
}

const at = (sim: Sim, step = 1): number => {
  sim.now += step;
  return sim.now - T0;
};

describe('foreach concurrency (property)', () => {
  it('never runs more than `concurrency` children, starts each index once, and succeeds once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.nat({ max: 1_000 }), { maxLength: 200 }),
        (total, concurrency, picks) => {
          const definition = workflow([
            foreachStep(
              'each',
              { i: { range: { from: 0, to: total, step: 1 } } },
              { concurrency, outputs: { n: 'result.iterations' } },
            ),
          ]);
          const sim = newSim();
          const startedIndexes = new Set<number>();
          const succeeded: RunEvent[] = [];
          const check = (_before: RunState, event: RunEvent) => {
            if (event.type === 'ChildRunsStarted') {
              const { running } = event.progress;
              invariant(running <= concurrency, () => `${running} running, concurrency ${concurrency}`);
              for (const { index, params } of event.children) {
                invariant(!startedIndexes.has(index), () => `iteration ${index} started twice`);
                startedIndexes.add(index);
                invariant(params.i === index && params.loop_index === index, () => JSON.stringify(params));
              }
            }
            if (event.type === 'StepSucceeded') succeeded.push(event);
          };
          apply(sim, cmd.start(definition), check);
          for (let k = 0; runOf(sim).status === 'running'; k += 1) {
            const loop = runOf(sim).steps.each.loop;
            if (loop === null) throw new Error('foreach has no loop state');
            const running = Object.keys(loop.running).map(Number);
            invariant(running.length <= concurrency, () => `${running.length} children in the loop state`);
            invariant(running.length === loop.progress.running, () => 'loop state and counters disagree');
            invariant(running.length > 0, () => 'the run waits for nothing');
            const index = running[(picks[k % Math.max(picks.length, 1)] ?? 0) % running.length];
            const events = apply(sim, cmd.childFinished('each', 1, index, 'succeeded', at(sim)), check);
            invariant(events[0].type === 'ChildRunEnded', () => JSON.stringify(events[0]));
          }
          expect(startedIndexes.size).toBe(total);
          expect([...startedIndexes].every((index) => index >= 0 && index < total)).toBe(true);
          expect(succeeded).toHaveLength(1);
          expect(succeeded[0]).toMatchObject({ stepId: 'each', outputs: { n: total } });
          expect(runOf(sim).status).toBe('succeeded');
          expect(replay(sim.history)).toEqual(sim.state);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('after a failed iteration starts nothing more, then fails once the running ones ended', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.tuple(
            fc.nat({ max: 1_000 }),
            fc.constantFrom<ChildRunOutcome>('succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'),
          ),
          { minLength: 1, maxLength: 80 },
        ),
        (total, concurrency, moves) => {
          const definition = workflow([
            foreachStep('each', { i: { range: { from: 0, to: total, step: 1 } } }, { concurrency }),
          ]);
          const sim = newSim();
          let failedSeen = false;
          let ends = 0;
          const check = (before: RunState, event: RunEvent) => {
            if (event.type === 'ChildRunsStarted') invariant(!failedSeen, () => 'started after a failure');
            if (event.type === 'ChildRunEnded' && event.outcome !== 'succeeded') failedSeen = true;
            if (event.type === 'StepSucceeded' || event.type === 'StepFailed') {
              ends += 1;
              const loop = before.status === 'absent' ? null : before.steps.each.loop;
              expect(loop?.progress.running).toBe(0);
              expect(event.type).toBe(failedSeen ? 'StepFailed' : 'StepSucceeded');
            }
          };
          apply(sim, cmd.start(definition), check);
          for (let k = 0; runOf(sim).status === 'running'; k += 1) {
            const loop = runOf(sim).steps.each.loop!;
            const running = Object.keys(loop.running).map(Number);
            invariant(running.length <= concurrency, () => `${running.length} children in the loop state`);
            const [pick, outcome] = moves[k % moves.length];
            const index = running[pick % running.length];
            apply(sim, cmd.childFinished('each', 1, index, outcome, at(sim)), check);
          }
          expect(ends).toBe(1);
          expect(runOf(sim).status).toBe(failedSeen ? 'failed' : 'succeeded');
          expect(replay(sim.history)).toEqual(sim.state);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/* ------------------------------------------------------------------------ */
/* Random workflows of every step kind, random actions, restarts.            */
/* ------------------------------------------------------------------------ */

const retryArb: fc.Arbitrary<RetryPolicy> = fc.record({
  userErrorLimit: fc.integer({ min: 0, max: 1 }),
  platformErrorLimit: fc.integer({ min: 0, max: 1 }),
  timeoutLimit: fc.integer({ min: 0, max: 1 }),
  backoff: fc.constant({ kind: 'fixed' as const, delayMs: 200 }),
});

const stepKindArb = fc.constantFrom('noop', 'foreach', 'while', 'subworkflow', 'wait_for_signal');

function stepArb(id: string): fc.Arbitrary<StepDefinition> {
  return fc
    .record({
      kind: stepKindArb,
      failureMode: fc.constantFrom<FailureMode>('fail_immediately', 'finish_running', 'ignore'),
      retry: retryArb,
      timeoutMs: fc.option(fc.integer({ min: 500, max: 4_000 }), { nil: undefined }),
      size: fc.integer({ min: 0, max: 5 }),
      concurrency: fc.integer({ min: 1, max: 3 }),
      ordered: fc.boolean(),
      maxIterations: fc.integer({ min: 1, max: 4 }),
      wait: fc.boolean(),
    })
    .map((r) => {
      const common = {
        failureMode: r.failureMode,
        retry: r.retry,
        ...(r.timeoutMs === undefined ? {} : { timeoutMs: r.timeoutMs }),
      };
      switch (r.kind) {
        case 'foreach':
          return foreachStep(
            id,
            { i: { range: { from: 0, to: r.size, step: 1 } } },
            { ...common, concurrency: r.concurrency, ordered: r.ordered },
          );
        case 'while':
          return whileStep(id, `params.loop_index < ${r.size}`, {
            ...common,
            maxIterations: r.maxIterations,
          });
        case 'subworkflow':
          return subworkflowStep(id, { ...common, wait: r.wait });
        case 'wait_for_signal':
          return signalStep(id, 'go', { n: { literal: r.size } }, common);
        default:
          return step(id, { ...common, outputs: { v: 'result.v' } });
      }
    });
}

const childWorkflowArb: fc.Arbitrary<{ definition: WorkflowDefinition; breakpoints: string[] }> = fc
  .integer({ min: 1, max: 6 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => stepArb(`s${i}`))))
  .chain((steps) => {
    const pairs: [string, string][] = [];
    for (let i = 0; i < steps.length; i += 1)
      for (let j = i + 1; j < steps.length; j += 1) pairs.push([steps[i].id, steps[j].id]);
    return fc.tuple(
      fc.constant(steps),
      fc
        .tuple(
          ...pairs.map(([from, to]) =>
            fc
              .tuple(
                fc.integer({ min: 0, max: 9 }),
                fc.constantFrom<string | undefined>(undefined, undefined, `steps.${from}.status != 'FAILED'`),
              )
              .map(([roll, condition]): Edge | null => (roll < 4 ? edge(from, to, condition) : null)),
          ),
        )
        .map((edges) => edges.filter((e): e is Edge => e !== null)),
      fc.subarray(
        steps.map((s) => s.id),
        { maxLength: Math.min(2, steps.length) },
      ),
    );
  })
  .map(([steps, edges, breakpoints]) => ({ definition: workflow(steps, edges), breakpoints }));

/** Per-event and per-state invariants of the child-run features. */
function checkEvent(before: RunState, event: RunEvent, seen: Set<string>): void {
  if (before.status === 'absent') return;
  const what = () => `${event.type} ${JSON.stringify(event)}`;
  if (before.status !== 'running')
    invariant(event.type === 'CommandRejected' || event.type === 'RunRestarted', what);
  if (event.type === 'ChildRunsStarted') {
    for (const child of event.children) {
      // A child run id is never reused, restarts and retries included.
      invariant(!seen.has(child.runId), () => `child ${child.runId} started twice`);
      seen.add(child.runId);
    }
    // A stopping run starts no more iterations of a loop that already started some.
    const loop = before.steps[event.stepId].loop;
    invariant(!before.stopping || (loop?.progress.started ?? 0) === 0, what);
  }
  if (event.type === 'StepReady') {
    for (const index of before.graph.incoming[event.stepId]) {
      const from = before.definition.edges[index].from;
      invariant(TERMINAL_STEP_STATUSES.includes(before.steps[from].status), what);
    }
  }
}

function checkState(run: Run): void {
  for (const s of run.definition.steps) {
    const state = run.steps[s.id];
    if (state.status !== 'waiting' || state.loop === null) continue;
    const { progress, running } = state.loop;
    const what = () => `step ${s.id}: ${JSON.stringify(state.loop)}`;
    invariant(Object.keys(running).length === progress.running, what);
    invariant(
      progress.started === progress.running + progress.succeeded + progress.failed + progress.cancelled,
      what,
    );
    if (s.type === 'foreach') {
      invariant(progress.running <= (s.ordered ? 1 : s.concurrency), what);
      invariant(progress.started <= (progress.total ?? 0), what);
    }
    if (s.type === 'while') invariant(progress.running <= 1, what);
  }
}

function inStatus(run: Run, status: string): string[] {
  return run.definition.steps.filter((s) => run.steps[s.id].status === status).map((s) => s.id);
}

/** A waiting parent step's running children as [stepId, attempt, index]. */
function runningChildren(run: Run): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (const s of run.definition.steps) {
    const state = run.steps[s.id];
    if (state.status !== 'waiting' || state.loop === null) continue;
    for (const index of Object.keys(state.loop.running)) out.push([s.id, state.attempt, Number(index)]);
  }
  return out;
}

function signalWaits(run: Run): [string, number][] {
  return run.definition.steps
    .filter((s) => s.type === 'wait_for_signal' && run.steps[s.id].status === 'waiting')
    .map((s) => [s.id, run.steps[s.id].attempt]);
}

/** A random command among those possible now, or a stale / out-of-place one. */
function randomCommand(sim: Sim, choice: number): RunCommand | null {
  const run = runOf(sim);
  const t = at(sim, choice % 11 === 0 ? 2_500 : choice % 150);
  const pick = <T>(items: T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(choice / 13) % items.length];
  const kind = choice % 20;
  const ready = pick(inStatus(run, 'ready'));
  const running = pick(inStatus(run, 'running'));
  const child = pick(runningChildren(run));
  const wait = pick(signalWaits(run));
  const outcomes: ChildRunOutcome[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'];
  if (kind < 3 && ready !== undefined) return cmd.started(ready, run.steps[ready].attempt, t, 'ex', 1_000);
  if (kind < 5 && running !== undefined)
    return cmd.complete(running, run.steps[running].attempt, t, { v: 1 }, 'ex');
  if (kind < 6 && running !== undefined)
    return cmd.fail(running, 'user', run.steps[running].attempt, t, 'ex');
  if (kind < 10 && child !== undefined) {
    const outputs: JsonObject = { work: { v: choice % 4 } };
    return cmd.childFinished(child[0], child[1], child[2], outcomes[choice % outcomes.length], t, outputs);
  }
  if (kind < 11 && wait !== undefined) return cmd.signal(wait[0], wait[1], t, { n: 1 }, `sig-${choice}`);
  if (kind < 14) {
    const due = dueTimers(run, sim.now);
    const timer = pick(due);
    if (timer !== undefined) return cmd.fire(timer.id, timer.kind, t);
  }
  const anyStep = pick(run.definition.steps.map((s) => s.id)) ?? 'ghost';
  if (kind === 14 && choice % 3 === 0) return cmd.stop('random stop', t);
  if (kind === 15 && choice % 4 === 0) return cmd.skip(anyStep, t);
  if (kind === 16) return cmd.resume(anyStep, t);
  if (kind === 17 && choice % 7 === 0) return cmd.cancel('random kill', t);
  // Stale: a child of an attempt that is not the current one, or an index never started.
  if (kind === 18) return cmd.childFinished(anyStep, run.steps[anyStep].attempt + 1, 0, 'succeeded', t);
  if (kind === 19) return cmd.childFinished(anyStep, run.steps[anyStep].attempt, 99, 'succeeded', t);
  return null;
}

/** The fair schedule: finish what runs, start what is ready, end children, deliver, resume, wait for timers. */
function drainCommand(sim: Sim): RunCommand | null {
  const run = runOf(sim);
  const t = at(sim);
  const running = inStatus(run, 'running')[0];
  if (running !== undefined) return cmd.complete(running, run.steps[running].attempt, t, { v: 1 }, 'ex');
  const ready = inStatus(run, 'ready')[0];
  if (ready !== undefined) return cmd.started(ready, run.steps[ready].attempt, t, 'ex', 1_000);
  const child = runningChildren(run)[0];
  if (child !== undefined) return cmd.childFinished(child[0], child[1], child[2], 'succeeded', t, {});
  const wait = signalWaits(run)[0];
  if (wait !== undefined) return cmd.signal(wait[0], wait[1], t, { n: 1 });
  const paused = inStatus(run, 'paused')[0];
  if (paused !== undefined) return cmd.resume(paused, t);
  const next = nextDeadline(run);
  if (next === null) return null;
  sim.now = Math.max(sim.now, next);
  const timer = dueTimers(run, sim.now)[0];
  return cmd.fire(timer.id, timer.kind, sim.now - T0);
}

function runToEnd(sim: Sim, choices: number[], seen: Set<string>): void {
  const check = (before: RunState, event: RunEvent) => checkEvent(before, event, seen);
  for (const choice of choices) {
    if (runOf(sim).status !== 'running') break;
    const command = randomCommand(sim, choice);
    if (command !== null) apply(sim, command, check);
    checkState(runOf(sim));
  }
  for (let i = 0; i < 500 && runOf(sim).status === 'running'; i += 1) {
    const command = drainCommand(sim);
    if (command === null) throw new Error(`run is stuck: ${JSON.stringify(runOf(sim).steps)}`);
    apply(sim, command, check);
    checkState(runOf(sim));
  }
  const run = runOf(sim);
  expect(run.status).not.toBe('running');
  expect(run.timers).toEqual({});
  expect(
    run.counts.paused + run.counts.ready + run.counts.running + run.counts.waiting + run.counts.retry_waiting,
  ).toBe(0);
  if (run.status === 'succeeded') {
    for (const s of run.definition.steps) {
      const status = run.steps[s.id].status;
      expect(
        status === 'succeeded' || status === 'skipped' || (status === 'failed' && s.failureMode === 'ignore'),
      ).toBe(true);
    }
  }
}

describe('child runs, signals and run actions (property)', () => {
  it('every run and every restart ends under a fair schedule, and replays to the live state', () => {
    const restartArb = fc.record({
      mode: fc.constantFrom<RestartMode>('incomplete', 'beginning', 'from_step'),
      stepPick: fc.nat(),
      choices: fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 60 }),
    });
    fc.assert(
      fc.property(
        childWorkflowArb,
        fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 120 }),
        fc.array(restartArb, { maxLength: 2 }),
        ({ definition, breakpoints }, choices, restarts) => {
          const sim = newSim();
          const seen = new Set<string>();
          apply(sim, cmd.startWith(definition, { breakpoints }), (b, e) => checkEvent(b, e, seen));
          runToEnd(sim, choices, seen);
          for (const restart of restarts) {
            const stepId = definition.steps[restart.stepPick % definition.steps.length].id;
            const events = apply(sim, cmd.restart(restart.mode, at(sim), { stepId }), (b, e) =>
              checkEvent(b, e, seen),
            );
            expect(events[0].type).toBe('RunRestarted');
            runToEnd(sim, restart.choices, seen);
          }
          expect(sim.history.map((e) => e.seq)).toEqual(sim.history.map((_, i) => i + 1));
          expect(replay(sim.history)).toEqual(sim.state);
        },
      ),
      { numRuns: Number(process.env.BATON_PROPERTY_RUNS ?? 300) },
    );
  });
});
