import fc from 'fast-check';
import type { WorkflowDefinition } from '../workflow/workflow-definition';
import type { RunCommand } from './run.commands';
import { decide } from './run.decide';
import { evolve } from './run.evolve';
import { ACTIVE_STEP_STATUSES, initialState, type Run, type RunState } from './run.state';
import { cmd, edge, ev, step, workflow } from './testing/fixtures';
import { givenCommands, testDeps } from './testing/given-when-then';

/** `step_concurrency: limit` on a workflow. */
function limited(definition: WorkflowDefinition, limit: number): WorkflowDefinition {
  return { ...definition, stepConcurrency: limit };
}

/** a fans out to b, c, d, e. */
const fanOut = (limit: number) =>
  limited(
    workflow(
      [step('a'), step('b'), step('c'), step('d'), step('e')],
      ['b', 'c', 'd', 'e'].map((to) => edge('a', to)),
    ),
    limit,
  );

const activeOf = (state: RunState) =>
  ACTIVE_STEP_STATUSES.reduce((sum, status) => sum + (state as Run).counts[status], 0);

describe('step_concurrency: at most N steps of a run active at once', () => {
  it('starts only N of the roots; the others wait pending', () => {
    const three = limited(workflow([step('a'), step('b'), step('c')]), 2);
    const outcome = givenCommands()
      .when(cmd.start(three))
      .then(ev.runStarted(three), ev.ready('a'), ev.ready('b'));
    expect((outcome.after as Run).steps.c.status).toBe('pending');
  });

  it('fills a fan-out up to the limit, in definition order, and starts the next as each step ends', () => {
    givenCommands(cmd.start(fanOut(2)), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(ev.succeeded('a'), ev.ready('b'), ev.ready('c'));
    givenCommands(cmd.start(fanOut(2)), cmd.started('a'), cmd.complete('a'), cmd.started('c'))
      .when(cmd.complete('c'))
      .then(ev.succeeded('c'), ev.ready('d'));
  });

  it('ends the run only once the held-back steps have run too', () => {
    const history = [cmd.start(fanOut(1)), cmd.started('a'), cmd.complete('a')];
    for (const id of ['b', 'c', 'd']) history.push(cmd.started(id), cmd.complete(id));
    givenCommands(...history, cmd.started('e'))
      .when(cmd.complete('e'))
      .then(ev.succeeded('e'), { type: 'RunSucceeded' });
  });

  it('keeps the slot of a step waiting to retry: nothing else starts meanwhile', () => {
    const retrying = limited(
      workflow([step('a', { retry: { ...step('a').retry, userErrorLimit: 1 } }), step('b')]),
      1,
    );
    const outcome = givenCommands(cmd.start(retrying), cmd.started('a')).when(cmd.fail('a', 'user'));
    expect(outcome.events.map((e) => e.type)).not.toContain('StepReady');
    expect((outcome.after as Run).steps).toMatchObject({
      a: { status: 'retry_waiting' },
      b: { status: 'pending' },
    });
  });

  it('needs no slot to skip: a branch not taken resolves while the slot is held', () => {
    const branches = limited(
      workflow([step('a'), step('b'), step('c')], [edge('a', 'b', 'false'), edge('a', 'c')]),
      1,
    );
    givenCommands(cmd.start(branches), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(ev.succeeded('a', 1, {}, { b: false }), ev.skipped('b', 'condition_false'), ev.ready('c'));
  });

  it('without step_concurrency starts every ready step at once', () => {
    const open = { ...fanOut(1), stepConcurrency: undefined };
    givenCommands(cmd.start(open), cmd.started('a'))
      .when(cmd.complete('a'))
      .then(ev.succeeded('a'), ev.ready('b'), ev.ready('c'), ev.ready('d'), ev.ready('e'));
  });

  it('never has more than N steps active, whatever order steps start and end in, and every step runs', () => {
    const roots = ['s1', 's2', 's3', 's4', 's5', 's6'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        (limit, picks) => {
          const definition = limited(
            workflow(
              [...roots.map((id) => step(id)), step('join')],
              roots.map((id) => edge(id, 'join')),
            ),
            limit,
          );
          let state = apply(initialState(), cmd.start(definition));
          for (const pick of picks) {
            const run = state as Run;
            if (run.status !== 'running') break;
            const ready = Object.entries(run.steps).filter(([, s]) => s.status === 'ready');
            const running = Object.entries(run.steps).filter(([, s]) => s.status === 'running');
            const choices = [
              ...ready.map(([id]) => cmd.started(id, 1, pick)),
              ...running.map(([id]) => cmd.complete(id, 1, pick)),
            ];
            if (choices.length === 0) break;
            state = apply(state, choices[pick % choices.length]);
            expect(activeOf(state)).toBeLessThanOrEqual(limit);
          }
          // Driven to the end, the run succeeds: nothing was left behind.
          for (let i = 0; i < 100 && (state as Run).status === 'running'; i++) {
            const [id, s] = Object.entries((state as Run).steps).find(
              ([, x]) => x.status === 'ready' || x.status === 'running',
            )!;
            state = apply(state, s.status === 'ready' ? cmd.started(id) : cmd.complete(id));
            expect(activeOf(state)).toBeLessThanOrEqual(limit);
          }
          expect((state as Run).status).toBe('succeeded');
        },
      ),
      { numRuns: 200 },
    );
  });
});

function apply(state: RunState, command: RunCommand): RunState {
  return decide(command, state, testDeps).reduce(evolve, state);
}
