// A laid-out DAG: edges in one SVG, nodes as focusable HTML boxes on top.
// Arrow keys walk the graph (right: downstream, left: upstream, up/down: the
// column), Enter or a click selects a step.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Layout, NODE_HEIGHT, NODE_WIDTH, neighbour } from '../layout';
import { statusLook } from '../status';
import type { Progress } from '../types';

export interface NodeState {
  status: string;
  attempt?: number;
  progress?: Progress | null;
}

export function Dag(props: {
  layout: Layout;
  stateOf?: (stepId: string) => NodeState | undefined;
  selected?: string | null;
  onSelect?: (stepId: string) => void;
}) {
  const { layout } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  const fit = () => {
    const width = box.current?.clientWidth ?? layout.width;
    setScale(Math.min(1, Math.max(0.2, (width - 8) / Math.max(1, layout.width))));
  };
  useEffect(() => {
    if (layout.nodes.length <= 40) fit();
  }, [layout]);

  const focus = (id: string) => {
    const el = box.current?.querySelector<HTMLElement>(`[data-step="${CSS.escape(id)}"]`);
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };
  const onKey = (event: KeyboardEvent) => {
    const id = (event.target as HTMLElement).dataset?.step;
    if (!id) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      props.onSelect?.(id);
      return;
    }
    if (!event.key.startsWith('Arrow')) return;
    const to = neighbour(layout, id, event.key);
    event.preventDefault();
    if (to) focus(to);
  };

  return (
    <div class="dag-wrap">
      <div class="dag-tools">
        <span class="muted">{layout.nodes.length} steps · arrows move, Enter opens</span>
        <button type="button" onClick={fit} title="Fit the graph to the width">
          Fit
        </button>
        <button type="button" onClick={() => setScale(1)} title="Actual size">
          100%
        </button>
      </div>
      <div class="dag" ref={box} onKeyDown={onKey} role="tree" aria-label="Workflow graph" data-testid="dag">
        <div
          class="dag-canvas"
          style={{
            width: `${layout.width * scale}px`,
            height: `${layout.height * scale}px`,
          }}
        >
          <div style={{ transform: `scale(${scale})`, transformOrigin: '0 0', position: 'absolute' }}>
            <svg width={layout.width} height={layout.height} class="dag-edges" aria-hidden="true">
              <defs>
                <marker
                  id="arrow"
                  viewBox="0 0 10 10"
                  refX="9"
                  refY="5"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto"
                >
                  <path d="M0,0 L10,5 L0,10 z" fill="#8a94a6" />
                </marker>
              </defs>
              {layout.edges.map((e) => (
                <path
                  key={`${e.from}->${e.to}`}
                  d={e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ')}
                  class={e.conditional ? 'edge conditional' : 'edge'}
                  marker-end="url(#arrow)"
                />
              ))}
            </svg>
            {layout.nodes.map((node) => {
              const state = props.stateOf?.(node.id);
              const look = statusLook(state?.status);
              return (
                <div
                  key={node.id}
                  class={`node${props.selected === node.id ? ' selected' : ''}`}
                  style={{
                    left: `${node.x}px`,
                    top: `${node.y}px`,
                    width: `${NODE_WIDTH}px`,
                    height: `${NODE_HEIGHT}px`,
                    '--c': look.colour,
                  }}
                  tabIndex={0}
                  role="treeitem"
                  aria-selected={props.selected === node.id}
                  aria-label={`${node.id}, ${node.step.type}, ${look.label}`}
                  data-step={node.id}
                  data-status={state?.status ?? 'pending'}
                  onClick={() => props.onSelect?.(node.id)}
                >
                  <div class="node-head">
                    <span class="node-icon" aria-hidden="true">
                      {look.icon}
                    </span>
                    <span class="node-id" title={node.id}>
                      {node.id}
                    </span>
                  </div>
                  <div class="node-sub">
                    <span class="node-status">{look.label}</span>
                    {state?.attempt && state.attempt > 1 ? <span> · try {state.attempt}</span> : null}
                    <span class="node-type"> · {node.step.type}</span>
                  </div>
                  {state?.progress && <ProgressLine progress={state.progress} />}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

/** A foreach's or subworkflow's child runs by status: counts, never one node per iteration. */
export function ProgressLine({ progress }: { progress: Progress }) {
  const pending = progress.total === null ? null : Math.max(0, progress.total - progress.started);
  return (
    <div class="progress" data-testid="progress">
      <span title="succeeded">✓{progress.succeeded}</span>
      <span title="running">▶{progress.running}</span>
      <span title="failed">✕{progress.failed}</span>
      {progress.cancelled > 0 && <span title="cancelled">⊘{progress.cancelled}</span>}
      {pending !== null && <span title="not started">○{pending}</span>}
      <span class="muted">/ {progress.total ?? '∞'}</span>
    </div>
  );
}
