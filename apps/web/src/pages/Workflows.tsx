import { get, query } from '../api';
import { ErrorBox, StatusBadge, onListKey, useApi } from '../components/common';
import { Link, navigate } from '../router';
import { statusLook, time } from '../status';
import type { Page, RunSummary, WorkflowSummary } from '../types';

const SPARK_RUNS = 20;

interface Row {
  workflow: WorkflowSummary;
  runs: RunSummary[];
}

async function loadRows(): Promise<Row[]> {
  const workflows = await get<WorkflowSummary[]>('/workflows');
  // One page of recent runs per workflow: the sparkline and the last status.
  return Promise.all(
    workflows.map(async (workflow) => {
      const page = await get<Page<RunSummary>>(
        `/runs${query({ workflowId: workflow.workflowId, limit: SPARK_RUNS })}`,
      );
      return { workflow, runs: page.items };
    }),
  );
}

export function WorkflowsPage() {
  const { data, error, loading } = useApi(loadRows, []);
  return (
    <section>
      <h1>Workflows</h1>
      <ErrorBox error={error} />
      {loading && !data && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">No workflows yet: push one with `baton push`.</p>}
      {data && data.length > 0 && (
        <table class="list" data-list onKeyDown={onListKey}>
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Active</th>
              <th>Last run</th>
              <th>Recent outcomes (newest right)</th>
              <th>Tags</th>
            </tr>
          </thead>
          <tbody>
            {data.map(({ workflow, runs }) => (
              <tr
                key={workflow.workflowId}
                data-row
                tabIndex={0}
                data-testid={`workflow-${workflow.workflowId}`}
                onKeyDown={(e) =>
                  e.key === 'Enter' && navigate(`/workflows/${encodeURIComponent(workflow.workflowId)}`)
                }
              >
                <td>
                  <Link href={`/workflows/${encodeURIComponent(workflow.workflowId)}`}>
                    {workflow.workflowId}
                  </Link>
                  <div class="muted small">{workflow.name ?? ''}</div>
                </td>
                <td>
                  {workflow.activeVersion === null ? (
                    <span class="muted">none</span>
                  ) : (
                    <>v{workflow.activeVersion}</>
                  )}
                  {workflow.latestVersion !== workflow.activeVersion && (
                    <span class="muted small"> (latest v{workflow.latestVersion})</span>
                  )}
                </td>
                <td>
                  {runs[0] ? (
                    <>
                      <StatusBadge status={runs[0].status} />
                      <div class="muted small">{time(runs[0].createdAt)}</div>
                    </>
                  ) : (
                    <span class="muted">never run</span>
                  )}
                </td>
                <td>
                  <Sparkline runs={runs} />
                </td>
                <td>
                  {workflow.tags.map((t) => (
                    <span class="tag" key={t}>
                      {t}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Recent outcomes, oldest left: height and fill tell the status apart as well as colour does. */
export function Sparkline({ runs }: { runs: readonly RunSummary[] }) {
  const ordered = [...runs].reverse();
  const heights: Record<string, number> = { succeeded: 18, failed: 18, running: 10, cancelled: 6 };
  return (
    <svg
      class="sparkline"
      width={SPARK_RUNS * 7}
      height={20}
      role="img"
      aria-label={ordered.map((r) => r.status).join(', ') || 'no runs'}
    >
      <defs>
        <pattern id="hatch" width="3" height="3" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="1.5" height="3" fill="#D55E00" />
        </pattern>
      </defs>
      {ordered.map((run, i) => {
        const h = heights[run.status] ?? 8;
        const look = statusLook(run.status);
        return (
          <rect
            key={run.runId}
            x={i * 7}
            y={20 - h}
            width={5}
            height={h}
            fill={run.status === 'failed' ? 'url(#hatch)' : look.colour}
            stroke={look.colour}
            stroke-width={run.status === 'failed' ? 1 : 0}
          >
            <title>{`${run.status} · ${time(run.createdAt)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
