import type { JsonValue } from '../shared/json';
import type {
  ForeachStep,
  ParamDefinition,
  ParamType,
  WhileStep,
  WorkflowDefinition,
} from '../workflow/workflow-definition';

/**
 * The workflow one iteration of a foreach or while step runs: the step's
 * body, with the parent's params (as optional params, the iteration passes
 * their values) and the iteration's own values declared, so the child run
 * resolves and type-checks its params like any run. Its id is
 * `<workflow id>.<step id>` (a nested loop appends its own step id).
 */
export function iterationDefinition(
  parent: WorkflowDefinition,
  step: ForeachStep | WhileStep,
  params: Readonly<Record<string, JsonValue>>,
): WorkflowDefinition {
  const declared: ParamDefinition[] = parent.params.map((param) => ({
    name: param.name,
    type: param.type,
    required: false,
  }));
  const inherited = new Set(declared.map((param) => param.name));
  for (const [name, value] of Object.entries(params)) {
    if (inherited.has(name)) continue;
    declared.push({ name, type: paramTypeOf(value), required: false });
  }
  return {
    id: `${parent.id}.${step.id}`,
    version: parent.version,
    name: `${parent.name} / ${step.name ?? step.id}`,
    description: step.description ?? '',
    tags: parent.tags,
    params: declared,
    runStrategy: { kind: 'parallel' },
    steps: step.body.steps,
    edges: step.body.edges,
  };
}

/** The param type a loop value is declared with; null has none, so it is declared `map` and refused as such. */
function paramTypeOf(value: JsonValue): ParamType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'long' : 'double';
  if (Array.isArray(value)) return 'array';
  return 'map';
}
