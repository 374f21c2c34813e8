import { RUN_STRATEGY_KINDS } from '@baton/domain';
import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import { decodeMessage, type Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { isWorkflowCommandType, WORKFLOW_COMMAND_DTOS } from './workflow-command.dto';

const STRATEGY_KINDS: readonly string[] = RUN_STRATEGY_KINDS;

type Problems = { path: string; message: string }[];

/**
 * Decodes and validates one record of the workflow-commands topic. The
 * record key must be the command's workflow id: the key chose the partition,
 * and a command on another workflow's partition would be decided against a
 * queue this writer does not own. A RequestRun's definition must be of that
 * workflow and carry what the queue reads (its version and run strategy).
 */
export function decodeWorkflowCommand(record: LogRecord): Decoded<WorkflowCommand> {
  let type: unknown;
  try {
    type = record.value === null ? undefined : (JSON.parse(record.value) as { type?: unknown }).type;
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  if (!isWorkflowCommandType(type)) {
    return {
      ok: false,
      reason: `unknown workflow command type ${JSON.stringify(type)}`,
      problems: [
        { path: '$.type', message: `must be one of ${Object.keys(WORKFLOW_COMMAND_DTOS).join(', ')}` },
      ],
    };
  }
  const decoded = decodeMessage(WORKFLOW_COMMAND_DTOS[type], record.value) as Decoded<WorkflowCommand>;
  if (!decoded.ok) return decoded;
  const command = decoded.value;
  if (command.workflowId !== record.key) {
    return {
      ok: false,
      reason: `record key '${record.key}' is not the command's workflow id '${command.workflowId}'`,
      problems: [{ path: '$.workflowId', message: 'must equal the record key' }],
    };
  }
  if (command.type === 'RequestRun') {
    const problems = definitionProblems(command.start.definition, command.workflowId);
    if (problems.length > 0) return { ok: false, reason: 'invalid RequestRun', problems };
  }
  if (command.type === 'PushWorkflowVersion') {
    const { id, steps } = command.definition as { id?: unknown; steps?: unknown };
    if (id !== command.workflowId || !Array.isArray(steps)) {
      return {
        ok: false,
        reason: 'invalid PushWorkflowVersion',
        problems: [
          { path: '$.definition', message: 'must be a definition of the workflow (its id) with steps' },
        ],
      };
    }
  }
  return decoded;
}

function definitionProblems(definition: object, workflowId: string): Problems {
  const { id, version, runStrategy } = definition as {
    id?: unknown;
    version?: unknown;
    runStrategy?: unknown;
  };
  const problems: Problems = [];
  if (id !== workflowId) {
    problems.push({
      path: '$.start.definition.id',
      message: `must be the command's workflow id '${workflowId}'`,
    });
  }
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    problems.push({ path: '$.start.definition.version', message: 'must be a version number (1, 2, ...)' });
  }
  const strategy = runStrategy as { kind?: unknown; maxConcurrent?: unknown } | undefined;
  if (
    typeof strategy !== 'object' ||
    strategy === null ||
    !STRATEGY_KINDS.includes(strategy.kind as string)
  ) {
    problems.push({
      path: '$.start.definition.runStrategy.kind',
      message: `must be one of ${STRATEGY_KINDS.join(', ')}`,
    });
  } else if (
    strategy.maxConcurrent !== undefined &&
    (!Number.isSafeInteger(strategy.maxConcurrent) || (strategy.maxConcurrent as number) < 1)
  ) {
    problems.push({
      path: '$.start.definition.runStrategy.maxConcurrent',
      message: 'must be a positive integer',
    });
  }
  return problems;
}
