import type { RunEvent } from '@baton/domain';
import { STATUS_EVENT_DATA_SCHEMA, type StatusCloudEvent, type StatusEventData } from './status-event';

type StatusChange = Pick<StatusEventData, 'scope' | 'status'> &
  Partial<Pick<StatusEventData, 'stepId' | 'attempt' | 'reason'>>;

/**
 * The public status change an event means, or null for events other systems
 * do not need (lease extensions, rejections). `run` is the state after the
 * event (for the workflow id and version).
 */
export function statusChangeOf(event: RunEvent): StatusChange | null {
  switch (event.type) {
    case 'RunStarted':
      return { scope: 'run', status: 'running' };
    case 'RunSucceeded':
      return { scope: 'run', status: 'succeeded' };
    case 'RunFailed':
      return { scope: 'run', status: 'failed', reason: event.message || event.reason };
    case 'RunCancelled':
      return { scope: 'run', status: 'cancelled', reason: event.reason };
    case 'RunStopping':
      return { scope: 'run', status: 'stopping', reason: event.reason };
    case 'RunRestarted':
      return { scope: 'run', status: 'restarted', attempt: event.runAttempt };
    case 'StepReady': {
      const status = event.dispatch.kind === 'pool' || event.dispatch.kind === 'timer' ? 'ready' : 'waiting';
      return { scope: 'step', status, stepId: event.stepId, attempt: event.attempt };
    }
    case 'StepPaused':
      return { scope: 'step', status: 'paused', stepId: event.stepId, reason: 'breakpoint' };
    case 'StepStarted':
      return { scope: 'step', status: 'running', stepId: event.stepId, attempt: event.attempt };
    case 'StepSucceeded':
      return { scope: 'step', status: 'succeeded', stepId: event.stepId, attempt: event.attempt };
    case 'StepFailed':
      return {
        scope: 'step',
        status: event.willRetry ? 'retry_waiting' : 'failed',
        stepId: event.stepId,
        attempt: event.attempt,
        reason: event.message,
      };
    case 'StepTimedOut':
      return { scope: 'step', status: 'timed_out', stepId: event.stepId, attempt: event.attempt };
    case 'StepSkipped':
      return {
        scope: 'step',
        status: 'skipped',
        stepId: event.stepId,
        reason: event.message ?? event.reason,
      };
    case 'StepCancelled':
      return {
        scope: 'step',
        status: 'cancelled',
        stepId: event.stepId,
        attempt: event.attempt,
        reason: event.reason,
      };
    case 'StepRetryScheduled':
    case 'StepLeaseExtended':
    case 'ChildRunsStarted':
    case 'ChildRunEnded':
    case 'CommandRejected':
      return null;
    default: {
      const never: never = event;
      throw new Error(`unknown event ${(never as RunEvent).type}`);
    }
  }
}

/**
 * The public CloudEvent of a run event, or null (see `statusChangeOf`). Also
 * used by the API to replay a run's missed status events from its stored
 * events (SSE `Last-Event-ID`), so live and replayed events are identical.
 */
export function statusCloudEvent(
  event: RunEvent,
  workflow: { readonly id: string; readonly version: number },
  source: string,
): StatusCloudEvent | null {
  const change = statusChangeOf(event);
  if (!change) return null;
  const data: StatusEventData = {
    runId: event.runId,
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    seq: event.seq,
    at: event.at,
    ...change,
  };
  const cloudEvent: StatusCloudEvent = {
    specversion: '1.0',
    id: `${event.runId}/${event.seq}`,
    source,
    type: `io.baton.${change.scope}.${change.status}`,
    subject: change.stepId === undefined ? event.runId : `${event.runId}/${change.stepId}`,
    time: new Date(event.at).toISOString(),
    datacontenttype: 'application/json',
    dataschema: STATUS_EVENT_DATA_SCHEMA,
    data,
  };
  return cloudEvent;
}
