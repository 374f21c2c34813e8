import fc from 'fast-check';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import type { RunCommand } from './run.commands';
import { decideRun } from './run.decide';
import { evolve } from './run.evolve';
import type { RunEvent } from './run.events';
import { replay } from './run.replay';
import { TERMINAL_STEP_STATUSES, type Run, type RunState } from './run.state';
import { dueTimers, nextDeadline } from './run.timers';
import { workflowArb } from './testing/arbitraries';
import { cmd, RUN_ID, T0 } from './testing/fixtures';
import { testDeps } from './testing/given-when-then';

/**
 * The decider under random workflows and random interleavings of executor
 * reports, timer fires, cancellations and stale or invalid commands. A
 * simulation loop holds the state the engine would hold; every command is
 * checked for the invariants below. Once the random choices run out, a fair
 * "drain" policy (start what is ready, complete what runs, fire the next
 * timer) must finish the run within a bound.
 */
const RANDOM_STEPS = 150;
const DRAIN_BOUND = 400;
const LEASE_MS = 1_000;

interface Simulation {
  state: RunState;
  readonly history: RunEvent[];
  now: number;
  readonly succeeded: Set<string>;
  commands: number;
}

/** What the test expects of a command: must be refused, or anything allowed. */
type Expectation = 'refused' | 'any';

function run(sim: Simulation): Run {
  if (sim.state.status === 'absent') throw new Error('run not started');
  return sim.state;
}

function apply(sim: Simulation, command: RunCommand, expectation: Expectation): RunEvent[] {
  const before = sim.state;
  const decision = decideRun(command, before, testDeps);
  const events = [...decision.events];
  sim.commands += 1;
  // Seqs continue the history with no gap.
  events.forEach((e, i) => {
    expect(e.seq).toBe(before.lastSeq + 1 + i);
    expect(e.runId).toBe(RUN_ID);
    expect(e.at).toBe(command.metadata.at);
  });
  const refused = events.some((e) => e.type === 'CommandRejected');
  if (expectation === 'refused') expect(refused).toBe(true);
  let state = before;
  for (const event of events) {
    checkEvent(state, event, sim);
    state = evolve(state, event);
  }
  // A refusal is one event that changes nothing but the seq.
  if (refused) {
    expect(events).toHaveLength(1);
    expect(state).toEqual({ ...before, lastSeq: before.lastSeq + 1 });
  }
  // The state the decider's transaction ended in is the fold of its events: the engine adopts it as is.
  expect(decision.state).toEqual(state);
  sim.state = state;
  sim.history.push(...events);
  return events;
}

function checkEvent(state: RunState, event: RunEvent, sim: Simulation): void {
  if (state.status === 'absent') return;
  // Nothing but refusals once the run has ended.
  if (state.status !== 'running') expect(event.type).toBe('CommandRejected');
  if (event.type === 'StepSucceeded') {
    expect(sim.succeeded.has(event.stepId)).toBe(false);
    sim.succeeded.add(event.stepId);
  }
  if (event.type === 'StepReady') {
    // No step runs before every predecessor has finished.
    for (const index of state.graph.incoming[event.stepId]) {
      const from = state.definition.edges[index].from;
      expect(TERMINAL_STEP_STATUSES).toContain(state.steps[from].status);
    }
  }
}

function stepsIn(sim: Simulation, status: 'ready' | 'running'): [string, number][] {
  return Object.entries(run(sim).steps)
    .filter(([, s]) => s.status === status)
    .map(([id, s]) => [id, s.attempt]);
}

/** One random command among those currently possible, plus stale and invalid ones. */
function randomCommand(sim: Simulation, choice: number): [RunCommand, Expectation] | null {
  // Mostly small steps of time, sometimes a jump long enough to expire leases and timeouts.
  sim.now += choice % 13 === 0 ? 3_100 : choice % 300;
  const at = sim.now - T0;
  const ready = stepsIn(sim, 'ready');
  const running = stepsIn(sim, 'running');
  const pick = <T>(items: T[]): T => items[Math.floor(choice / 7) % items.length];
  const kind = choice % 23;
  if (kind < 4 && ready.length > 0) {
    const [id, attempt] = pick(ready);
    return [cmd.started(id, attempt, at, 'ex', LEASE_MS), 'any'];
  }
  if (kind < 7 && running.length > 0) {
    const [id, attempt] = pick(running);
    return [cmd.complete(id, attempt, at, { v: choice % 10 }, 'ex'), 'any'];
  }
  if (kind < 9 && running.length > 0) {
    const [id, attempt] = pick(running);
    return [cmd.fail(id, 'user', attempt, at, 'ex'), 'any'];
  }
  if (kind < 10 && running.length > 0) {
    const [id, attempt] = pick(running);
    return [cmd.fail(id, 'platform', attempt, at, 'ex'), 'any'];
  }
  if (kind < 13 && running.length > 0) {
    const [id, attempt] = pick(running);
    return [cmd.heartbeat(id, attempt, at, 'ex'), 'any'];
  }
  if (kind < 18) {
    const due = dueTimers(sim.state, sim.now);
    if (due.length > 0) {
      const timer = pick(due);
      return [cmd.fire(timer.id, timer.kind, at), 'any'];
    }
    const next = nextDeadline(sim.state);
    if (kind === 17 && next !== null && next > sim.now) {
      // Early fire of the next timer: refused.
      const timer = dueTimers(sim.state, next)[0];
      return [cmd.fire(timer.id, timer.kind, at), 'refused'];
    }
  }
  if (kind === 18 && choice % 5 === 0) return [cmd.cancel('random cancel', at), 'any'];
  if (kind === 19) {
    const steps = Object.entries(run(sim).steps);
    const [id, s] = pick(steps);
    return [cmd.complete(id, s.attempt + 1 + (choice % 3), at, null, 'ex'), 'refused'];
  }
  if (kind === 20) return [cmd.heartbeat('ghost', 1, at, 'ex'), 'refused'];
  if (kind === 21) return [cmd.fire(`retry/ghost/${choice % 3}`, 'retry', at), 'refused'];
  if (kind === 22) return [cmd.start(run(sim).definition, {}, at), 'refused'];
  return null;
}

/** The fair scheduler: run what is running, start what is ready, else wait for the next timer. */
function drainCommand(sim: Simulation): RunCommand | null {
  const running = stepsIn(sim, 'running');
  if (running.length > 0) return cmd.complete(running[0][0], running[0][1], sim.now - T0, { v: 5 }, 'ex');
  const ready = stepsIn(sim, 'ready');
  if (ready.length > 0) return cmd.started(ready[0][0], ready[0][1], sim.now - T0, 'ex', LEASE_MS);
  const next = nextDeadline(sim.state);
  if (next === null) return null;
  sim.now = Math.max(sim.now, next);
  const timer = dueTimers(sim.state, sim.now)[0];
  return cmd.fire(timer.id, timer.kind, sim.now - T0);
}

function simulate(definition: WorkflowDefinition, choices: number[]): Simulation {
  const sim: Simulation = { state: replay([]), history: [], now: T0, succeeded: new Set(), commands: 0 };
  apply(sim, cmd.start(definition, {}, 0), 'any');
  let lastAccepted: RunCommand | null = null;
  for (const choice of choices) {
    if (sim.state.status !== 'running') break;
    const next = randomCommand(sim, choice);
    if (next === null) continue;
    // Now and then, redeliver the last accepted report or cancel: refused, whatever it was.
    if (lastAccepted !== null && choice % 31 === 0) apply(sim, lastAccepted, 'refused');
    const events = apply(sim, next[0], next[1]);
    const accepted = events.length > 0 && events[0].type !== 'CommandRejected';
    const redeliverable = ['CompleteStep', 'FailStep', 'CancelRun', 'ReportStepStarted'].includes(
      next[0].type,
    );
    lastAccepted = accepted && redeliverable ? next[0] : lastAccepted;
  }
  for (let i = 0; i < DRAIN_BOUND && sim.state.status === 'running'; i += 1) {
    const command = drainCommand(sim);
    if (command === null) throw new Error('run is stuck: running, nothing active and no timer');
    apply(sim, command, 'any');
  }
  return sim;
}

describe('run decider properties', () => {
  let cases = 0;
  let commands = 0;
  const outcomes: Record<string, number> = {};
  const eventCounts: Record<string, number> = {};

  afterAll(() => {
    // Visible in the test output, so the report can say how much ran.
    console.log(
      `run decider properties: ${cases} cases, ${commands} commands, outcomes ${JSON.stringify(outcomes)}`,
    );
    console.log(`run decider properties: events ${JSON.stringify(eventCounts)}`);
  });

  it('every run terminates, replays to the live state, and keeps its invariants', () => {
    fc.assert(
      fc.property(
        workflowArb,
        fc.array(fc.nat({ max: 1_000_000 }), { maxLength: RANDOM_STEPS }),
        (definition, choices) => {
          const sim = simulate(definition, choices);
          cases += 1;
          commands += sim.commands;
          const final = run(sim);
          outcomes[final.status] = (outcomes[final.status] ?? 0) + 1;
          for (const e of sim.history) {
            const key =
              e.type === 'CommandRejected'
                ? `Rejected:${e.code}`
                : e.type === 'RunFailed'
                  ? `RunFailed:${e.reason}`
                  : e.type === 'StepSkipped'
                    ? `Skipped:${e.reason}`
                    : e.type === 'StepFailed'
                      ? `StepFailed:${e.errorKind}:${e.willRetry}`
                      : e.type;
            eventCounts[key] = (eventCounts[key] ?? 0) + 1;
          }
          expect(final.status).not.toBe('running');
          expect(final.timers).toEqual({});
          expect(replay(sim.history)).toEqual(sim.state);
          expect(sim.history.map((e) => e.seq)).toEqual(sim.history.map((_, i) => i + 1));
          if (final.status === 'succeeded') {
            // A run succeeds only if every step succeeded, was skipped, or failed under `ignore`.
            for (const s of final.definition.steps) {
              const status = final.steps[s.id].status;
              expect(
                status === 'succeeded' ||
                  status === 'skipped' ||
                  (status === 'failed' && s.failureMode === 'ignore'),
              ).toBe(true);
            }
          }
          // No step is left active in a finished run.
          expect(
            final.counts.ready + final.counts.running + final.counts.sleeping + final.counts.retry_waiting,
          ).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('evolve never mutates the state it is given', () => {
    fc.assert(
      fc.property(
        workflowArb,
        fc.array(fc.nat({ max: 1_000_000 }), { maxLength: 60 }),
        (definition, choices) => {
          const sim = simulate(definition, choices);
          let state = replay([]);
          for (const event of sim.history) {
            const frozen = JSON.stringify(state);
            const next = evolve(state, event);
            expect(JSON.stringify(state)).toBe(frozen);
            state = next;
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
