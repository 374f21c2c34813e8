import type { WorkflowSummary } from '@baton/api/responses';
import type { Style } from './style';
import { renderTable } from './table';
import { formatAge } from './time';

/** `baton workflows`: one line per workflow, by id. */
export function renderWorkflowsTable(
  workflows: readonly WorkflowSummary[],
  style: Style,
  now: number,
): string {
  return renderTable(
    ['WORKFLOW', 'ACTIVE', 'LATEST', 'UPDATED', 'TAGS', 'NAME'],
    workflows.map((workflow) => [
      workflow.workflowId,
      workflow.activeVersion === null ? style.red('inactive') : `v${workflow.activeVersion}`,
      `v${workflow.latestVersion}`,
      formatAge(workflow.updatedAt, now),
      workflow.tags.length === 0 ? '-' : workflow.tags.join(','),
      workflow.name,
    ]),
  );
}
