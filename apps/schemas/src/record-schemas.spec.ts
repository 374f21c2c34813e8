import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import type { ClassConstructor } from 'class-transformer';
import {
  DeadLetterDto,
  decodeMessage,
  decodeStepTask,
  stepTasksTopic,
  Topics,
  RunRequestDto,
  StatusCloudEventDto,
  StepCancellationDto,
  StepLogsDto,
  StepStartGrantedDto,
} from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';
import { decodeRunCommand } from '@baton/engine/runs/run-command.codec';
import { processCommands } from '@baton/engine/runs/process-commands';
import {
  commandRecord,
  definitionFromYaml,
  meta,
  processContext,
  startRunCommand,
} from '@baton/engine/testing/engine-fixtures';
import { renderSchemas, schemaText } from './record-schemas';

const dir = join(__dirname, '..', '..', '..', 'schemas');
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map([...renderSchemas()].map(([name, schema]) => [name, ajv.compile(schema)]));

function ajvAccepts(name: string, value: unknown): boolean {
  return validators.get(name)!(value) === true;
}

/** Both the DTO (what the consumer validates with) and the published schema say the same about `value`. */
function agree(name: string, dto: ClassConstructor<object>, value: object): boolean {
  const byDto = decodeMessage(dto, JSON.stringify(value)).ok;
  expect({ name, value, schema: ajvAccepts(name, value) }).toEqual({ name, value, schema: byDto });
  return byDto;
}

// The records Baton itself writes for one run: a shell step on pool `shell`, started with confirm, then cancelled.
const definition = definitionFromYaml(`
id: etl
steps:
  - id: extract
    type: shell
    command: [sh, -c, 'exit 0']
    pool: shell
`);
const start = startRunCommand(definition);
const first = processCommands(new Map(), [commandRecord(start)], processContext);
const report = { runId: 'r1', stepId: 'extract', attempt: 1, executorId: 'x1' };
const started = {
  type: 'ReportStepStarted',
  ...report,
  leaseDurationMs: 30_000,
  confirm: true,
  metadata: meta('c2'),
};
const second = processCommands(first.changed, [commandRecord(started)], processContext);
const cancel = { type: 'CancelRun', runId: 'r1', reason: 'by test', metadata: meta('c3') };
const third = processCommands(
  second.changed,
  [commandRecord(cancel), commandRecord('not json', 'r1')],
  processContext,
);
const written = [...first.records, ...second.records, ...third.records];
const on = (topic: string) =>
  written.filter((r: OutgoingRecord) => r.topic === topic).map((r) => JSON.parse(r.value!) as object);

describe('the published JSON Schemas (schemas/*.json)', () => {
  it.each([...renderSchemas()])(
    '%s.json is what the DTOs generate (run `npm run schemas` after changing a DTO)',
    (name, schema) => {
      expect(readFileSync(join(dir, `${name}.json`), 'utf8')).toBe(schemaText(schema));
    },
  );

  it('accepts every record the engine writes to the public topics, as their consumers do', () => {
    const tasks = on('baton.step-tasks.shell');
    const statuses = on('baton.status-events');
    expect([tasks.length, statuses.length > 3, on('baton.step-grants').length]).toEqual([1, true, 1]);
    expect(
      tasks.every((task) => ajvAccepts('step-task', task) && decodeStepTask(JSON.stringify(task)).ok),
    ).toBe(true);
    expect(statuses.every((event) => agree('status-event', StatusCloudEventDto, event))).toBe(true);
    expect(
      on('baton.step-grants').every((grant) => agree('step-start-granted', StepStartGrantedDto, grant)),
    ).toBe(true);
    expect(
      on('baton.step-cancellations').map((c) => agree('step-cancellation', StepCancellationDto, c)),
    ).toEqual([true]);
    expect(on('baton.dead-letters').map((l) => agree('dead-letter', DeadLetterDto, l))).toEqual([true]);
  });

  it('agrees with the engine on the executor reports of TASK_PROTOCOL.md, and on what it refuses', () => {
    const cases: [object, boolean][] = [
      [started, true],
      [{ type: 'ReportStepHeartbeat', ...report, metadata: meta('c4') }, true],
      [{ type: 'CompleteStep', ...report, result: { rows: 1 }, metadata: meta('c5') }, true],
      [{ type: 'FailStep', ...report, errorKind: 'user', message: 'exit 2', metadata: meta('c6') }, true],
      // The refusals a worker written from the old docs met (issue 18):
      [
        {
          type: 'CompleteStep',
          runId: 'r1',
          stepId: 'extract',
          attempt: 1,
          result: {},
          metadata: meta('c7'),
        },
        false,
      ],
      [
        {
          type: 'FailStep',
          ...report,
          errorKind: 'user',
          message: 'x',
          result: { exitCode: 2 },
          metadata: meta('c8'),
        },
        false,
      ],
      [{ type: 'ReportStepHeartbeat', ...report, leaseDurationMs: 30_000, metadata: meta('c9') }, false],
      [{ type: 'FailStep', ...report, errorKind: 'timeout', message: 'x', metadata: meta('c10') }, false],
    ];
    for (const [command, valid] of cases) {
      expect({ command, engine: decodeRunCommand(commandRecord(command)).ok }).toEqual({
        command,
        engine: valid,
      });
      expect({ command, schema: ajvAccepts('run-command', command) }).toEqual({ command, schema: valid });
    }
  });

  it('agrees with the DTOs on run requests and step logs', () => {
    const request = { schemaVersion: 1, workflowId: 'sales.daily', requestId: 'q', params: { a: 1 } };
    expect(agree('run-request', RunRequestDto, { ...request, version: 'active' })).toBe(true);
    expect(agree('run-request', RunRequestDto, { ...request, version: 3 })).toBe(true);
    expect(agree('run-request', RunRequestDto, { ...request, version: 'latest' })).toBe(false);
    expect(agree('run-request', RunRequestDto, { ...request, requestid: 'typo' })).toBe(false);
    const logs = {
      schemaVersion: 1,
      ...report,
      stdout: 'ok\n',
      stderr: '',
      truncatedBytes: { stdout: 0, stderr: 0 },
    };
    delete (logs as { executorId?: string }).executorId;
    expect(agree('step-logs', StepLogsDto, logs)).toBe(true);
    expect(agree('step-logs', StepLogsDto, { ...logs, truncatedBytes: { stdout: -1, stderr: 0 } })).toBe(
      false,
    );
  });
});

describe('the AsyncAPI document (schemas/asyncapi.yaml)', () => {
  interface Doc {
    asyncapi: string;
    info: { description: string };
    channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
    operations: Record<string, { channel: { $ref: string } }>;
    components: {
      messages: Record<
        string,
        { payload: { $ref: string }; bindings: { kafka: { key: { description: string } } } }
      >;
    };
  }
  const doc = parse(readFileSync(join(dir, 'asyncapi.yaml'), 'utf8')) as Doc;

  it('is AsyncAPI 3 and says how records are partitioned', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
    expect(doc.info.description).toMatch(/murmur2 of the key, Kafka's\s+Java default partitioner/);
  });

  it("ties each public topic to its generated schema, and every message's key to murmur2 or one partition", () => {
    const payloads = Object.values(doc.components.messages).map((m) => m.payload.$ref);
    expect(new Set(payloads)).toEqual(new Set([...renderSchemas().keys()].map((name) => `./${name}.json`)));
    const addresses = Object.values(doc.channels).map((c) => c.address);
    const topics: string[] = [
      Topics.runRequests,
      Topics.runCommands,
      stepTasksTopic('{pool}'),
      Topics.stepLogs,
      Topics.stepCancellations,
      Topics.stepGrants,
      Topics.statusEvents,
      Topics.deadLetters,
    ];
    expect(addresses.sort()).toEqual(topics.sort());
    for (const message of Object.values(doc.components.messages)) {
      expect(message.bindings.kafka.key.description).toMatch(/murmur2|one partition|refused record/);
    }
  });

  it('has no dangling reference', () => {
    const resolve = (pointer: string) =>
      pointer
        .slice(2)
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
    for (const channel of Object.values(doc.channels)) {
      for (const message of Object.values(channel.messages)) expect(resolve(message.$ref)).toBeDefined();
    }
    for (const operation of Object.values(doc.operations))
      expect(resolve(operation.channel.$ref)).toBeDefined();
  });
});
