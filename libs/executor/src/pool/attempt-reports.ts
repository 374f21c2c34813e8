import { randomUUID } from 'node:crypto';
import {
  Topics,
  type AttemptIdentity,
  type LogTail,
  type StepLogs,
  type StepOutcome,
} from '@baton/contracts';
import type {
  CompleteStep,
  FailStep,
  ReportStepHeartbeat,
  ReportStepStarted,
  RunCommand,
  StepErrorKind,
} from '@baton/domain';
import type { OutgoingRecord } from '@baton/eventlog';

/**
 * The records an executor writes about one attempt: report commands on
 * `baton.run-commands` and the log tails on `baton.step-logs`, all keyed by
 * run id (the engine owning the run's partition decides what they mean).
 */

/** FailStep messages are capped by the engine's edge validation (64 KiB); keep well inside it. */
const MAX_MESSAGE_CHARS = 16 * 1024;

export interface Reporter {
  readonly executorId: string;
  /** Epoch ms for `metadata.at` (the engine stamps its own time as well). */
  readonly at: number;
  /**
   * The attempt's StepLogs record was acknowledged: the final report says so
   * (`logsWritten`), and the read model then shows the run ended only once
   * the tail is stored.
   */
  readonly logsWritten?: boolean;
}

/** `confirm`: the executor waits for the engine's grant before it runs the step. */
export function startedRecord(
  id: AttemptIdentity,
  by: Reporter,
  leaseDurationMs: number,
  confirm = false,
): OutgoingRecord {
  const command: ReportStepStarted = {
    type: 'ReportStepStarted',
    ...attemptFields(id, by),
    leaseDurationMs,
    ...(confirm ? { confirm } : {}),
  };
  return commandRecord(command);
}

export function heartbeatRecord(id: AttemptIdentity, by: Reporter): OutgoingRecord {
  const command: ReportStepHeartbeat = { type: 'ReportStepHeartbeat', ...attemptFields(id, by) };
  return commandRecord(command);
}

export function completedRecord(
  id: AttemptIdentity,
  by: Reporter,
  result: CompleteStep['result'],
): OutgoingRecord {
  const command: CompleteStep = {
    type: 'CompleteStep',
    ...attemptFields(id, by),
    result,
    ...(by.logsWritten ? { logsWritten: true } : {}),
  };
  return commandRecord(command);
}

export function failedRecord(
  id: AttemptIdentity,
  by: Reporter,
  errorKind: StepErrorKind,
  message: string,
  exitCode?: number,
): OutgoingRecord {
  const command: FailStep = {
    type: 'FailStep',
    ...attemptFields(id, by),
    errorKind,
    message: clip(message),
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(by.logsWritten ? { logsWritten: true } : {}),
  };
  return commandRecord(command);
}

/**
 * The report an outcome calls for, or null when the executor must stay
 * silent:
 * - `timeout`: the engine started its own step-timeout timer for the same
 *   deadline when it accepted `ReportStepStarted` (before the runtime's timer
 *   started here), so it decides the timeout itself; a `FailStep` would race
 *   with that decision for nothing. The runtime has already killed the step.
 * - `cancelled`: the engine (or this executor's shutdown/lease check, which
 *   reports separately) asked for the stop; the attempt is already ended there.
 */
export function outcomeRecord(
  id: AttemptIdentity,
  by: Reporter,
  outcome: StepOutcome,
): OutgoingRecord | null {
  if (outcome.status === 'succeeded') return completedRecord(id, by, outcome.result);
  switch (outcome.errorKind) {
    case 'user':
    case 'platform':
      return failedRecord(id, by, outcome.errorKind, outcome.message, exitCodeOf(outcome.result));
    case 'timeout':
    case 'cancelled':
      return null;
    default: {
      const never: never = outcome.errorKind;
      throw new Error(`unknown error kind ${String(never)}`);
    }
  }
}

/** The integer `exitCode` a runtime put in a failed outcome's result (the shell runtime does), if any. */
function exitCodeOf(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null || !('exitCode' in result)) return undefined;
  const code = result.exitCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

export function stepLogsRecord(id: AttemptIdentity, logs: LogTail): OutgoingRecord {
  const value: StepLogs = {
    schemaVersion: 1,
    runId: id.runId,
    stepId: id.stepId,
    attempt: id.attempt,
    stdout: logs.stdout.text,
    stderr: logs.stderr.text,
    truncatedBytes: { stdout: logs.stdout.truncatedBytes, stderr: logs.stderr.truncatedBytes },
  };
  return { topic: Topics.stepLogs, key: id.runId, value: JSON.stringify(value) };
}

function attemptFields(id: AttemptIdentity, by: Reporter) {
  return {
    runId: id.runId,
    metadata: { commandId: randomUUID(), at: by.at },
    stepId: id.stepId,
    attempt: id.attempt,
    executorId: by.executorId,
  };
}

function commandRecord(command: RunCommand): OutgoingRecord {
  return { topic: Topics.runCommands, key: command.runId, value: JSON.stringify(command) };
}

/** Keeps the head and the tail of a long message (the tail usually holds the error). */
function clip(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const half = MAX_MESSAGE_CHARS / 2;
  return `${message.slice(0, half)}\n[... ${message.length - 2 * half} characters cut ...]\n${message.slice(-half)}`;
}
