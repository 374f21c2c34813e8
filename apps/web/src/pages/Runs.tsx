import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { ErrorBox, Select, StatusBadge, onListKey, useApi } from '../components/common';
import { Link, navigate, useLocation } from '../router';
import { RUN_STATUSES, duration, time } from '../status';
import type { Page, RunSummary, WorkflowSummary } from '../types';

const PAGE_SIZE = 50;
const FILTERS = ['workflowId', 'status', 'runIdPrefix', 'createdAfter', 'createdBefore'] as const;

/** Epoch ms <-> the value of a datetime-local input (local time). */
function toLocalInput(ms: string | null): string {
  if (!ms) return '';
  const d = new Date(Number(ms));
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
function fromLocalInput(value: string): string {
  return value ? String(new Date(value).getTime()) : '';
}

/**
 * Runs, newest first, with the filters in the URL. Paging follows the API's
 * cursors (keyset, so page 2,000 of 100k runs costs what page 1 does); the
 * stack of cursors seen makes "previous" exact.
 */
export function RunsPage() {
  const url = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, url.searchParams.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const cursor = url.searchParams.get('cursor');
  const [back, setBack] = useState<(string | null)[]>([]);
  const workflows = useApi(() => get<WorkflowSummary[]>('/workflows'), []);
  const runs = useApi(
    () => get<Page<RunSummary>>(`/runs${query({ ...filters, limit: PAGE_SIZE, cursor })}`),
    [url.search],
  );

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(url.search);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    setBack([]);
    navigate(`/runs?${next.toString()}`, true);
  };
  const goTo = (to: string | null) => {
    const next = new URLSearchParams(url.search);
    if (to) next.set('cursor', to);
    else next.delete('cursor');
    navigate(`/runs?${next.toString()}`);
  };

  return (
    <section>
      <h1>Runs</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Workflow
          <Select
            value={filters.workflowId}
            options={workflows.data?.map((w) => w.workflowId) ?? []}
            any="all"
            onChange={(v) => setFilter('workflowId', v)}
          />
        </label>
        <label>
          Status
          <Select
            value={filters.status}
            options={RUN_STATUSES}
            any="all"
            onChange={(v) => setFilter('status', v)}
          />
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={toLocalInput(filters.createdAfter)}
            onChange={(e) => setFilter('createdAfter', fromLocalInput((e.target as HTMLInputElement).value))}
          />
        </label>
        <label>
          To
          <input
            type="datetime-local"
            value={toLocalInput(filters.createdBefore)}
            onChange={(e) => setFilter('createdBefore', fromLocalInput((e.target as HTMLInputElement).value))}
          />
        </label>
        <label>
          Run id starts with
          <input
            type="search"
            placeholder="e.g. 27933381"
            value={filters.runIdPrefix}
            onChange={(e) => setFilter('runIdPrefix', (e.target as HTMLInputElement).value.trim())}
            name="runIdPrefix"
          />
        </label>
      </form>
      <ErrorBox error={runs.error ?? workflows.error} />
      {runs.data && (
        <>
          <table class="list" data-list onKeyDown={onListKey} data-testid="runs">
            <thead>
              <tr>
                <th>Status</th>
                <th>Run</th>
                <th>Workflow</th>
                <th>Created</th>
                <th>Duration</th>
                <th>Failure</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr
                  key={r.runId}
                  data-row
                  tabIndex={0}
                  onKeyDown={(e) => e.key === 'Enter' && navigate(`/runs/${r.runId}`)}
                >
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>
                    <Link href={`/runs/${r.runId}`}>
                      <code>{r.runId.slice(0, 13)}</code>
                    </Link>
                    {r.runAttempt > 1 && <span class="muted small"> attempt {r.runAttempt}</span>}
                  </td>
                  <td>
                    <Link href={`/workflows/${encodeURIComponent(r.workflowId)}`}>{r.workflowId}</Link>{' '}
                    <span class="muted">v{r.workflowVersion}</span>
                  </td>
                  <td class="muted">{time(r.createdAt)}</td>
                  <td>{duration(r.startedAt, r.endedAt)}</td>
                  <td class="small">
                    {r.failure ? `${r.failure.stepId ?? ''} ${r.failure.message}`.slice(0, 120) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {runs.data.items.length === 0 && <p class="muted">No run matches.</p>}
          <div class="pager">
            <button
              disabled={!cursor}
              onClick={() => {
                const previous = back[back.length - 1] ?? null;
                setBack(back.slice(0, -1));
                goTo(previous);
              }}
            >
              ← Newer
            </button>
            <span class="muted">page {back.length + 1}</span>
            <button
              disabled={!runs.data.nextCursor}
              onClick={() => {
                setBack([...back, cursor]);
                goTo(runs.data!.nextCursor);
              }}
            >
              Older →
            </button>
          </div>
        </>
      )}
    </section>
  );
}
