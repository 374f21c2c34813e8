import { Cron } from 'croner';
import { diffLines } from 'diff';
import { useMemo, useState } from 'preact/hooks';
import { get, post, query } from '../api';
import { Confirm, ErrorBox, Select, StatusBadge, onListKey, useApi } from '../components/common';
import { Dag } from '../components/Dag';
import { ParamsForm } from '../components/ParamsForm';
import { layoutDag } from '../layout';
import { Link, navigate } from '../router';
import { useRole } from '../role';
import { duration, time } from '../status';
import type { Definition, Page, RunSummary, WorkflowDetail, WorkflowQueue, WorkflowVersion } from '../types';
import { Sparkline } from './Workflows';

const enc = encodeURIComponent;

export function WorkflowPage({ workflowId }: { workflowId: string }) {
  const role = useRole();
  const detail = useApi(() => get<WorkflowDetail>(`/workflows/${enc(workflowId)}`), [workflowId]);
  const queue = useApi(() => get<WorkflowQueue>(`/workflows/${enc(workflowId)}/queue`), [workflowId]);
  const runs = useApi(() => get<Page<RunSummary>>(`/runs${query({ workflowId, limit: 20 })}`), [workflowId]);
  const [shown, setShown] = useState<number | null>(null);
  const [dialog, setDialog] = useState<'start' | 'pause' | 'resume' | { activate: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const w = detail.data;
  const version = shown ?? w?.activeVersion ?? w?.latestVersion ?? null;
  // The active version comes with the workflow; another one costs a call.
  const versionData = useApi(
    () =>
      version === null || !w
        ? Promise.resolve(null)
        : version === w.activeVersion && w.definition
          ? Promise.resolve({ workflowId, version, definition: w.definition, source: w.source ?? '' })
          : get<WorkflowVersion>(`/workflows/${enc(workflowId)}/versions/${version}`),
    [workflowId, version, w],
  );
  const def = versionData.data?.definition ?? null;

  if (detail.error) return <ErrorBox error={detail.error} />;
  if (!w) return <p class="muted">Loading…</p>;
  const reloadAll = () => {
    detail.reload();
    queue.reload();
    runs.reload();
  };

  return (
    <section>
      <div class="page-head">
        <div>
          <div class="crumbs">
            <Link href="/">Workflows</Link> /
          </div>
          <h1>{w.workflowId}</h1>
          <div class="muted">
            {w.name} {w.description ? `— ${w.description}` : ''}
          </div>
        </div>
        <div class="actions">
          {role.canAct && (
            <>
              <button class="primary" onClick={() => setDialog('start')} disabled={w.activeVersion === null}>
                ▶ Start a run
              </button>
              {queue.data?.paused ? (
                <button onClick={() => setDialog('resume')}>Resume workflow</button>
              ) : (
                <button onClick={() => setDialog('pause')}>❚❚ Pause workflow</button>
              )}
            </>
          )}
        </div>
      </div>
      {notice && <div class="notice">{notice}</div>}

      <div class="grid2">
        <div class="card">
          <h2>Recent runs</h2>
          {runs.data && <Sparkline runs={runs.data.items} />}
          <ul class="plain" data-list onKeyDown={onListKey}>
            {runs.data?.items.slice(0, 6).map((r) => (
              <li
                key={r.runId}
                data-row
                tabIndex={0}
                onKeyDown={(e) => e.key === 'Enter' && navigate(`/runs/${r.runId}`)}
              >
                <StatusBadge status={r.status} /> <Link href={`/runs/${r.runId}`}>{r.runId.slice(0, 8)}</Link>{' '}
                <span class="muted small">
                  v{r.workflowVersion} · {time(r.createdAt)} · {duration(r.startedAt, r.endedAt)}
                </span>
              </li>
            ))}
          </ul>
          <Link href={`/runs?workflowId=${enc(workflowId)}`}>All runs of {workflowId} →</Link>
        </div>
        <StrategyCard def={def} queue={queue.data} error={queue.error} />
      </div>

      <Versions
        detail={w}
        shown={version}
        onShow={setShown}
        canAct={role.canAct}
        onActivate={(v) => setDialog({ activate: v })}
      />

      <div class="card">
        <h2>
          Definition v{version} {version === w.activeVersion && <span class="tag">active</span>}
        </h2>
        <ErrorBox error={versionData.error} />
        {def && <DefinitionView def={def} source={versionData.data?.source ?? ''} />}
      </div>

      {def && <Triggers def={def} />}

      {dialog === 'start' && w.definition && (
        <StartDialog
          workflowId={workflowId}
          def={w.definition}
          onClose={() => setDialog(null)}
          onStarted={(runId) => navigate(`/runs/${runId}`)}
        />
      )}
      {(dialog === 'pause' || dialog === 'resume') && (
        <Confirm
          title={`${dialog === 'pause' ? 'Pause' : 'Resume'} ${workflowId}?`}
          confirmLabel={dialog === 'pause' ? 'Pause' : 'Resume'}
          onConfirm={() => post(`/workflows/${enc(workflowId)}/${dialog}`)}
          onClose={(done) => {
            setDialog(null);
            if (done) {
              setNotice(dialog === 'pause' ? 'Paused: new runs wait in the queue.' : 'Resumed.');
              setTimeout(reloadAll, 600);
            }
          }}
        >
          <p>
            {dialog === 'pause'
              ? 'New runs wait in the workflow queue until it is resumed; running runs go on.'
              : 'Queued runs start as the run strategy allows.'}
          </p>
        </Confirm>
      )}
      {dialog && typeof dialog === 'object' && (
        <Confirm
          title={`Activate v${dialog.activate} of ${workflowId}?`}
          confirmLabel="Activate"
          onConfirm={() => post(`/workflows/${enc(workflowId)}/versions/${dialog.activate}/activate`)}
          onClose={(done) => {
            setDialog(null);
            if (done) reloadAll();
          }}
        >
          <p>New runs will use v{dialog.activate}; runs already started keep their version.</p>
        </Confirm>
      )}
    </section>
  );
}

function StartDialog(props: {
  workflowId: string;
  def: Definition;
  onClose: () => void;
  onStarted: (runId: string) => void;
}) {
  return (
    <dialog class="confirm wide" open aria-label="Start a run">
      <h3>
        Start a run of {props.workflowId} v{props.def.version}
      </h3>
      <ParamsForm
        specs={props.def.params}
        submitLabel="Start"
        onCancel={props.onClose}
        onSubmit={async (params) => {
          const answer = await post<{ runId: string }>(`/workflows/${enc(props.workflowId)}/runs`, {
            params,
          });
          props.onStarted(answer.runId);
        }}
      />
    </dialog>
  );
}

function StrategyCard({
  def,
  queue,
  error,
}: {
  def: Definition | null;
  queue: WorkflowQueue | null;
  error: unknown;
}) {
  const strategy = def?.runStrategy;
  return (
    <div class="card">
      <h2>Run strategy and queue</h2>
      <p>
        <strong>{strategy ? strategy.kind.replace(/_/g, ' ') : 'parallel'}</strong>
        {strategy?.maxConcurrent ? `, at most ${strategy.maxConcurrent} at once` : ''}
        {queue?.paused && <span class="tag warn">paused</span>}
      </p>
      <ErrorBox error={error} />
      {queue && (
        <>
          <p>
            {queue.runningCount} running · {queue.queuedCount} queued
            {queue.blockedBy && (
              <>
                {' '}
                · blocked by <Link href={`/runs/${queue.blockedBy}`}>{queue.blockedBy.slice(0, 8)}</Link>
              </>
            )}
          </p>
          {queue.queued.length > 0 && (
            <ol class="plain">
              {queue.queued.map((q) => (
                <li key={q.runId}>
                  #{q.position} <code>{q.runId.slice(0, 8)}</code> v{q.version} · queued {time(q.queuedAt)}
                </li>
              ))}
            </ol>
          )}
          {queue.recentlyDropped.length > 0 && (
            <details>
              <summary>{queue.recentlyDropped.length} recently dropped</summary>
              <ul class="plain">
                {queue.recentlyDropped.map((d) => (
                  <li key={d.runId}>
                    <code>{d.runId.slice(0, 8)}</code> {d.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </div>
  );
}

function Versions(props: {
  detail: WorkflowDetail;
  shown: number | null;
  onShow: (v: number) => void;
  canAct: boolean;
  onActivate: (v: number) => void;
}) {
  const versions = [...props.detail.versions].sort((a, b) => b.version - a.version);
  const [left, setLeft] = useState<number>(versions[1]?.version ?? versions[0]?.version ?? 1);
  const [right, setRight] = useState<number>(versions[0]?.version ?? 1);
  const [diffShown, setDiffShown] = useState(false);
  return (
    <div class="card">
      <h2>Versions</h2>
      <table class="list compact" data-list onKeyDown={onListKey}>
        <tbody>
          {versions.map((v) => (
            <tr
              key={v.version}
              data-row
              tabIndex={0}
              class={props.shown === v.version ? 'current' : ''}
              onKeyDown={(e) => e.key === 'Enter' && props.onShow(v.version)}
            >
              <td>
                <button class="link" onClick={() => props.onShow(v.version)}>
                  v{v.version}
                </button>
                {v.version === props.detail.activeVersion && <span class="tag">active</span>}
              </td>
              <td class="muted">{time(v.createdAt)}</td>
              <td>
                {props.canAct && v.version !== props.detail.activeVersion && (
                  <button onClick={() => props.onActivate(v.version)}>Activate</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <div class="diff-pick">
          Diff
          <Select
            value={left}
            options={versions.map((v) => v.version)}
            format={(v) => `v${v}`}
            label="from version"
            onChange={(v) => setLeft(Number(v))}
          />
          →
          <Select
            value={right}
            options={versions.map((v) => v.version)}
            format={(v) => `v${v}`}
            label="to version"
            onChange={(v) => setRight(Number(v))}
          />
          <button onClick={() => setDiffShown(true)}>Show diff</button>
        </div>
      )}
      {diffShown && <VersionDiff workflowId={props.detail.workflowId} left={left} right={right} />}
    </div>
  );
}

function VersionDiff({ workflowId, left, right }: { workflowId: string; left: number; right: number }) {
  const sources = useApi(
    () =>
      Promise.all([
        get<WorkflowVersion>(`/workflows/${enc(workflowId)}/versions/${left}`),
        get<WorkflowVersion>(`/workflows/${enc(workflowId)}/versions/${right}`),
      ]),
    [workflowId, left, right],
  );
  if (sources.error) return <ErrorBox error={sources.error} />;
  if (!sources.data) return <p class="muted">Loading…</p>;
  const parts = diffLines(sources.data[0].source, sources.data[1].source);
  return (
    <pre class="diff" data-testid="diff">
      {parts.map((part, i) => (
        <span key={i} class={part.added ? 'add' : part.removed ? 'del' : 'same'}>
          {part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}\n`)
            .join('')}
        </span>
      ))}
    </pre>
  );
}

function DefinitionView({ def, source }: { def: Definition; source: string }) {
  const [tab, setTab] = useState<'graph' | 'yaml'>('graph');
  const layout = useMemo(() => layoutDag(def.steps, def.edges), [def]);
  return (
    <>
      <div class="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'graph'} onClick={() => setTab('graph')}>
          Graph
        </button>
        <button role="tab" aria-selected={tab === 'yaml'} onClick={() => setTab('yaml')}>
          Source
        </button>
      </div>
      {tab === 'graph' ? <Dag layout={layout} /> : <pre class="source">{source}</pre>}
      {def.params.length > 0 && (
        <table class="list compact">
          <thead>
            <tr>
              <th>Param</th>
              <th>Type</th>
              <th>Default</th>
            </tr>
          </thead>
          <tbody>
            {def.params.map((p) => (
              <tr key={p.name}>
                <td>
                  <code>{p.name}</code>
                  {p.required && ' *'}
                </td>
                <td>{p.type}</td>
                <td>{p.default === undefined ? '' : <code>{JSON.stringify(p.default)}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Triggers({ def }: { def: Definition }) {
  const { cron, signals } = def.triggers ?? { cron: [], signals: [] };
  if (cron.length === 0 && signals.length === 0) return null;
  return (
    <div class="card">
      <h2>Triggers</h2>
      {cron.map((c, i) => {
        let ticks: Date[] = [];
        let problem: string | null = null;
        try {
          ticks = new Cron(c.schedule, { timezone: c.timezone, paused: true }).nextRuns(5);
        } catch (error) {
          problem = String(error);
        }
        return (
          <div key={i} class="trigger">
            <strong>cron</strong> <code>{c.schedule}</code>{' '}
            {c.timezone && <span class="muted">({c.timezone})</span>}
            {problem ? (
              <div class="field-error">{problem}</div>
            ) : (
              <ul class="plain small" data-testid="cron-ticks">
                {ticks.map((t) => (
                  <li key={t.getTime()}>next: {time(t.getTime())}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      {signals.map((s, i) =>
        'all' in s ? (
          <div key={i} class="trigger">
            <strong>signals</strong>{' '}
            {Object.entries(s.all).map(([alias, m]) => (
              <span key={alias}>
                {alias}: <code>{m.signal}</code>{' '}
              </span>
            ))}
            {s.join && s.join.length > 0 && <span class="muted"> joined on {s.join.join(', ')}</span>}
            {s.condition && <span class="muted"> where {s.condition}</span>}
          </div>
        ) : (
          <div key={i} class="trigger">
            <strong>signal</strong> <code>{s.signal}</code>
            {s.match && Object.keys(s.match).length > 0 && (
              <span class="muted"> where {JSON.stringify(s.match)}</span>
            )}
          </div>
        ),
      )}
    </div>
  );
}
