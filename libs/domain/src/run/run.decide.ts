import { cancelRun } from './handlers/cancel-run.handler';
import {
  completeStep,
  failStep,
  reportStepHeartbeat,
  reportStepStarted,
} from './handlers/executor-reports.handler';
import { childRunFinished } from './handlers/child-run-finished.handler';
import { deliverSignal } from './handlers/deliver-signal.handler';
import { fireTimer } from './handlers/fire-timer.handler';
import { restartRun } from './handlers/restart-run.handler';
import { resumeStep, skipStep } from './handlers/step-actions.handler';
import { stopRun } from './handlers/stop-run.handler';
import { startRun } from './handlers/start-run.handler';
import { decisionOf, tableDecider, type Decision, type HandlerTable } from '../decider';
import type { RunCommand, RunCommandType } from './run.commands';
import { defaultRunDeps, type RunDeciderDeps } from './run.deps';
import type { RunRejection } from './run.errors';
import type { RunEvent, RunEventDraft } from './run.events';
import type { RunState } from './run.state';
import { RunTransaction } from './run.transaction';

/** One handler per command type; adding a command type without a handler does not compile. */
const HANDLERS: HandlerTable<RunCommand, RunTransaction, RunDeciderDeps, RunRejection> = {
  StartRun: startRun,
  ReportStepStarted: reportStepStarted,
  ReportStepHeartbeat: reportStepHeartbeat,
  CompleteStep: completeStep,
  FailStep: failStep,
  FireTimer: fireTimer,
  CancelRun: cancelRun,
  StopRun: stopRun,
  RestartRun: restartRun,
  SkipStep: skipStep,
  ResumeStep: resumeStep,
  ChildRunFinished: childRunFinished,
  DeliverSignal: deliverSignal,
};

/** What a refused command is known by: enough to number and attribute its `CommandRejected`. */
export interface RefusedCommand {
  readonly runId: string;
  /** `Unknown` for a record whose `type` names no command. */
  readonly type: RunCommandType | 'Unknown';
  readonly metadata: { readonly commandId: string; readonly at: number; readonly by?: string };
}

const runTable = tableDecider<
  RunCommand,
  RunState,
  RunEvent,
  RunEventDraft,
  RunTransaction,
  RunDeciderDeps,
  RunRejection
>({
  handlers: HANDLERS,
  begin: (command, state) => beginRun(command, state),
  rejected: (command, refused) => rejectedDraft(command, refused),
});

function beginRun(command: RefusedCommand, state: RunState): RunTransaction {
  return new RunTransaction(state, command.runId, command.metadata.at, command.metadata.by);
}

function rejectedDraft(command: RefusedCommand, refused: RunRejection): RunEventDraft {
  return {
    type: 'CommandRejected',
    commandType: command.type,
    commandId: command.metadata.commandId,
    code: refused.code,
    message: refused.message,
  };
}

/**
 * The run decider: what `command` means for a run in `state`, as events
 * (seq continuing from `state.lastSeq`) and the state they lead to. Pure and
 * total: a refused command yields exactly one `CommandRejected`, which
 * changes nothing but the seq. An accepted command may yield no event at all
 * (a heartbeat with plenty of lease left).
 *
 * @example
 *   const { events, state: next } = decideRun(command, state); // CEL unless `deps` says otherwise
 */
export function decideRun(
  command: RunCommand,
  state: RunState,
  deps: RunDeciderDeps = defaultRunDeps,
): Decision<RunState, RunEvent> {
  return runTable.decide(command, state, deps);
}

/**
 * `decideRun`'s events alone, for specs and replays that fold them themselves.
 *
 * @example
 *   const events = decide(command, state);
 *   const next = events.reduce(evolve, state);
 */
export function decide(
  command: RunCommand,
  state: RunState,
  deps: RunDeciderDeps = defaultRunDeps,
): RunEvent[] {
  return [...decideRun(command, state, deps).events];
}

/**
 * The one `CommandRejected` for a refused command, and the state after it.
 * The shell uses it too, for a record on the run's partition it could not
 * decode as a command (code `InvalidCommand`): an executor's malformed
 * report is then visible on the run it was about, not only in the dead
 * letters.
 */
export function rejectCommand(
  state: RunState,
  command: RefusedCommand,
  refused: RunRejection,
): Decision<RunState, RunEvent> {
  const tx = beginRun(command, state);
  tx.emit(rejectedDraft(command, refused));
  return decisionOf(tx);
}
