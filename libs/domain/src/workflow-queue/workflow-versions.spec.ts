import fc from 'fast-check';
import type { WorkflowCommand } from './workflow-queue.commands';
import { decideWorkflowCommand } from './workflow-queue.decide';
import { evolveWorkflowQueue } from './workflow-queue.evolve';
import { initialWorkflowQueueState } from './workflow-queue.state';
import { PARALLEL, SEQUENTIAL, T0, version, wq } from './testing/fixtures';
import { given } from './testing/given-when-then';

const v1 = version(PARALLEL, 1);
const v2 = version(SEQUENTIAL, 2);
const { version: _ignored, ...draft1 } = v1;
const { version: _ignored2, ...draft2 } = v2;

describe('pushing versions', () => {
  it('numbers the first push 1 and makes it active, even without activate', () => {
    const push = wq.push(draft1, false);
    given()
      .when(push)
      .then({
        type: 'WorkflowVersionPushed',
        commandId: push.metadata.commandId,
        version: 1,
        definition: { ...draft1, version: 1 },
        source: 'src',
        activeVersion: 1,
      });
  });

  it('adds the next version; activate makes it active, otherwise the active one stays', () => {
    const activating = wq.push(draft2, true);
    expect(given(wq.push(draft1, true)).when(activating).events[0]).toMatchObject({
      type: 'WorkflowVersionPushed',
      version: 2,
      activeVersion: 2,
    });
    const quiet = wq.push(draft2, false);
    const outcome = given(wq.push(draft1, true)).when(quiet);
    expect(outcome.events[0]).toMatchObject({ version: 2, activeVersion: 1 });
    expect(outcome.after).toMatchObject({ latestVersion: 2, activeVersion: 1, registryUpdatedAt: T0 });
  });

  it('answers an identical re-push (keys in another order, a stale version) with the latest version', () => {
    const reordered = Object.fromEntries(
      Object.entries({ ...draft1, version: 7 }).reverse(),
    ) as typeof draft1;
    const again = wq.push(reordered, false);
    given(wq.push(draft1, true)).when(again).then({
      type: 'WorkflowPushUnchanged',
      commandId: again.metadata.commandId,
      version: 1,
      activeVersion: 1,
    });
  });

  it('an identical re-push with activate activates the latest version, ending a deactivation', () => {
    const again = wq.push(draft2, true);
    given(wq.push(draft1, true), wq.push(draft2, false), wq.deactivate())
      .when(again)
      .then({ type: 'WorkflowVersionActivated', commandId: again.metadata.commandId, version: 2 });
  });

  it('a push after a deactivation adds a version and leaves none active unless it activates', () => {
    const outcome = given(wq.push(draft1, true), wq.deactivate()).when(wq.push(draft2, false));
    expect(outcome.after).toMatchObject({ latestVersion: 2, activeVersion: null });
  });

  it('seeding (expectedVersion) pushes exactly the next version and refuses any other', () => {
    given()
      .when(wq.push(draft1, false, 2))
      .thenRejected('VersionConflict');
    given(wq.push(draft1, false, 1))
      .when(wq.push(draft1, false, 1))
      .thenRejected('VersionConflict');
    // Equal consecutive versions are the seeded history's business, not a no-op.
    expect(given(wq.push(draft1, false, 1)).when(wq.push(draft1, false, 2)).after.latestVersion).toBe(2);
  });
});

describe('activating and deactivating', () => {
  it('activates any pushed version', () => {
    const activate = wq.activate(1);
    given(wq.push(draft1, true), wq.push(draft2, true))
      .when(activate)
      .then({ type: 'WorkflowVersionActivated', commandId: activate.metadata.commandId, version: 1 });
  });

  it('refuses an unknown workflow and a version never pushed', () => {
    given().when(wq.activate(1)).thenRejected('WorkflowNotFound');
    given().when(wq.deactivate()).thenRejected('WorkflowNotFound');
    given(wq.push(draft1, true)).when(wq.activate(2)).thenRejected('WorkflowVersionNotFound');
    given(wq.push(draft1, true)).when(wq.activate(0)).thenRejected('WorkflowVersionNotFound');
  });

  it('deactivates; twice answers again and changes nothing', () => {
    const first = wq.deactivate(5);
    const once = given(wq.push(draft1, true)).when(first);
    once.then({ type: 'WorkflowDeactivated', commandId: first.metadata.commandId, previousVersion: 1 });
    expect(once.after).toMatchObject({ activeVersion: null, registryUpdatedAt: T0 + 5 });
    const twice = given(wq.push(draft1, true), wq.deactivate(5)).when(wq.deactivate(9));
    expect(twice.events[0]).toMatchObject({ type: 'WorkflowDeactivated', previousVersion: null });
    expect(twice.after).toMatchObject({ activeVersion: null, registryUpdatedAt: T0 + 5 });
  });
});

describe('registry properties', () => {
  type Op =
    | { kind: 'push'; def: number; activate: boolean }
    | { kind: 'activate'; version: number }
    | { kind: 'deactivate' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('push' as const),
      def: fc.integer({ min: 0, max: 2 }),
      activate: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('activate' as const), version: fc.integer({ min: 0, max: 8 }) }),
    fc.constant({ kind: 'deactivate' as const }),
  );
  const drafts = [
    { ...draft1, name: 'a' },
    { ...draft2, name: 'b' },
    { ...draft1, name: 'c' },
  ];

  it('versions are 1..n without gaps, the active one is pushed or null, every command answers once', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        let state = initialWorkflowQueueState();
        const pushed: number[] = [];
        const names: string[] = [];
        for (const op of ops) {
          const command: WorkflowCommand =
            op.kind === 'push'
              ? wq.push(drafts[op.def], op.activate)
              : op.kind === 'activate'
                ? wq.activate(op.version)
                : wq.deactivate();
          const events = decideWorkflowCommand(command, state);
          expect(events).toHaveLength(1);
          for (const event of events) {
            if (event.type === 'WorkflowVersionPushed') pushed.push(event.version);
            state = evolveWorkflowQueue(state, event);
          }
          expect(pushed).toEqual(pushed.map((_, i) => i + 1));
          expect(state.latestVersion).toBe(pushed.length);
          if (state.activeVersion !== null) expect(pushed).toContain(state.activeVersion);
          if (pushed.length > 0 && op.kind === 'push' && op.activate)
            expect(state.activeVersion).not.toBeNull();
          // No two consecutive versions are equal: a re-push of the latest adds none.
          if (events[0].type === 'WorkflowVersionPushed') {
            expect(names[names.length - 1]).not.toBe(events[0].definition.name);
            names.push(events[0].definition.name);
          }
        }
      }),
    );
  });
});
