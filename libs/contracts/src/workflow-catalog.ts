import type { WorkflowDefinition } from '@baton/domain';

/**
 * The records of the compacted `baton.workflow-definitions`, written by a
 * workflow's single writer (the workflow queue) in the transaction of the
 * registry event that caused them, read by every engine's definition catalog:
 * - one `WorkflowVersionRecord` per pushed version, never changed again;
 * - one `WorkflowHeadRecord` per workflow, replaced by each push or (de)activation.
 * Keys: `workflowVersionKey` and `workflowHeadKey` (distinct for any ids).
 */
export interface WorkflowVersionRecord {
  readonly kind: 'version';
  readonly workflowId: string;
  readonly version: number;
  readonly definition: WorkflowDefinition;
  /** Epoch ms of the push. */
  readonly pushedAt: number;
}

export interface WorkflowHeadRecord {
  readonly kind: 'head';
  readonly workflowId: string;
  readonly latestVersion: number;
  /** Null: deactivated. */
  readonly activeVersion: number | null;
  /** Epoch ms of the last push or (de)activation that changed something. */
  readonly updatedAt: number;
}

export type WorkflowCatalogRecord = WorkflowVersionRecord | WorkflowHeadRecord;

export function workflowVersionKey(workflowId: string, version: number): string {
  return `version/${workflowId}/${version}`;
}

export function workflowHeadKey(workflowId: string): string {
  return `head/${workflowId}`;
}
