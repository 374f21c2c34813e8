import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import {
  DeadLetterDto,
  RunRequestDto,
  SPEC_DTOS,
  StatusCloudEventDto,
  StepCancellationDto,
  StepLogsDto,
  StepStartGrantedDto,
  StepTaskDto,
} from '@baton/contracts';
import { RUN_COMMAND_DTOS } from '@baton/engine/runs/run-command.dto';

/** A JSON Schema node (class-validator-jsonschema's own type knows no `$ref` or `const`). */
type SchemaObject = Record<string, unknown>;

/**
 * The JSON Schemas of every record on Baton's public topics, generated from
 * the class-validator DTOs the consumers validate with (one source of truth):
 * `npm run schemas` writes them to `schemas/`, and `record-schemas.spec.ts`
 * fails when the files drift from the DTOs. Unknown fields are refused by
 * `decodeMessage` (forbidNonWhitelisted), hence `additionalProperties: false`.
 */
export interface RecordSchema {
  /** File name in `schemas/`, without `.json`. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly root: SchemaObject;
}

const REF = '#/definitions/';

// DTO property decorators class-validator-jsonschema cannot read by itself.
const CONVERTERS = {
  isStringRecord: { type: 'object' as const, additionalProperties: { type: 'string' as const } },
  // A JSON value within Baton's depth and size bounds (MAX_RUN_PARAMS_*): not expressible here.
  jsonBounds: {},
};

function dtoSchemas(): Record<string, SchemaObject> {
  const all = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: REF,
    additionalConverters: CONVERTERS,
  });
  for (const schema of Object.values(all)) schema.additionalProperties = false;
  return all as Record<string, SchemaObject>;
}

const ref = (dto: { name: string }): SchemaObject => ({ $ref: `${REF}${dto.name}` });

export const RECORD_SCHEMAS: readonly RecordSchema[] = [
  {
    name: 'run-request',
    title: 'RunRequest',
    description:
      'baton.run-requests, keyed by workflow id: start a run (idempotent on workflowId + requestId).',
    root: ref(RunRequestDto),
  },
  {
    name: 'run-command',
    title: 'RunCommand',
    description:
      'baton.run-commands, keyed by run id (murmur2 of the key picks the partition): executor reports and the commands of the engine and API, one shape per `type`.',
    root: { oneOf: Object.values(RUN_COMMAND_DTOS).map(ref) },
  },
  {
    name: 'step-task',
    title: 'StepTask',
    description:
      'baton.step-tasks.<pool>, keyed by run id: one step attempt for an executor pool; `spec` per `type`.',
    root: {
      allOf: [
        ref(StepTaskDto),
        {
          oneOf: Object.entries(SPEC_DTOS).map(([type, dto]) => ({
            // A type without a spec DTO takes `{}`.
            properties: {
              type: { const: type },
              spec: dto ? ref(dto) : { type: 'object', maxProperties: 0 },
            },
          })),
        },
      ],
    },
  },
  {
    name: 'step-logs',
    title: 'StepLogs',
    description:
      'baton.step-logs, keyed by run id: the stdout/stderr tails of one attempt, written before its report.',
    root: ref(StepLogsDto),
  },
  {
    name: 'step-cancellation',
    title: 'StepCancellation',
    description:
      'baton.step-cancellations (one partition, read by every executor from the latest offset): attempts to kill; with executorId, a start refused to that executor only.',
    root: ref(StepCancellationDto),
  },
  {
    name: 'step-start-granted',
    title: 'StepStartGranted',
    description:
      'baton.step-grants (one partition, read like the cancellations): a ReportStepStarted{confirm} accepted.',
    root: ref(StepStartGrantedDto),
  },
  {
    name: 'status-event',
    title: 'StatusCloudEvent',
    description:
      'baton.status-events, keyed by run id: one CloudEvent 1.0 (structured mode) per run or step status change.',
    root: ref(StatusCloudEventDto),
  },
  {
    name: 'dead-letter',
    title: 'DeadLetter',
    description:
      'baton.dead-letters, keyed by the refused record key: a record Baton could not accept, verbatim, with why.',
    root: ref(DeadLetterDto),
  },
];

/** Each record schema as a standalone JSON Schema document (draft-07), with only the definitions it uses. */
export function renderSchemas(): Map<string, object> {
  const definitions = dtoSchemas();
  return new Map(
    RECORD_SCHEMAS.map((record) => [
      record.name,
      {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: `urn:baton:schema:${record.name}:v1`,
        title: record.title,
        description: record.description,
        ...record.root,
        definitions: reachable(record.root, definitions),
      },
    ]),
  );
}

function reachable(root: SchemaObject, all: Record<string, SchemaObject>): Record<string, SchemaObject> {
  const found: Record<string, SchemaObject> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF)) {
        const name = value.slice(REF.length);
        if (found[name] || !all[name]) continue;
        found[name] = all[name];
        visit(all[name]);
      } else visit(value);
    }
  };
  visit(root);
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
}

/** The file text of a schema: what `npm run schemas` writes and the spec compares. */
export function schemaText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
