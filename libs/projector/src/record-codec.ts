import { RUN_EVENT_SCHEMA_VERSION, upcastRunEvent, type RunEvent, type RunEventType } from '@baton/domain';
import { decodeMessage, StepLogsDto, type Decoded, type StepLogs } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';

/**
 * Edge validation of what the projector consumes. Events are written by the
 * engine, so this is not a full schema check: it verifies the envelope and
 * every field the projection reads, so a bad record becomes a dead letter
 * here instead of a SQL error that would stall its whole partition.
 */

type FieldKind =
  | 'string'
  | 'int'
  | 'int|null'
  | 'number'
  | 'number|null'
  | 'string|null'
  | 'boolean'
  | 'object'
  | 'object|null'
  | 'string[]';

const STEP: Record<string, FieldKind> = { stepId: 'string', attempt: 'int' };

/** `LoopProgress`: the counters a loop step's row keeps. */
const PROGRESS: Record<string, FieldKind> = {
  total: 'int|null',
  started: 'int',
  running: 'int',
  succeeded: 'int',
  failed: 'int',
  cancelled: 'int',
};

/** `ParentLink`, as far as the run row keeps it. */
const PARENT: Record<string, FieldKind> = {
  runId: 'string',
  stepId: 'string',
  attempt: 'int',
  index: 'int',
  depth: 'int',
};

/** The fields each event type must carry (beyond the envelope); typed so a new event type must be listed. */
const EVENT_FIELDS: Readonly<Record<RunEventType, Readonly<Record<string, FieldKind>>>> = {
  RunStarted: {
    definition: 'object',
    params: 'object',
    requestId: 'string',
    scheduledAt: 'number',
    timeoutAt: 'number|null',
  },
  StepReady: { ...STEP, params: 'object', dispatch: 'object' },
  StepPaused: { stepId: 'string' },
  ChildRunsStarted: { ...STEP, progress: 'object' },
  ChildRunEnded: { ...STEP, progress: 'object' },
  StepStarted: { ...STEP, executorId: 'string', leaseExpiresAt: 'number' },
  StepLeaseExtended: { ...STEP, leaseExpiresAt: 'number' },
  StepSucceeded: { ...STEP, outputs: 'object' },
  StepFailed: { ...STEP, errorKind: 'string', message: 'string', willRetry: 'boolean' },
  StepTimedOut: { ...STEP, willRetry: 'boolean' },
  StepRetryScheduled: { ...STEP, fireAt: 'number' },
  StepSkipped: { stepId: 'string', reason: 'string' },
  StepCancelled: { ...STEP, reason: 'string' },
  RunStopping: { reason: 'string' },
  RunRestarted: {
    runAttempt: 'int',
    params: 'object',
    resetSteps: 'string[]',
    timeoutAt: 'number|null',
  },
  RunSucceeded: {},
  RunFailed: { reason: 'string', stepId: 'string|null', message: 'string' },
  RunCancelled: { reason: 'string' },
  CommandRejected: { commandType: 'string', code: 'string', message: 'string' },
};

/** Fields an event type may leave out, checked when present. */
const OPTIONAL_FIELDS: Readonly<Partial<Record<RunEventType, Readonly<Record<string, FieldKind>>>>> = {
  RunStarted: { parent: 'object|null', breakpoints: 'string[]' },
  StepSkipped: { message: 'string' },
};

/** Objects inside an event whose fields the projection reads. */
const NESTED_FIELDS: Readonly<
  Partial<Record<RunEventType, Readonly<Record<string, Record<string, FieldKind>>>>>
> = {
  RunStarted: { parent: PARENT },
  StepReady: { dispatch: { kind: 'string' } },
  ChildRunsStarted: { progress: PROGRESS },
  ChildRunEnded: { progress: PROGRESS },
};

const ENVELOPE: Readonly<Record<string, FieldKind>> = {
  runId: 'string',
  seq: 'int',
  schemaVersion: 'int',
  at: 'number',
};

type Problems = { path: string; message: string }[];

/** Decodes one record of `baton.run-events`; the key must be the event's run id (it chose the partition). */
export function decodeRunEvent(record: LogRecord): Decoded<RunEvent> {
  const parsed = parseObject(record.value);
  if (!parsed.ok) return parsed;
  // An older schema version becomes the current shape first; the checks below are of the current one.
  const value = upcastRunEvent(parsed.value);
  const type = value.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(EVENT_FIELDS, type)) {
    return {
      ok: false,
      reason: `unknown event type ${JSON.stringify(type)}`,
      problems: [{ path: '$.type', message: `must be one of ${Object.keys(EVENT_FIELDS).join(', ')}` }],
    };
  }
  const eventType = type as RunEventType;
  const problems = check(value, { ...ENVELOPE, ...EVENT_FIELDS[eventType] });
  problems.push(...checkOptional(value, OPTIONAL_FIELDS[eventType] ?? {}));
  for (const [name, fields] of Object.entries(NESTED_FIELDS[eventType] ?? {})) {
    const nested = value[name];
    if (isObject(nested)) problems.push(...check(nested, fields, `$.${name}`));
  }
  if (type === 'RunStarted') problems.push(...checkDefinition(value.definition));
  if (problems.length > 0) return { ok: false, reason: `invalid ${type}`, problems };
  if ((value.seq as number) < 1) return invalid(`invalid ${type}`, '$.seq', 'must be at least 1');
  if ((value.schemaVersion as number) > RUN_EVENT_SCHEMA_VERSION) {
    return invalid(
      `${type} has schemaVersion ${String(value.schemaVersion)}, newer than this projector knows`,
      '$.schemaVersion',
      `must be at most ${RUN_EVENT_SCHEMA_VERSION}: upgrade the projector`,
    );
  }
  if (value.runId !== record.key) {
    return invalid(
      `record key '${record.key}' is not the event's run id '${String(value.runId)}'`,
      '$.runId',
      'must equal the record key',
    );
  }
  return { ok: true, value: value as unknown as RunEvent };
}

/** Decodes one record of `baton.step-logs`. */
export function decodeStepLogs(record: LogRecord): Decoded<StepLogs> {
  // The DTO the JSON Schema `schemas/step-logs.json` is generated from.
  return decodeMessage(StepLogsDto, record.value);
}

function parseObject(text: string | null): Decoded<Record<string, unknown>> {
  if (text === null) return { ok: false, reason: 'empty record value', problems: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  if (!isObject(value)) return { ok: false, reason: 'value must be a JSON object', problems: [] };
  return { ok: true, value };
}

function checkDefinition(definition: unknown): Problems {
  if (!isObject(definition)) return [];
  const problems = check(definition, { id: 'string', version: 'int' }, '$.definition');
  const steps = definition.steps;
  if (!Array.isArray(steps))
    return [...problems, { path: '$.definition.steps', message: 'must be an array' }];
  steps.forEach((step: unknown, i) => {
    const path = `$.definition.steps[${i}]`;
    if (!isObject(step)) problems.push({ path, message: 'must be an object' });
    else problems.push(...check(step, { id: 'string' }, path));
  });
  return problems;
}

function check(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, FieldKind>>,
  at = '$',
): Problems {
  const problems: Problems = [];
  for (const [name, kind] of Object.entries(fields)) {
    if (!matches(value[name], kind)) problems.push({ path: `${at}.${name}`, message: `must be ${kind}` });
  }
  return problems;
}

function checkOptional(
  value: Record<string, unknown>,
  fields: Readonly<Record<string, FieldKind>>,
): Problems {
  const present = Object.entries(fields).filter(([name]) => value[name] !== undefined);
  return check(value, Object.fromEntries(present));
}

function matches(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'string|null':
      return value === null || typeof value === 'string';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'int':
      return Number.isSafeInteger(value);
    case 'int|null':
      return value === null || Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'number|null':
      return value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isObject(value);
    case 'object|null':
      return value === null || isObject(value);
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
