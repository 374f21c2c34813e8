import { evolve } from '../run/run.evolve';
import { RUN_EVENT_SCHEMA_VERSION, type RunEvent, type RunEventType } from '../run/run.events';
import { RUN_EVENT_UPCASTERS, upcastRunEvent } from '../run/run.upcasters';
import { initialState } from '../run/run.state';
import { WORKFLOW_EVENT_UPCASTERS } from '../workflow-queue/workflow-queue.upcasters';
import { upcast, upcasterChain } from './upcaster';

/**
 * A real change, written as the version bump it would have been: run
 * breakpoints and child runs added `breakpoints` and `parent` to RunStarted,
 * and events written before lack them (today the projector's codec lists
 * them as optional and evolve defaults them). Had that been version 2, this
 * is its upcaster: a v1 RunStarted gets the values a run without those
 * features has, and every other event type passes unchanged.
 */
const WITH_BREAKPOINTS = upcasterChain<RunEventType>(2, {
  1: {
    RunStarted: (event) => ({
      ...event,
      parent: event.parent ?? null,
      breakpoints: event.breakpoints ?? [],
    }),
  },
});

/** A RunStarted as version 1 engines wrote it before breakpoints and child runs existed. */
const startedBeforeBreakpoints = {
  type: 'RunStarted',
  runId: 'r-old',
  seq: 1,
  schemaVersion: 1,
  at: 1_700_000_000_000,
  definition: {
    id: 'sales.daily',
    version: 3,
    name: 'Daily sales',
    description: '',
    tags: [],
    params: [],
    steps: [],
    edges: [],
    runStrategy: { kind: 'parallel' },
  },
  params: {},
  requestId: 'request-1',
  scheduledAt: 1_700_000_000_000,
  timeoutAt: null,
} as const;

describe('event upcasters', () => {
  it('upcasts an older event through every step up to the current version', () => {
    const sut = upcast(WITH_BREAKPOINTS, startedBeforeBreakpoints);

    expect(sut).toEqual({ ...startedBeforeBreakpoints, schemaVersion: 2, parent: null, breakpoints: [] });
    // The event as written is untouched (events are never rewritten).
    expect(startedBeforeBreakpoints).not.toHaveProperty('breakpoints');
  });

  it('leaves event types the step does not name as they are, at the new version', () => {
    const ready = { type: 'StepReady', runId: 'r-old', seq: 2, schemaVersion: 1, at: 1, stepId: 'a' };

    expect(upcast(WITH_BREAKPOINTS, ready)).toEqual({ ...ready, schemaVersion: 2 });
  });

  it('returns current and unknown versions unchanged, for the reader to check', () => {
    const current = { ...startedBeforeBreakpoints, schemaVersion: 2 };
    const newer = { ...startedBeforeBreakpoints, schemaVersion: 3 };
    const broken = { ...startedBeforeBreakpoints, schemaVersion: 'one' };

    expect(upcast(WITH_BREAKPOINTS, current)).toBe(current);
    expect(upcast(WITH_BREAKPOINTS, newer)).toBe(newer);
    expect(upcast(WITH_BREAKPOINTS, broken)).toBe(broken);
  });

  it('gives evolve the same run from the upcast event as from one written at the new version', () => {
    const upcast2 = upcast(WITH_BREAKPOINTS, startedBeforeBreakpoints) as unknown as RunEvent;
    const written2 = {
      ...startedBeforeBreakpoints,
      schemaVersion: 2,
      parent: null,
      breakpoints: [],
    } as unknown as RunEvent;

    expect(evolve(initialState(), upcast2)).toEqual(evolve(initialState(), written2));
  });

  it('refuses a chain with a missing step', () => {
    expect(() => upcasterChain<RunEventType>(3, { 1: {} })).toThrow(
      'no upcaster step from schemaVersion 2 to 3',
    );
  });

  it("is the identity for today's run and workflow events (every one ever written is version 1)", () => {
    expect(RUN_EVENT_UPCASTERS).toEqual({ current: RUN_EVENT_SCHEMA_VERSION, steps: {} });
    expect(WORKFLOW_EVENT_UPCASTERS.current).toBe(1);
    const event = { ...startedBeforeBreakpoints };
    expect(upcastRunEvent(event)).toBe(event);
  });
});
