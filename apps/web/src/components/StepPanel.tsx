// One step of a run: its attempts and timings, resolved params, outputs, the
// error, child runs of a foreach/subworkflow, and the log tail, which is
// re-read every second while the attempt runs.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { Link } from '../router';
import { duration, isTerminal, time } from '../status';
import type { Page, RunSummary, StepLogs, StepView } from '../types';
import { ErrorBox, Json, StatusBadge, useApi } from './common';
import { ProgressLine } from './Dag';

const enc = encodeURIComponent;

export function StepPanel(props: {
  runId: string;
  step: StepView | null;
  stepId: string;
  stepType: string;
  actions?: ComponentChildren;
  onClose: () => void;
}) {
  const { step } = props;
  const [attempt, setAttempt] = useState<number | null>(null);
  useEffect(() => setAttempt(null), [props.stepId]);
  const shownAttempt = attempt ?? step?.attempt ?? null;
  return (
    <aside class="panel" aria-label={`Step ${props.stepId}`} data-testid="step-panel">
      <div class="panel-head">
        <h2>
          {props.stepId} <span class="muted small">{props.stepType}</span>
        </h2>
        <button class="link" onClick={props.onClose} aria-label="Close the step panel">
          ✕
        </button>
      </div>
      <StatusBadge status={step?.status ?? 'pending'} />
      {props.actions && <div class="actions small-actions">{props.actions}</div>}
      {!step && <p class="muted">Not reached yet.</p>}
      {step && (
        <>
          <dl class="facts">
            <dt>Ready</dt>
            <dd>{time(step.readyAt)}</dd>
            <dt>Started</dt>
            <dd>{time(step.startedAt)}</dd>
            <dt>Ended</dt>
            <dd>{time(step.endedAt)}</dd>
            <dt>Took</dt>
            <dd>{duration(step.startedAt, step.endedAt)}</dd>
            {step.signal && (
              <>
                <dt>Waits for</dt>
                <dd>
                  signal <code>{step.signal}</code>
                </dd>
              </>
            )}
          </dl>
          {(step.errorMessage || step.skipReason) && (
            <div class="error" data-testid="step-error">
              <strong>
                {step.errorKind ? `${step.errorKind} error: ` : step.skipReason ? 'skipped: ' : ''}
              </strong>
              {step.errorMessage ?? step.skipMessage ?? step.skipReason}
            </div>
          )}
          {step.progress && (
            <>
              <h3>Iterations</h3>
              <ProgressLine progress={step.progress} />
              <ChildRuns runId={props.runId} stepId={props.stepId} />
            </>
          )}
          <h3>Attempts</h3>
          <table class="list compact" data-testid="attempts">
            <tbody>
              {step.attempts.map((a) => (
                <tr
                  key={a.attempt}
                  class={a.attempt === shownAttempt ? 'current' : ''}
                  tabIndex={0}
                  onClick={() => setAttempt(a.attempt)}
                  onKeyDown={(e) => e.key === 'Enter' && setAttempt(a.attempt)}
                  data-attempt={a.attempt}
                >
                  <td>#{a.attempt}</td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td>{duration(a.startedAt, a.endedAt)}</td>
                  <td class="small">{a.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Params</h3>
          <Json value={step.params} />
          <h3>Outputs</h3>
          <Json value={step.outputs} />
          {shownAttempt !== null && (
            <Logs
              runId={props.runId}
              stepId={props.stepId}
              attempt={shownAttempt}
              live={!isTerminal(step.attempts.find((a) => a.attempt === shownAttempt)?.status ?? step.status)}
            />
          )}
        </>
      )}
    </aside>
  );
}

function Logs(props: { runId: string; stepId: string; attempt: number; live: boolean }) {
  const [logs, setLogs] = useState<StepLogs | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stopped = false;
    setLogs(null);
    const read = async () => {
      try {
        const next = await get<StepLogs>(
          `/runs/${enc(props.runId)}/steps/${enc(props.stepId)}/logs${query({ attempt: props.attempt })}`,
        );
        if (!stopped) {
          setLogs(next);
          setError(null);
        }
      } catch (err) {
        if (!stopped) setError(err);
      }
    };
    void read();
    // While it runs, follow the tail; one more read after it ends catches the last lines.
    const timer = props.live ? setInterval(read, 1000) : null;
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
      if (props.live) void read();
    };
  }, [props.runId, props.stepId, props.attempt, props.live]);
  return (
    <div class="logs" data-testid="logs">
      <h3>
        Log of attempt #{props.attempt} {props.live && <span class="tag live">following</span>}
      </h3>
      {error ? (
        <ErrorBox error={error} />
      ) : !logs ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          {logs.truncated && <div class="muted small">(the start is cut: only the tail is kept)</div>}
          <div class="muted small">stdout</div>
          <pre class="log" data-testid="stdout">
            {logs.stdoutTail || '(empty)'}
          </pre>
          <div class="muted small">stderr</div>
          <pre class="log stderr" data-testid="stderr">
            {logs.stderrTail || '(empty)'}
          </pre>
        </>
      )}
    </div>
  );
}

/** A foreach's or subworkflow's child runs, a page at a time, filterable by status. */
function ChildRuns({ runId, stepId }: { runId: string; stepId: string }) {
  const [status, setStatus] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const page = useApi(
    () =>
      get<Page<RunSummary>>(`/runs/${enc(runId)}/children${query({ stepId, status, limit: 20, cursor })}`),
    [runId, stepId, status, cursor],
  );
  return (
    <div class="children" data-testid="children">
      <label class="small">
        Child runs{' '}
        <select
          value={status}
          onChange={(e) => {
            setStatus((e.target as HTMLSelectElement).value);
            setCursors([null]);
          }}
        >
          <option value="">all</option>
          <option value="running">running</option>
          <option value="succeeded">succeeded</option>
          <option value="failed">failed</option>
          <option value="cancelled">cancelled</option>
        </select>
      </label>
      <ErrorBox error={page.error} />
      <ul class="plain small">
        {page.data?.items.map((child) => (
          <li key={child.runId}>
            <StatusBadge status={child.status} />{' '}
            <Link href={`/runs/${child.runId}`}>
              #{child.parent?.index ?? 0} <code>{child.runId.slice(0, 8)}</code>
            </Link>{' '}
            <span class="muted">{child.workflowId}</span>
          </li>
        ))}
      </ul>
      <div class="pager">
        <button disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          ←
        </button>
        <button
          disabled={!page.data?.nextCursor}
          onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
        >
          more →
        </button>
      </div>
    </div>
  );
}
