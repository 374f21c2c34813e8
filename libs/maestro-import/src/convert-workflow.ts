import { WORKFLOW_ID } from '@baton/definitions/dto/patterns';
import { convertWorkflowParams, knownParams } from './convert-params';
import { convertRunStrategy, convertStepConcurrency } from './convert-run-strategy';
import { convertDuration } from './convert-step-fields';
import { convertGraph } from './convert-steps';
import { convertTriggers } from './convert-triggers';
import { ImportReport, type JsonObject, child, isObject } from './report';
import type { KnownParam, SelType } from './sel/sel-scope';
import type { StepContext } from './step-context';

export interface Conversion {
  /** A Baton workflow document (snake_case, as `baton push` reads it). */
  readonly definition: JsonObject;
  readonly report: ImportReport;
}

/** Maestro constructs Baton does not have, with what to do instead or when they will map. */
const KNOWN_GAPS: Readonly<Record<string, string>> = {
  instance_step_concurrency:
    "Maestro's step concurrency across a run's subworkflows and loops; Baton has none",
  alerting: 'Baton has no alerting of its own; alert on its Prometheus metrics or status events',
  alerting_disabled: 'Baton has no alerting of its own',
  access_control: 'Baton authorizes by token roles and workflow-id scopes (baton token create --scope)',
  criticality: 'Baton has no criticality',
  time_trigger_disabled:
    'Baton has no switch for triggers; pause the workflow (baton workflow pause) instead',
  signal_trigger_disabled:
    'Baton has no switch for triggers; pause the workflow (baton workflow pause) instead',
};

function reportGaps(object: JsonObject, path: string, report: ImportReport): void {
  for (const [key, why] of Object.entries(KNOWN_GAPS)) {
    if (object[key] !== undefined) report.unmapped(child(path, key), `${why}; left out`);
  }
}

const WORKFLOW_FIELDS = [
  'id',
  'name',
  'description',
  'tags',
  'timeout',
  'time_triggers',
  'signal_triggers',
  'params',
  'steps',
  'step_concurrency',
];
const PROPERTY_FIELDS = ['owner', 'run_strategy', 'step_concurrency', 'description', 'tags'];

/**
 * Converts a parsed Maestro document: a create request `{ properties,
 * workflow }`, a stored definition `{ properties_snapshot, workflow, ... }`,
 * or a bare workflow `{ id, steps }`. Pure: the same document gives the same
 * definition and report.
 */
export function convertMaestroDocument(doc: JsonObject): Conversion {
  const report = new ImportReport();
  const wrapped = isObject(doc.workflow);
  const workflow = wrapped ? (doc.workflow as JsonObject) : doc;
  const workflowPath = wrapped ? '$.workflow' : '$';
  const propertiesKey = isObject(doc.properties) ? 'properties' : 'properties_snapshot';
  const properties: JsonObject =
    wrapped && isObject(doc[propertiesKey]) ? (doc[propertiesKey] as JsonObject) : {};
  const propertiesPath = `$.${propertiesKey}`;
  if (wrapped) {
    report.leftovers(doc, '$', ['workflow', 'properties', 'properties_snapshot', 'is_active']);
    if (doc.is_active === false)
      report.changed(
        '$.is_active',
        'Baton activates what you push; deactivate it after the push to keep it inactive',
      );
  }
  const gaps = Object.keys(KNOWN_GAPS);
  reportGaps(workflow, workflowPath, report);
  reportGaps(properties, propertiesPath, report);
  report.leftovers(workflow, workflowPath, [...WORKFLOW_FIELDS, ...gaps]);
  report.leftovers(properties, propertiesPath, [...PROPERTY_FIELDS, ...gaps], 'property');

  const definition: JsonObject = { id: workflowId(workflow.id, child(workflowPath, 'id'), report) };
  if (typeof workflow.name === 'string') definition.name = workflow.name;
  const description = workflow.description ?? properties.description;
  if (typeof description === 'string') definition.description = description;
  const tags = [...tagNames(workflow.tags), ...tagNames(properties.tags)];
  if (tags.length > 0) definition.tags = [...new Set(tags)];
  if (properties.owner !== undefined) {
    report.changed(
      child(propertiesPath, 'owner'),
      'Baton records who pushed a version (pushedBy), not an owner; kept as a tag',
    );
    const owner = isObject(properties.owner) ? properties.owner.name : properties.owner;
    if (typeof owner === 'string')
      definition.tags = [...((definition.tags as string[]) ?? []), `owner:${owner}`];
  }

  const params = convertWorkflowParams(workflow.params, child(workflowPath, 'params'), report);
  if (Object.keys(params.params).length > 0) definition.params = params.params;
  if (workflow.timeout !== undefined) {
    const timeout = convertDuration(workflow.timeout, child(workflowPath, 'timeout'), report);
    if (timeout) definition.timeout = timeout;
  }
  definition.run_strategy = convertRunStrategy(
    properties.run_strategy,
    child(propertiesPath, 'run_strategy'),
    report,
  );
  // Maestro keeps it in the properties; a bare workflow document may carry it itself.
  for (const [holder, at] of [
    [properties, propertiesPath],
    [workflow, workflowPath],
  ] as const) {
    if (holder.step_concurrency === undefined) continue;
    const path = child(at, 'step_concurrency');
    if (definition.step_concurrency !== undefined)
      report.unmapped(path, "given twice; the properties' value used");
    else {
      const limit = convertStepConcurrency(holder.step_concurrency, path, report);
      if (limit !== undefined) definition.step_concurrency = limit;
    }
  }
  const triggers = convertTriggers(workflow, workflowPath, params.params, report);
  if (triggers) definition.triggers = triggers;

  const stepParams = new Map<string, ReadonlyMap<string, KnownParam>>();
  collectStepParams(workflow.steps, stepParams);
  const ctx = (scope: ReadonlyMap<string, SelType>): StepContext => ({
    report,
    params: scope,
    stepParams,
    convertBody: (steps, path, inner) => convertGraph(steps, path, ctx(inner)),
  });
  definition.steps = convertGraph(workflow.steps, child(workflowPath, 'steps'), ctx(params.types));
  return { definition, report };
}

function workflowId(id: unknown, path: string, report: ImportReport): string {
  if (typeof id === 'string' && WORKFLOW_ID.test(id)) return id;
  const cleaned =
    typeof id === 'string' ? id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z]+/, '') : '';
  const chosen = (cleaned || 'maestro.imported').slice(0, 128);
  report.changed(path, `workflow id ${JSON.stringify(id)} became '${chosen}'`);
  return chosen;
}

/** Maestro tags are names or `{ name, namespace }`. */
function tagNames(tags: unknown): string[] {
  const list = isObject(tags) && Array.isArray(tags.tags) ? tags.tags : tags;
  if (!Array.isArray(list)) return [];
  return list.flatMap((tag) =>
    typeof tag === 'string' ? [tag] : isObject(tag) && typeof tag.name === 'string' ? [tag.name] : [],
  );
}

/** Every step's params by Maestro id, loop bodies included, for `params.getFromStep`. */
function collectStepParams(steps: unknown, into: Map<string, ReadonlyMap<string, KnownParam>>): void {
  if (!Array.isArray(steps)) return;
  for (const wrapper of steps) {
    const body = isObject(wrapper) ? Object.values(wrapper)[0] : undefined;
    if (!isObject(body) || typeof body.id !== 'string') continue;
    into.set(body.id, knownParams(body.params));
    collectStepParams(body.steps, into);
  }
}
