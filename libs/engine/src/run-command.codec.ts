import type { RunCommand } from '@baton/domain';
import { decodeMessage, nestingRefusal, type Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { isRunCommandType, RUN_COMMAND_DTOS } from './run-command.dto';

/**
 * Decodes and validates one record of the run-commands topic. The record key
 * must be the command's run id: the key chose the partition, and a command on
 * another run's partition would be decided against state this engine does not
 * own.
 */
export function decodeRunCommand(record: LogRecord): Decoded<RunCommand> {
  // Workers' reports carry step output: a deep one is a dead letter with its reason, before any parse.
  const tooDeep = record.value === null ? undefined : nestingRefusal(record.value);
  if (tooDeep) return tooDeep;
  let type: unknown;
  try {
    type = record.value === null ? undefined : (JSON.parse(record.value) as { type?: unknown }).type;
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  if (!isRunCommandType(type)) {
    return {
      ok: false,
      reason: `unknown command type ${JSON.stringify(type)}`,
      problems: [{ path: '$.type', message: `must be one of ${Object.keys(RUN_COMMAND_DTOS).join(', ')}` }],
    };
  }
  const decoded = decodeMessage(RUN_COMMAND_DTOS[type], record.value) as Decoded<RunCommand>;
  if (decoded.ok && decoded.value.runId !== record.key) {
    return {
      ok: false,
      reason: `record key '${record.key}' is not the command's run id '${decoded.value.runId}'`,
      problems: [{ path: '$.runId', message: 'must equal the record key' }],
    };
  }
  return decoded;
}
