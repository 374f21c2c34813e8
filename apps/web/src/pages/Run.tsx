import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { Confirm, ErrorBox, StatusBadge, useApi } from '../components/common';
import { Dag, type NodeState } from '../components/Dag';
import { Gantt } from '../components/Gantt';
import { ParamsForm } from '../components/ParamsForm';
import { RefusedCommands } from '../components/RefusedCommands';
import { StepPanel } from '../components/StepPanel';
import { layoutDag } from '../layout';
import { Link, navigate, useLocation } from '../router';
import { useRole } from '../role';
import { runGraph, type Graph } from '../run-definition';
import { openStatusStream, type StatusStream } from '../sse';
import { duration, isTerminal, time } from '../status';
import type { RunDetail, StatusEvent, StepView } from '../types';

const enc = encodeURIComponent;
/** How long a run that answers 404 is waited for (it may just have been requested). */
const NOT_YET_MS = 30_000;

type Action =
  | { kind: 'kill' | 'stop' | 'signal' }
  | { kind: 'restart'; mode: 'incomplete' | 'beginning' | 'from_step' | 'params'; stepId?: string }
  | { kind: 'skip' | 'resume'; stepId: string };

/** Test hook: the open status stream, so a browser test can drop it like a network fault. */
declare global {
  interface Window {
    __batonStream?: StatusStream;
  }
}

export function RunPage({ runId }: { runId: string }) {
  const url = useLocation();
  const selected = url.searchParams.get('step');
  const role = useRole();
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [live, setLive] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const [now, setNow] = useState(Date.now());
  const refetch = useRef<() => void>(() => undefined);

  // The run, refetched (coalesced) after status events; events also patch it at once.
  useEffect(() => {
    let stopped = false;
    let pending: ReturnType<typeof setTimeout> | null = null;
    let inFlight = false;
    let again = false;
    const opened = Date.now();
    /** Status events not yet reflected by the last run read (seq above its lastSeq). */
    let newer: StatusEvent[] = [];
    setRun(null);
    setError(null);
    const load = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        const next = await get<RunDetail>(`/runs/${enc(runId)}`);
        if (!stopped) {
          // Events newer than the projection the answer came from still hold: a refetch
          // that raced ahead of the read model must not turn a node back.
          newer = newer.filter((e) => e.data.seq > next.lastSeq);
          setRun(newer.reduce(applyEvent, next));
          setError(null);
        }
      } catch (err) {
        if (stopped) return;
        setError(err);
        // A run just requested is not in the read model until the engine started it and the
        // projector caught up: keep asking for a while instead of stopping at the 404.
        if (err instanceof ApiError && err.status === 404 && Date.now() - opened < NOT_YET_MS) {
          setTimeout(() => !stopped && void load(), 400);
        }
      } finally {
        inFlight = false;
        if (again && !stopped) {
          again = false;
          void load();
        }
      }
    };
    refetch.current = () => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        void load();
      }, 150);
    };
    void load();
    const stream = openStatusStream(
      { runId },
      {
        onOpen: (reconnected) => {
          setLive('live');
          if (reconnected) refetch.current();
        },
        onError: () => setLive('reconnecting'),
        onEvent: (event) => {
          if (stopped) return;
          newer = [...newer, event];
          setRun((current) => (current ? applyEvent(current, event) : current));
          refetch.current();
        },
      },
    );
    window.__batonStream = stream;
    // Iteration counts of a foreach change through child runs (not this run's
    // status events), and a projection may trail its event: poll while not done.
    const poll = setInterval(() => {
      setNow(Date.now());
      setRun((current) => {
        if (current && !isTerminal(current.status)) refetch.current();
        return current;
      });
    }, 2000);
    return () => {
      stopped = true;
      stream.close();
      clearInterval(poll);
      if (pending) clearTimeout(pending);
    };
  }, [runId]);

  const graph = useApi<Graph | null>(
    () => (run ? runGraph(run) : Promise.resolve(null)),
    [run?.workflowId, run?.workflowVersion, run?.parent?.runId],
  );
  const layout = useMemo(() => {
    if (!graph.data) return null;
    return layoutDag(graph.data.steps, graph.data.edges);
  }, [graph.data]);
  const steps = useMemo(() => new Map((run?.steps ?? []).map((s) => [s.stepId, s])), [run]);
  const stateOf = (id: string): NodeState | undefined => {
    const s = steps.get(id);
    return s ? { status: s.status, attempt: s.attempt, progress: s.progress } : undefined;
  };
  const select = (stepId: string | null) => {
    const next = new URLSearchParams(url.search);
    if (stepId) next.set('step', stepId);
    else next.delete('step');
    navigate(`/runs/${enc(runId)}${next.size ? `?${next}` : ''}`, true);
  };

  if (error && !run) {
    const waiting = error instanceof ApiError && error.status === 404;
    return (
      <>
        {waiting && <p class="muted">Waiting for run {runId} to start…</p>}
        <ErrorBox error={error} />
      </>
    );
  }
  if (!run) return <p class="muted">Loading run {runId}…</p>;
  const done = isTerminal(run.status);
  const selectedStep = selected ? (steps.get(selected) ?? null) : null;
  const selectedSpec = selected ? graph.data?.steps.find((s) => s.id === selected) : undefined;

  return (
    <section class="run-page">
      <div class="page-head">
        <div>
          <div class="crumbs">
            <Link href="/runs">Runs</Link> /{' '}
            <Link href={`/workflows/${enc(run.workflowId)}`}>{run.workflowId}</Link> v{run.workflowVersion}
            {run.parent && (
              <>
                {' '}
                · child #{run.parent.index} of{' '}
                <Link href={`/runs/${enc(run.parent.runId)}?step=${enc(run.parent.stepId)}`}>
                  {run.parent.runId.slice(0, 8)} / {run.parent.stepId}
                </Link>
              </>
            )}
          </div>
          <h1>
            <StatusBadge status={run.stopping && !done ? 'stopping' : run.status} />{' '}
            <code class="run-id">{run.runId}</code>
          </h1>
          <div class="muted">
            started {time(run.startedAt ?? run.createdAt)} · {duration(run.startedAt, run.endedAt, now)}
            {run.runAttempt > 1 && ` · run attempt ${run.runAttempt}`} ·{' '}
            <span class={`live-dot ${live}`} data-testid="live">
              {live === 'live' ? '● live' : live === 'reconnecting' ? '○ reconnecting…' : '○ connecting…'}
            </span>
          </div>
        </div>
        {role.canAct && (
          <div class="actions" data-testid="run-actions">
            {!done && (
              <>
                <button
                  onClick={() => setAction({ kind: 'stop' })}
                  title="Start nothing new; end when active steps end"
                >
                  ■ Stop
                </button>
                <button class="danger" onClick={() => setAction({ kind: 'kill' })}>
                  ✕ Kill
                </button>
              </>
            )}
            {done && (
              <>
                <button onClick={() => setAction({ kind: 'restart', mode: 'incomplete' })}>
                  ↻ Restart incomplete
                </button>
                <button onClick={() => setAction({ kind: 'restart', mode: 'beginning' })}>
                  ↻ From the beginning
                </button>
                <button onClick={() => setAction({ kind: 'restart', mode: 'params' })}>
                  ↻ With edited params
                </button>
              </>
            )}
            <button onClick={() => setAction({ kind: 'signal' })}>✉ Send a signal</button>
          </div>
        )}
      </div>
      {run.failure && (
        <div class="error" data-testid="run-failure">
          <strong>{run.failure.reason}: </strong>
          {run.failure.stepId && <code>{run.failure.stepId}</code>} {run.failure.message}
        </div>
      )}
      {run.stopping && !done && <div class="notice">Stopping: {run.stopping.reason}</div>}
      {notice && <div class="notice">{notice}</div>}
      <ErrorBox error={error} />

      <div class={`run-body${selected ? ' with-panel' : ''}`}>
        <div class="run-main">
          <div class="card">
            <ErrorBox error={graph.error} />
            {layout ? (
              <Dag layout={layout} stateOf={stateOf} selected={selected} onSelect={select} />
            ) : (
              !graph.error && <p class="muted">Laying out the graph…</p>
            )}
          </div>
          <div class="card">
            <h2>Timeline</h2>
            <Gantt steps={run.steps} now={now} onSelect={select} selected={selected} />
          </div>
          <RefusedCommands runId={runId} lastSeq={run.lastSeq} />
          <details class="card">
            <summary>Run params</summary>
            <pre class="json">{JSON.stringify(run.params, null, 2)}</pre>
          </details>
        </div>
        {selected && (
          <StepPanel
            runId={runId}
            stepId={selected}
            step={selectedStep}
            stepType={selectedSpec?.type ?? ''}
            onClose={() => select(null)}
            actions={
              role.canAct ? (
                <StepActions run={run} step={selectedStep} stepId={selected} onAction={setAction} />
              ) : null
            }
          />
        )}
      </div>

      {action && (
        <ActionDialog
          run={run}
          action={action}
          params={graph.data?.params ?? []}
          onClose={(message) => {
            setAction(null);
            if (message) {
              setNotice(message);
              refetch.current();
            }
          }}
        />
      )}
    </section>
  );
}

function StepActions(props: {
  run: RunDetail;
  step: StepView | null;
  stepId: string;
  onAction: (a: Action) => void;
}) {
  const { run, step, stepId } = props;
  const done = isTerminal(run.status);
  return (
    <>
      {step?.status === 'paused' && (
        <button class="primary" onClick={() => props.onAction({ kind: 'resume', stepId })}>
          ▶ Resume breakpoint
        </button>
      )}
      {!done && step && !isTerminal(step.status) && (
        <button onClick={() => props.onAction({ kind: 'skip', stepId })}>» Skip step</button>
      )}
      {done && (
        <button onClick={() => props.onAction({ kind: 'restart', mode: 'from_step', stepId })}>
          ↻ Restart from this step
        </button>
      )}
    </>
  );
}

function ActionDialog(props: {
  run: RunDetail;
  action: Action;
  params: Graph['params'];
  onClose: (message: string | null) => void;
}) {
  const { run, action } = props;
  const base = `/runs/${enc(run.runId)}`;
  const [reason, setReason] = useState('');
  const [signal, setSignal] = useState({ name: '', params: '{}' });
  const withReason = reason.trim() ? { reason: reason.trim() } : {};
  const reasonField = (
    <label class="field">
      Reason (recorded on the run)
      <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
    </label>
  );
  switch (action.kind) {
    case 'kill':
      return (
        <Confirm
          title="Kill this run?"
          confirmLabel="Kill"
          danger
          onConfirm={() => post(`${base}/kill`, withReason)}
          onClose={(d) => props.onClose(d ? 'Kill requested.' : null)}
        >
          <p>Every active step is cancelled now; the run ends cancelled.</p>
          {reasonField}
        </Confirm>
      );
    case 'stop':
      return (
        <Confirm
          title="Stop this run?"
          confirmLabel="Stop"
          onConfirm={() => post(`${base}/stop`, withReason)}
          onClose={(d) => props.onClose(d ? 'Stop requested.' : null)}
        >
          <p>Nothing new starts; the run ends cancelled once its active steps end.</p>
          {reasonField}
        </Confirm>
      );
    case 'skip':
      return (
        <Confirm
          title={`Skip ${action.stepId}?`}
          confirmLabel="Skip"
          onConfirm={() => post(`${base}/steps/${enc(action.stepId)}/skip`, withReason)}
          onClose={(d) => props.onClose(d ? `Skip of ${action.stepId} requested.` : null)}
        >
          <p>The step counts as skipped; steps after it go on.</p>
          {reasonField}
        </Confirm>
      );
    case 'resume':
      return (
        <Confirm
          title={`Resume ${action.stepId}?`}
          confirmLabel="Resume"
          onConfirm={() => post(`${base}/steps/${enc(action.stepId)}/resume`)}
          onClose={(d) => props.onClose(d ? `Resumed ${action.stepId}.` : null)}
        >
          <p>The step paused at a breakpoint starts now.</p>
        </Confirm>
      );
    case 'signal':
      return (
        <Confirm
          title="Send a signal"
          confirmLabel="Send"
          onConfirm={async () => {
            let params: unknown;
            try {
              params = JSON.parse(signal.params || '{}');
            } catch {
              throw new Error('params: not valid JSON');
            }
            return post('/signals', { name: signal.name, params });
          }}
          onClose={(d) => props.onClose(d ? `Signal ${signal.name} sent.` : null)}
        >
          <label class="field">
            Signal name
            <input
              value={signal.name}
              onInput={(e) => setSignal({ ...signal, name: (e.target as HTMLInputElement).value })}
              placeholder={run.steps.find((s) => s.signal)?.signal ?? 'e.g. table.loaded'}
            />
          </label>
          <label class="field">
            Params (JSON object)
            <textarea
              rows={3}
              value={signal.params}
              onInput={(e) => setSignal({ ...signal, params: (e.target as HTMLTextAreaElement).value })}
            />
          </label>
        </Confirm>
      );
    case 'restart':
      if (action.mode === 'params') {
        return (
          <dialog class="confirm wide" open aria-label="Restart with edited params">
            <h3>Restart with edited params</h3>
            <p class="muted">Re-runs every step that did not succeed, with these params.</p>
            <ParamsForm
              specs={props.params}
              initial={run.params}
              submitLabel="Restart"
              onCancel={() => props.onClose(null)}
              onSubmit={async (params) => {
                await post(`${base}/restart`, { mode: 'incomplete', params });
                props.onClose('Restart requested.');
              }}
            />
          </dialog>
        );
      }
      return (
        <Confirm
          title={
            action.mode === 'from_step'
              ? `Restart from ${action.stepId}?`
              : action.mode === 'beginning'
                ? 'Restart from the beginning?'
                : 'Restart the incomplete steps?'
          }
          confirmLabel="Restart"
          onConfirm={() =>
            post(
              `${base}/restart`,
              action.mode === 'from_step'
                ? { mode: 'from_step', stepId: action.stepId }
                : { mode: action.mode },
            )
          }
          onClose={(d) => props.onClose(d ? 'Restart requested.' : null)}
        >
          <p>
            {action.mode === 'from_step'
              ? `${action.stepId} and everything downstream of it run again; the others keep their outputs.`
              : action.mode === 'beginning'
                ? 'Every step runs again.'
                : 'Every step that did not succeed runs again; the others keep their outputs.'}
          </p>
        </Confirm>
      );
    default: {
      const never: never = action;
      return never;
    }
  }
}

/** A status event applied to the run at once, before the refetch brings the full picture. */
export function applyEvent(run: RunDetail, event: StatusEvent): RunDetail {
  const d = event.data;
  if (d.runId !== run.runId) return run;
  if (d.scope === 'run') {
    if (d.status === 'stopping') return { ...run, stopping: { reason: d.reason ?? '' } };
    if (d.status === 'restarted') return { ...run, status: 'running', endedAt: null, failure: null };
    return { ...run, status: d.status };
  }
  if (!d.stepId) return run;
  // Status events said `retrying` before they took the API's name (docs/events.md).
  const status = d.status === 'retrying' ? 'retry_waiting' : d.status;
  const found = run.steps.some((s) => s.stepId === d.stepId);
  const steps = found
    ? run.steps.map((s) => (s.stepId === d.stepId ? { ...s, status, attempt: d.attempt ?? s.attempt } : s))
    : [...run.steps, emptyStep(d.stepId, status, d.attempt ?? 1)];
  return { ...run, steps };
}

function emptyStep(stepId: string, status: string, attempt: number): StepView {
  return {
    stepId,
    status,
    attempt,
    params: null,
    outputs: null,
    readyAt: null,
    startedAt: null,
    endedAt: null,
    errorKind: null,
    errorMessage: null,
    skipReason: null,
    skipMessage: null,
    signal: null,
    progress: null,
    attempts: [],
  };
}
