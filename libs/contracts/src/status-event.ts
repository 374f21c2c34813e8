/**
 * Public status events on `baton.status-events`: CloudEvents 1.0 in
 * structured mode (the whole event is the JSON record value; the record's
 * `content-type` header is `application/cloudevents+json`), keyed by run id so
 * a run's events arrive in order.
 *
 * Types: `io.baton.run.<status>` and `io.baton.step.<status>` where status is
 * lower case (`io.baton.run.succeeded`, `io.baton.step.running`). `id` is
 * `<runId>/<seq>`, unique and stable: a consumer deduplicates on it. The
 * schema of `data` is versioned by `dataschema`.
 */
export interface StatusCloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly dataschema: typeof STATUS_EVENT_DATA_SCHEMA;
  readonly data: StatusEventData;
}

export const STATUS_EVENT_DATA_SCHEMA = 'urn:baton:status-event:v1';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

export type RunStatusName = 'running' | 'stopping' | 'restarted' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatusName =
  | 'paused'
  | 'ready'
  | 'waiting'
  | 'running'
  | 'succeeded'
  | 'failed'
  /** Failed, will retry after its backoff: the same name as the API's step status (`retrying` until December 2026). */
  | 'retry_waiting'
  | 'timed_out'
  | 'skipped'
  | 'cancelled';

export interface StatusEventData {
  readonly runId: string;
  readonly workflowId: string;
  readonly workflowVersion: number;
  /** Per-run sequence of the run event this status change came from. */
  readonly seq: number;
  /** Epoch ms of the transition. */
  readonly at: number;
  readonly scope: 'run' | 'step';
  readonly status: RunStatusName | StepStatusName;
  readonly stepId?: string;
  readonly attempt?: number;
  /** Why a run or step failed, was skipped or was cancelled. */
  readonly reason?: string;
}
