import type { DefinitionError } from './definition-error';

/** An edge as declared, with the JSON path of the reference that declared it. */
export interface DeclaredEdge {
  readonly from: string;
  readonly to: string;
  readonly condition?: string;
  /** Path of the step id that is not the declaring step's own (`depends_on[j]` or `next[j]`). */
  readonly path: string;
  /** Which end the reference names: `from` for depends_on, `to` for next. */
  readonly refers: 'from' | 'to';
}

/**
 * Graph rules for the steps of one workflow, or of one loop body (`stepsPath`
 * is where its step list is, e.g. `$.steps[2].steps`):
 * - step ids are unique (every occurrence is reported);
 * - every reference names a step, and each from → to pair is declared once;
 * - the graph is acyclic (each cycle reported once, as `a -> b -> a`, at the
 *   reference that closes it);
 * - every step is reachable from a root (a step with no incoming edges).
 *   In a DAG this always holds, so "unreachable" means: a step outside any
 *   cycle that only a cycle leads to. It would never start, and removing the
 *   cycle alone would not tell the user that, so it is reported too.
 */
export function checkGraph(
  stepsPath: string,
  stepIds: readonly (string | undefined)[],
  edges: readonly DeclaredEdge[],
): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const index = new Map<string, number>();
  stepIds.forEach((id, i) => {
    if (id === undefined) return;
    const first = index.get(id);
    if (first === undefined) index.set(id, i);
    else {
      errors.push({
        path: `${stepsPath}[${i}].id`,
        message: `duplicate step id '${id}' (first used at ${stepsPath}[${first}].id); step ids must be unique`,
      });
      errors.push({
        path: `${stepsPath}[${first}].id`,
        message: `duplicate step id '${id}' (used again at ${stepsPath}[${i}].id); step ids must be unique`,
      });
    }
  });

  const known: DeclaredEdge[] = [];
  const seen = new Map<string, string>();
  const ids = [...index.keys()];
  for (const edge of edges) {
    const name = edge.refers === 'from' ? edge.from : edge.to;
    if (!index.has(name)) {
      errors.push({ path: edge.path, message: `unknown step '${name}'${knownSteps(ids)}` });
      continue;
    }
    const key = `${edge.from}\u0000${edge.to}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        path: edge.path,
        message: `${edge.from} -> ${edge.to} is already declared at ${earlier}; keep one`,
      });
      continue;
    }
    seen.set(key, edge.path);
    known.push(edge);
  }

  const outgoing = new Map<string, DeclaredEdge[]>(ids.map((id) => [id, []]));
  const incoming = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const edge of known) {
    outgoing.get(edge.from)?.push(edge);
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  }

  const cyclic = new Set<string>();
  for (const component of stronglyConnected(ids, outgoing)) {
    const selfLoop =
      component.length === 1 && (outgoing.get(component[0]) ?? []).some((e) => e.to === component[0]);
    if (component.length === 1 && !selfLoop) continue;
    component.forEach((id) => cyclic.add(id));
    const start = component.reduce((a, b) => ((index.get(a) ?? 0) <= (index.get(b) ?? 0) ? a : b));
    const cycle = shortestCycle(start, new Set(component), outgoing);
    const names = [...cycle.map((e) => e.from), start].join(' -> ');
    errors.push({
      path: cycle[cycle.length - 1].path,
      message: `cycle: ${names}; remove one of these dependencies`,
    });
  }

  const reachable = new Set<string>();
  const queue = ids.filter((id) => incoming.get(id) === 0);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const edge of outgoing.get(id) ?? []) queue.push(edge.to);
  }
  for (const id of ids) {
    if (!reachable.has(id) && !cyclic.has(id)) {
      errors.push({
        path: `${stepsPath}[${index.get(id)}]`,
        message: `step '${id}' can only be reached through a cycle, so it would never start`,
      });
    }
  }
  return errors;
}

/** Tarjan's algorithm; components in discovery order. */
function stronglyConnected(
  ids: readonly string[],
  outgoing: ReadonlyMap<string, DeclaredEdge[]>,
): string[][] {
  let counter = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (id: string): void => {
    order.set(id, counter);
    low.set(id, counter++);
    stack.push(id);
    onStack.add(id);
    for (const { to } of outgoing.get(id) ?? []) {
      if (!order.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id) ?? 0, order.get(to) ?? 0));
      }
    }
    if (low.get(id) === order.get(id)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      components.push(component);
    }
  };
  for (const id of ids) if (!order.has(id)) visit(id);
  return components;
}

/** The edges of a shortest cycle through `start` inside its component (breadth-first). */
function shortestCycle(
  start: string,
  members: ReadonlySet<string>,
  outgoing: ReadonlyMap<string, DeclaredEdge[]>,
): DeclaredEdge[] {
  const via = new Map<string, DeclaredEdge>();
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const edge of outgoing.get(id) ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const path = [edge];
        for (let at = id; at !== start;) {
          const back = via.get(at) as DeclaredEdge;
          path.unshift(back);
          at = back.from;
        }
        return path;
      }
      if (!via.has(edge.to)) {
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  throw new Error(`no cycle through ${start}`);
}

function knownSteps(candidates: readonly string[]): string {
  const shown = candidates.slice(0, 10).join(', ');
  return candidates.length === 0 ? '' : `; known steps: ${shown}${candidates.length > 10 ? ', ...' : ''}`;
}
