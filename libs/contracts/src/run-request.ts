import { createHash } from 'node:crypto';
import type { JsonObject, ParentLink } from '@baton/domain';

/**
 * A request to start a run, published on `baton.run-requests` keyed by
 * `workflowId` by the API or by any other service. Publishing the same
 * `requestId` for a workflow twice starts one run: the run id is derived from
 * the pair (`runIdFor`), and the decider refuses a second start of a run.
 *
 * @example (the record value, JSON)
 *   { "schemaVersion": 1, "workflowId": "sales.daily", "requestId": "2026-11-24",
 *     "params": { "mode": "full" } }
 */
export interface RunRequest {
  readonly schemaVersion: 1;
  readonly workflowId: string;
  /** A version number, or 'active' (the default). */
  readonly version?: number | 'active';
  /** Unique per workflow; the idempotency key. */
  readonly requestId: string;
  readonly params?: JsonObject;
  /** Epoch ms the requester asked for the run; defaults to when the engine admits it. */
  readonly requestedAt?: number;
  /** Step ids the run pauses before, until each is resumed. */
  readonly breakpoints?: readonly string[];
  /**
   * Who asked for the run (the API writes its caller's principal subject);
   * the run's events carry it as `by`. Whoever may publish here is trusted
   * to tell the truth: restrict the topic with Kafka ACLs.
   */
  readonly requestedBy?: string;
  /**
   * Only on requests the engine writes for a subworkflow step: the child's
   * run id (chosen by the parent, not derived), its link to the parent, and
   * the parent's params for a step that inherits them. Such a run bypasses
   * the run strategy: the parent is already admitted.
   */
  readonly parent?: SubworkflowParent;
}

export interface SubworkflowParent {
  readonly runId: string;
  readonly link: ParentLink;
  readonly inheritedParams: JsonObject;
}

/**
 * The run id of a request: deterministic, so the API can answer 202 with it
 * before the engine has seen the request, and duplicates collapse into one
 * run. A UUID-shaped SHA-256 prefix of the pair (version-8 layout).
 */
export function runIdFor(workflowId: string, requestId: string): string {
  const hex = createHash('sha256').update(`${workflowId}\u0000${requestId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
