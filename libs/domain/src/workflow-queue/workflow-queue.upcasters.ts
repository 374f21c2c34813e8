import { upcast, upcasterChain } from '../shared/upcaster';
import { WORKFLOW_EVENT_SCHEMA_VERSION, type WorkflowEventType } from './workflow-queue.events';

/** Workflow-queue events of older schema versions, upcast to the current one; empty while all are version 1. */
export const WORKFLOW_EVENT_UPCASTERS = upcasterChain<WorkflowEventType>(WORKFLOW_EVENT_SCHEMA_VERSION, {});

/** A workflow-queue event's JSON at the current version (the projector's codec reads through it). */
export function upcastWorkflowEvent(
  event: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return upcast(WORKFLOW_EVENT_UPCASTERS, event);
}
