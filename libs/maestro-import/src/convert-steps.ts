import { STEP_ID } from '@baton/definitions/dto/patterns';
import { knownParams } from './convert-params';
import { convertCommonFields } from './convert-step-fields';
import { convertLeafStep } from './convert-leaf-step';
import { convertForeachStep, convertWhileStep } from './convert-loops';
import { convertSignalDependencies } from './convert-signal-dependencies';
import { convertSubworkflowStep } from './convert-subworkflow';
import { oneLine } from './convert-values';
import { type JsonObject, child, isObject } from './report';
import { fieldRef, translateSel } from './sel/sel-to-cel';
import type { SelScope } from './sel/sel-scope';
import type { StepContext, StepConverter } from './step-context';

/** Maestro wraps each step in a key naming its kind. */
const KINDS: Readonly<Record<string, StepConverter>> = {
  step: convertLeafStep,
  foreach: convertForeachStep,
  while: convertWhileStep,
  subworkflow: convertSubworkflowStep,
};

interface Entry {
  readonly kind: string;
  readonly body: JsonObject;
  readonly path: string;
  readonly maestroId: string;
  readonly id: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly if?: string;
  /** Where the transition is in the Maestro document; absent for edges the import adds. */
  readonly path?: string;
}

/**
 * One graph of steps (the workflow's, or a loop body's): each step by its
 * kind, ids made valid for Baton, `transition.successors` as `next` edges
 * (a condition other than `true` as `if`), and signal dependencies as
 * `wait_for_signal` steps in front of their step.
 */
export function convertGraph(steps: unknown, path: string, ctx: StepContext): JsonObject[] {
  const { report } = ctx;
  const list = Array.isArray(steps) ? steps : [];
  if (!Array.isArray(steps)) report.unmapped(path, 'steps must be a list; none imported');
  const entries = unwrap(list, path, ctx);
  const ids = new Map(entries.map((e) => [e.maestroId, e.id]));
  const used = new Set(ids.values());
  const out = new Map<string, JsonObject>();
  const edges: Edge[] = [];
  const waits = new Map<string, string[]>();
  for (const entry of entries) {
    const { body, path: at, id } = entry;
    const scope: SelScope = {
      params: ctx.params,
      stepParams: knownParams(body.params),
      otherStepParam: (stepId, name) => ctx.stepParams.get(stepId)?.get(name),
    };
    const signals = convertSignalDependencies(
      body.signal_dependencies,
      child(at, 'signal_dependencies'),
      scope,
      report,
    );
    const waitIds = signals.map((s) => uniqueId(`${id}_signal_${s.index}`, used));
    const stepScope: SelScope = {
      ...scope,
      signalDependency: (index) => {
        const position = signals.findIndex((s) => s.index === index);
        return position === -1 ? undefined : `steps${fieldRef(waitIds[position])}.outputs.params`;
      },
    };
    const fields = KINDS[entry.kind](body, at, ctx, stepScope);
    out.set(id, { id, ...convertCommonFields(body, at, report), ...fields });
    signals.forEach((signal, i) => out.set(waitIds[i], { id: waitIds[i], ...signal.step }));
    if (waitIds.length > 0) waits.set(id, waitIds);
    edges.push(...transitions(entry, ids, scope, ctx));
  }
  if (out.size === 0) {
    // Baton needs a step in every graph; an empty one stays runnable, and said so.
    report.changed(path, 'no step could be imported here; a noop step named placeholder stands in');
    return [{ id: 'placeholder', type: 'noop' }];
  }
  return withEdges(out, acyclic(placeWaits(edges, waits), ctx));
}

/** Maestro refuses cycles too; an edge that would close one is left out, reported, so Baton gets a DAG. */
function acyclic(edges: readonly Edge[], ctx: StepContext): Edge[] {
  const next = new Map<string, string[]>();
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(next.get(id) ?? []));
    }
    return false;
  };
  return edges.filter((edge) => {
    if (reaches(edge.to, edge.from)) {
      ctx.report.unmapped(
        edge.path ?? '$',
        `the transition ${edge.from} -> ${edge.to} closes a cycle, which Maestro refuses too; left out`,
      );
      return false;
    }
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
    return true;
  });
}

function unwrap(steps: readonly unknown[], path: string, ctx: StepContext): Entry[] {
  const used = new Set<string>();
  const valid = new Set(
    steps
      .flatMap((w) => (isObject(w) ? Object.values(w) : []))
      .flatMap((b) => (isObject(b) && typeof b.id === 'string' && STEP_ID.test(b.id) ? [b.id] : [])),
  );
  const entries: Entry[] = [];
  steps.forEach((wrapper, i) => {
    const at = child(path, i);
    const kind = isObject(wrapper) && Object.keys(wrapper).length === 1 ? Object.keys(wrapper)[0] : undefined;
    const body = kind !== undefined ? (wrapper as JsonObject)[kind] : undefined;
    if (kind === undefined || !Object.hasOwn(KINDS, kind) || !isObject(body)) {
      ctx.report.unmapped(
        at,
        `a step must be one of { ${Object.keys(KINDS).join(' | ')}: {...} }${kind ? ` (${kind} has no Baton equivalent)` : ''}; left out`,
      );
      return;
    }
    const bodyPath = child(at, kind);
    if (typeof body.id !== 'string' || body.id === '') {
      ctx.report.unmapped(bodyPath, 'a step without an id; left out');
      return;
    }
    // An id Baton accepts keeps its name; a cleaned-up one avoids every id given as it is.
    const id =
      STEP_ID.test(body.id) && !used.has(body.id)
        ? uniqueId(body.id, used)
        : uniqueId(batonId(body.id), used, valid);
    if (id !== body.id) {
      ctx.report.changed(
        child(bodyPath, 'id'),
        `step id '${body.id}' became '${id}' (Baton step ids: ${STEP_ID.source})`,
      );
    }
    entries.push({ kind, body, path: bodyPath, maestroId: body.id, id });
  });
  return entries;
}

/** The id itself when Baton accepts it (dots too, once Baton does), else a cleaned-up one. */
function batonId(id: string): string {
  if (STEP_ID.test(id)) return id;
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '_');
  const started = /^[A-Za-z]/.test(cleaned) ? cleaned : `s_${cleaned}`;
  return started.slice(0, 128);
}

/** `id`, or `id_2`, `id_3`... when taken (or to avoid); the one chosen is added to `used`. */
function uniqueId(id: string, used: Set<string>, avoid: ReadonlySet<string> = new Set()): string {
  let chosen = id;
  for (let n = 2; used.has(chosen) || avoid.has(chosen); n++) chosen = `${id}_${n}`;
  used.add(chosen);
  return chosen;
}

function transitions(
  entry: Entry,
  ids: ReadonlyMap<string, string>,
  scope: SelScope,
  ctx: StepContext,
): Edge[] {
  const { body, path, id } = entry;
  const transition = body.transition;
  if (transition === undefined) return [];
  const at = child(path, 'transition');
  if (!isObject(transition) || (transition.successors !== undefined && !isObject(transition.successors))) {
    ctx.report.unmapped(at, 'a transition must be { successors: { step: condition } }; left out');
    return [];
  }
  ctx.report.leftovers(transition, at, ['successors'], 'transition field');
  const successors = isObject(transition.successors) ? transition.successors : {};
  return Object.entries(successors).flatMap(([target, condition]): Edge[] => {
    const where = child(child(at, 'successors'), target);
    const to = ids.get(target);
    if (!to) {
      ctx.report.unmapped(where, `successor '${target}' is not a step of this graph; edge left out`);
      return [];
    }
    if (
      condition === true ||
      (typeof condition === 'string' && condition.trim().replace(/;$/, '') === 'true')
    ) {
      return [{ from: id, to, path: where }];
    }
    const source = String(condition);
    const translated = translateSel(source, scope);
    if (!translated.ok) {
      // Closed rather than open: the successor is skipped, not run when Maestro would not.
      ctx.report.unmapped(
        where,
        `${translated.reason}: ${oneLine(source)}; the edge's condition is false until rewritten`,
      );
      return [{ from: id, to, if: 'false', path: where }];
    }
    for (const note of translated.notes) ctx.report.changed(where, note);
    return [{ from: id, to, if: translated.cel, path: where }];
  });
}

/** Edges into a step that waits for signals go to its wait steps, which lead to it. */
function placeWaits(edges: readonly Edge[], waits: ReadonlyMap<string, readonly string[]>): Edge[] {
  const out: Edge[] = [];
  for (const edge of edges) {
    const targets = waits.get(edge.to);
    if (targets) out.push(...targets.map((to) => ({ ...edge, to })));
    else out.push(edge);
  }
  for (const [step, targets] of waits) out.push(...targets.map((from) => ({ from, to: step })));
  return out;
}

function withEdges(steps: ReadonlyMap<string, JsonObject>, edges: readonly Edge[]): JsonObject[] {
  const next = new Map<string, unknown[]>();
  for (const edge of edges) {
    const list = next.get(edge.from) ?? [];
    list.push(edge.if === undefined ? edge.to : { step: edge.to, if: edge.if });
    next.set(edge.from, list);
  }
  return [...steps.values()].map((step) => {
    const list = next.get(step.id as string);
    return list ? { ...step, next: list } : step;
  });
}
