/**
 * The slot where old event shapes become current ones. Events are never
 * rewritten on the log; a reader of an older `schemaVersion` passes each one
 * through the chain of upcasters from its version to the current one, so
 * `evolve`, the projectors and the status mapper only ever see the current
 * shape. Each step is a pure function of one event's JSON (no clock, no I/O),
 * so a replay of a recorded history is the same every time.
 *
 * Adding a version: bump the writer's constant (`RUN_EVENT_SCHEMA_VERSION`,
 * `WORKFLOW_EVENT_SCHEMA_VERSION`) and add `steps[old]` with an upcaster for
 * each event type whose shape changed; `upcasterChain` refuses a chain with a
 * missing step (docs/events.md).
 */

/** Turns one event of version v into its shape at v + 1 (the chain sets `schemaVersion`). */
export type Upcaster = (event: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export interface UpcasterChain<Type extends string> {
  /** The version this code writes and reads natively. */
  readonly current: number;
  /** `steps[v][type]` upcasts a `type` event of version v to v + 1; a type absent from a step is unchanged by it. */
  readonly steps: Readonly<Record<number, Readonly<Partial<Record<Type, Upcaster>>>>>;
}

/**
 * A chain from version 1 to `current`; throws (at module load) when a step
 * between them is missing, so a version bump without its upcasters fails
 * every test that loads the codec.
 *
 * @example
 *   const chain = upcasterChain<'RunStarted'>(2, {
 *     1: { RunStarted: (event) => ({ ...event, breakpoints: event.breakpoints ?? [] }) },
 *   });
 */
export function upcasterChain<Type extends string>(
  current: number,
  steps: UpcasterChain<Type>['steps'],
): UpcasterChain<Type> {
  for (let version = 1; version < current; version++) {
    if (steps[version] === undefined) {
      throw new Error(`no upcaster step from schemaVersion ${version} to ${version + 1}`);
    }
  }
  return { current, steps };
}

/**
 * The event at the chain's current version. An event of the current version
 * is returned as it is (the same object); one whose `schemaVersion` is not a
 * known older version (missing, newer, not an integer) is returned unchanged
 * too, for the reader's own checks to refuse with their message.
 */
export function upcast<Type extends string>(
  chain: UpcasterChain<Type>,
  event: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const version = event.schemaVersion;
  if (!Number.isSafeInteger(version) || (version as number) < 1 || (version as number) >= chain.current) {
    return event;
  }
  let value = event;
  for (let from = version as number; from < chain.current; from++) {
    const step = chain.steps[from][event.type as Type];
    value = { ...(step === undefined ? value : step(value)), schemaVersion: from + 1 };
  }
  return value;
}
