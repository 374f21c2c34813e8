import {
  WORKFLOW_EVENT_SCHEMA_VERSION,
  upcastWorkflowEvent,
  type WorkflowEvent,
  type WorkflowEventType,
} from '@baton/domain/workflow-queue';
import type { Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';

/**
 * Edge validation of `baton.workflow-events` for the queue projector. Events
 * are written by the workflow queue, so this is not a full schema check: it
 * verifies the envelope and every field the projection reads, so a bad
 * record becomes a dead letter here instead of a SQL error that would stall
 * its partition.
 */

type FieldKind = 'string' | 'int' | 'number' | 'boolean' | 'object' | 'strings';

const RUN: Record<string, FieldKind> = { runId: 'string', requestId: 'string' };

/** The fields each event type must carry (beyond the envelope); typed so a new event type must be listed. */
const EVENT_FIELDS: Readonly<Record<WorkflowEventType, Readonly<Record<string, FieldKind>>>> = {
  WorkflowVersionPushed: { commandId: 'string', version: 'int', definition: 'object', source: 'string' },
  WorkflowPushUnchanged: { commandId: 'string', version: 'int' },
  WorkflowVersionActivated: { commandId: 'string', version: 'int' },
  WorkflowDeactivated: { commandId: 'string' },
  WorkflowRunStrategyChanged: { strategy: 'object' },
  RunQueued: { ...RUN, start: 'object' },
  RunAdmitted: { ...RUN, fromQueue: 'boolean', start: 'object' },
  RunRequestDropped: { ...RUN, reason: 'string' },
  RunStopRequested: { runId: 'string', newerRunId: 'string', cancel: 'object' },
  RunFinished: { runId: 'string', outcome: 'string' },
  WorkflowPaused: {},
  WorkflowResumed: {},
  WorkflowBlocked: { runId: 'string' },
  WorkflowUnblocked: { runId: 'string', reason: 'string' },
  WorkflowBreakpointsSet: { stepIds: 'strings' },
  WorkflowCommandRejected: { commandType: 'string', code: 'string', message: 'string' },
};

const ENVELOPE: Readonly<Record<string, FieldKind>> = {
  workflowId: 'string',
  seq: 'int',
  schemaVersion: 'int',
  at: 'number',
};

/** PostgreSQL `integer`: a version beyond it would fail the batch's SQL. */
const MAX_VERSION = 2 ** 31 - 1;

type Problems = { path: string; message: string }[];

/** Decodes one record of `baton.workflow-events`; the key must be the event's workflow id (it chose the partition). */
export function decodeWorkflowEvent(record: LogRecord): Decoded<WorkflowEvent> {
  if (record.value === null) return { ok: false, reason: 'empty record value', problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value);
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  if (!isObject(parsed)) return { ok: false, reason: 'value must be a JSON object', problems: [] };
  // An older schema version becomes the current shape first; the checks below are of the current one.
  const value = upcastWorkflowEvent(parsed);
  const type = value.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(EVENT_FIELDS, type)) {
    return invalid(
      `unknown workflow event type ${JSON.stringify(type)}`,
      '$.type',
      `must be one of ${Object.keys(EVENT_FIELDS).join(', ')}`,
    );
  }
  const problems = check(value, { ...ENVELOPE, ...EVENT_FIELDS[type as WorkflowEventType] });
  if (type === 'RunQueued' && isObject(value.start)) {
    const version = isObject(value.start.definition) ? value.start.definition.version : undefined;
    if (!Number.isSafeInteger(version) || (version as number) < 1 || (version as number) > MAX_VERSION) {
      problems.push({ path: '$.start.definition.version', message: 'must be a version number' });
    }
  }
  for (const name of ['version', 'activeVersion', 'previousVersion']) {
    const v = value[name];
    if (
      name in value &&
      v !== null &&
      (!Number.isSafeInteger(v) || (v as number) < 1 || (v as number) > MAX_VERSION)
    ) {
      problems.push({ path: `$.${name}`, message: 'must be a version number' });
    }
  }
  if (problems.length > 0) return { ok: false, reason: `invalid ${type}`, problems };
  if ((value.seq as number) < 1) return invalid(`invalid ${type}`, '$.seq', 'must be at least 1');
  if ((value.schemaVersion as number) > WORKFLOW_EVENT_SCHEMA_VERSION) {
    return invalid(
      `${type} has schemaVersion ${String(value.schemaVersion)}, newer than this projector knows`,
      '$.schemaVersion',
      `must be at most ${WORKFLOW_EVENT_SCHEMA_VERSION}: upgrade the projector`,
    );
  }
  if (value.workflowId !== record.key) {
    return invalid(
      `record key '${record.key}' is not the event's workflow id '${String(value.workflowId)}'`,
      '$.workflowId',
      'must equal the record key',
    );
  }
  return { ok: true, value: value as unknown as WorkflowEvent };
}

function check(value: Record<string, unknown>, fields: Readonly<Record<string, FieldKind>>): Problems {
  const problems: Problems = [];
  for (const [name, kind] of Object.entries(fields)) {
    if (!matches(value[name], kind)) problems.push({ path: `$.${name}`, message: `must be ${kind}` });
  }
  return problems;
}

function matches(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    default:
      return assertNever(kind);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string, path: string, message: string): Decoded<never> {
  return { ok: false, reason, problems: [{ path, message }] };
}

function assertNever(value: never): never {
  throw new Error(`unhandled variant: ${JSON.stringify(value)}`);
}
