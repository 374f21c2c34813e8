import { upcast, upcasterChain } from '../shared/upcaster';
import { RUN_EVENT_SCHEMA_VERSION, type RunEventType } from './run.events';

/**
 * Run events of older schema versions, upcast to the current one. Empty
 * while every run event ever written is version 1; see docs/events.md for
 * how a version is added.
 */
export const RUN_EVENT_UPCASTERS = upcasterChain<RunEventType>(RUN_EVENT_SCHEMA_VERSION, {});

/**
 * A run event's JSON at the current version, for every reader of recorded
 * events (the projector's codec, the status replay of stored events).
 */
export function upcastRunEvent(event: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return upcast(RUN_EVENT_UPCASTERS, event);
}
