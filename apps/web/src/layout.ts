// Lays out a workflow's DAG with dagre (@dagrejs/dagre), left to right.
// Big graphs take dagre's cheaper ranker and skip its optimal-order search:
// network simplex on 1,000 steps costs seconds; longest path costs a fraction.
import * as dagre from '@dagrejs/dagre';
import type { EdgeSpec, StepSpec } from './types';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 58;
const BIG_GRAPH = 150;

export interface LaidNode {
  readonly id: string;
  readonly step: StepSpec;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
}

export interface LaidEdge {
  readonly from: string;
  readonly to: string;
  readonly points: readonly { x: number; y: number }[];
  readonly conditional: boolean;
}

export interface Layout {
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
  readonly width: number;
  readonly height: number;
  /** Successors and predecessors by step id, for keyboard moves. */
  readonly next: ReadonlyMap<string, string[]>;
  readonly previous: ReadonlyMap<string, string[]>;
}

export function layoutDag(steps: readonly StepSpec[], edges: readonly EdgeSpec[]): Layout {
  const started = performance.now();
  const layout = computeLayout(steps, edges);
  // Read by the browser tests, which report the layout's share of the render time.
  (globalThis as { __batonLayoutMs?: number }).__batonLayoutMs = performance.now() - started;
  return layout;
}

function computeLayout(steps: readonly StepSpec[], edges: readonly EdgeSpec[]): Layout {
  const big = steps.length > BIG_GRAPH;
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({
    rankdir: 'LR',
    nodesep: 18,
    ranksep: big ? 40 : 60,
    marginx: 16,
    marginy: 16,
    ranker: big ? 'longest-path' : 'network-simplex',
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const known = new Set(steps.map((s) => s.id));
  for (const step of steps) graph.setNode(step.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const kept = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const edge of kept) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph, { disableOptimalOrderHeuristic: big });

  const next = new Map<string, string[]>();
  const previous = new Map<string, string[]>();
  for (const edge of kept) {
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
    previous.set(edge.to, [...(previous.get(edge.to) ?? []), edge.from]);
  }
  const size = graph.graph();
  return {
    nodes: steps.map((step) => {
      const n = graph.node(step.id);
      return { id: step.id, step, x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 };
    }),
    edges: kept.map((edge) => ({
      from: edge.from,
      to: edge.to,
      points: graph.edge(edge.from, edge.to)?.points ?? [],
      conditional: edge.condition !== undefined && edge.condition !== null,
    })),
    width: size.width ?? 0,
    height: size.height ?? 0,
    next,
    previous,
  };
}

/** The node an arrow key moves to from `id`: along edges for left/right, the nearest in its column for up/down. */
export function neighbour(layout: Layout, id: string, key: string): string | null {
  const here = layout.nodes.find((n) => n.id === id);
  if (!here) return layout.nodes[0]?.id ?? null;
  if (key === 'ArrowRight') return layout.next.get(id)?.[0] ?? null;
  if (key === 'ArrowLeft') return layout.previous.get(id)?.[0] ?? null;
  const down = key === 'ArrowDown';
  let best: LaidNode | null = null;
  for (const n of layout.nodes) {
    if (Math.abs(n.x - here.x) > NODE_WIDTH / 2 || n.id === id) continue;
    const dy = n.y - here.y;
    if (down ? dy <= 0 : dy >= 0) continue;
    if (!best || Math.abs(dy) < Math.abs(best.y - here.y)) best = n;
  }
  return best?.id ?? null;
}
