// The definition a run's DAG is drawn from. A top-level run or a subworkflow
// child names a stored version; a foreach or while iteration runs its
// parent step's body, found by walking up to the parent run's definition.
import { ApiError, get } from './api';
import type { Definition, RunDetail, StepSpec, WorkflowVersion } from './types';

export interface Graph {
  steps: StepSpec[];
  edges: Definition['edges'];
  params: Definition['params'];
}

const enc = encodeURIComponent;

export async function runGraph(run: RunDetail, depth = 0): Promise<Graph> {
  try {
    const version = await get<WorkflowVersion>(
      `/workflows/${enc(run.workflowId)}/versions/${run.workflowVersion}`,
    );
    return version.definition;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404 || !run.parent || depth > 8) throw error;
    const parent = await get<RunDetail>(`/runs/${enc(run.parent.runId)}`);
    const parentGraph = await runGraph(parent, depth + 1);
    const step = parentGraph.steps.find((s) => s.id === run.parent!.stepId);
    if (!step?.body) throw error;
    return { steps: step.body.steps, edges: step.body.edges, params: [] };
  }
}
