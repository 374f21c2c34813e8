import type { RefusedCommand, RunCommand } from '@baton/domain';
import { decodeMessage, nestingRefusal, type Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { isRunCommandType, RUN_COMMAND_DTOS } from './run-command.dto';

/**
 * Decodes and validates one record of the run-commands topic. The record key
 * must be the command's run id: the key chose the partition, and a command on
 * another run's partition would be decided against state this engine does not
 * own.
 */
export function decodeRunCommand(record: LogRecord): Decoded<RunCommand> & { readonly keyMismatch?: true } {
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
      keyMismatch: true,
      reason: `record key '${record.key}' is not the command's run id '${decoded.value.runId}'`,
      problems: [{ path: '$.runId', message: 'must equal the record key' }],
    };
  }
  return decoded;
}

/**
 * What a record that failed decoding still says about itself, when it names
 * the run of its key: the run, its type (`Unknown` if it names no command)
 * and a command id (its own, or one made of the record's position, so a
 * replay numbers it the same). Null when it names no run or another run.
 */
export function refusedCommandOf(record: LogRecord, now: number): RefusedCommand | null {
  let plain: unknown;
  try {
    plain = record.value === null ? null : JSON.parse(record.value);
  } catch {
    return null;
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return null;
  const { runId, type, metadata } = plain as Record<string, unknown>;
  if (typeof runId !== 'string' || runId !== record.key) return null;
  const given = (metadata as { commandId?: unknown } | null | undefined)?.commandId;
  const commandId =
    typeof given === 'string' && given.length > 0 && given.length <= 512
      ? given
      : `${record.topic}/${record.partition}/${record.offset}`;
  return { runId, type: isRunCommandType(type) ? type : 'Unknown', metadata: { commandId, at: now } };
}
