import { MAX_COMMAND_ID_LENGTH, Topics } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { definitionFromYaml } from '../testing/engine-fixtures';
import { decodeWorkflowCommand } from './workflow-command.codec';

const definition = definitionFromYaml(`
id: etl
run_strategy: { type: parallel, max_concurrent: 2 }
steps:
  - { id: extract, type: noop }
`);

function record(value: object, key = 'etl'): LogRecord {
  return {
    topic: Topics.workflowCommands,
    partition: 0,
    offset: 0,
    key,
    value: JSON.stringify(value),
    headers: {},
    timestamp: 0,
  };
}

const metadata = { commandId: 'c1', at: 0 };
const start = {
  type: 'StartRun',
  runId: 'run-1',
  definition,
  params: { day: '2026-01-01' },
  requestId: 'request-1',
  scheduledAt: 0,
  metadata,
};

function problemsOf(value: object, key?: string): string[] {
  const decoded = decodeWorkflowCommand(record(value, key));
  if (decoded.ok) throw new Error('expected a refusal');
  return decoded.problems.map((p) => p.path);
}

describe('decodeWorkflowCommand', () => {
  it('accepts every command type as its producers write it', () => {
    const commands = [
      { type: 'RequestRun', workflowId: 'etl', start: { ...start, breakpoints: ['extract'] }, metadata },
      { type: 'RunEnded', workflowId: 'etl', runId: 'run-1', outcome: 'failed', metadata },
      { type: 'PauseWorkflow', workflowId: 'etl', metadata },
      { type: 'ResumeWorkflow', workflowId: 'etl', metadata },
      { type: 'UnblockWorkflow', workflowId: 'etl', metadata },
      { type: 'SetWorkflowBreakpoints', workflowId: 'etl', stepIds: ['extract'], metadata },
    ];
    for (const command of commands)
      expect(decodeWorkflowCommand(record(command))).toEqual({ ok: true, value: command });
  });

  it("refuses a command on another workflow's key", () => {
    expect(problemsOf({ type: 'PauseWorkflow', workflowId: 'etl', metadata }, 'other')).toEqual([
      '$.workflowId',
    ]);
  });

  it('refuses a request whose definition is of another workflow or lacks what the queue reads', () => {
    const foreign = {
      ...definition,
      id: 'other',
      version: 0,
      runStrategy: { kind: 'parallel', maxConcurrent: 0 },
    };
    expect(
      problemsOf({
        type: 'RequestRun',
        workflowId: 'etl',
        start: { ...start, definition: foreign },
        metadata,
      }),
    ).toEqual([
      '$.start.definition.id',
      '$.start.definition.version',
      '$.start.definition.runStrategy.maxConcurrent',
    ]);
    const { runStrategy: _dropped, ...noStrategy } = definition;
    expect(
      problemsOf({
        type: 'RequestRun',
        workflowId: 'etl',
        start: { ...start, definition: noStrategy },
        metadata,
      }),
    ).toEqual(['$.start.definition.runStrategy.kind']);
  });

  it('refuses a child run (they bypass the queue), unknown fields, and bad values, with paths', () => {
    const child = {
      ...start,
      parent: { runId: 'p', stepId: 's', attempt: 1, index: 0, depth: 1, notify: true },
    };
    expect(problemsOf({ type: 'RequestRun', workflowId: 'etl', start: child, metadata })).toEqual([
      '$.start.parent',
    ]);
    expect(
      problemsOf({ type: 'RunEnded', workflowId: 'etl', runId: 'run-1', outcome: 'lost', metadata }),
    ).toEqual(['$.outcome']);
    expect(
      problemsOf({ type: 'SetWorkflowBreakpoints', workflowId: 'etl', stepIds: [''], metadata }),
    ).toEqual(['$.stepIds']);
    expect(problemsOf({ type: 'PauseWorkflow', workflowId: 'etl', metadata, reason: 'x' })).toEqual([
      '$.reason',
    ]);
  });

  it('refuses an unknown type and a value that is not JSON', () => {
    expect(problemsOf({ type: 'Explode', workflowId: 'etl', metadata })).toEqual(['$.type']);
    const notJson = decodeWorkflowCommand({ ...record({}), value: '{' });
    expect(notJson).toMatchObject({ ok: false, reason: expect.stringMatching(/^value is not JSON/) });
  });
});

describe('the command metadata (shared with baton.run-commands)', () => {
  const pause = (commandId: string) => ({
    type: 'PauseWorkflow',
    workflowId: 'etl',
    metadata: { commandId, at: 0 },
  });

  it('accepts a command id of MAX_COMMAND_ID_LENGTH characters, as the run commands do', () => {
    expect(decodeWorkflowCommand(record(pause('c'.repeat(MAX_COMMAND_ID_LENGTH)))).ok).toBe(true);
  });

  it('refuses a longer one, at its path', () => {
    expect(problemsOf(pause('c'.repeat(MAX_COMMAND_ID_LENGTH + 1)))).toEqual(['$.metadata.commandId']);
  });
});
