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
import type { RunCommand, RunCommandType } from './run.commands';
import { defaultRunDeps, type RunDeciderDeps } from './run.deps';
import type { RunRejection } from './run.errors';
import type { RunEvent } from './run.events';
import type { CommandHandler } from './run.handler';
import type { RunState } from './run.state';
import { RunTransaction } from './run.transaction';

type HandlerTable = { readonly [K in RunCommandType]: CommandHandler<Extract<RunCommand, { type: K }>> };

/** One handler per command type; adding a command type without a handler does not compile. */
const HANDLERS: HandlerTable = {
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

function handlerFor<C extends RunCommand>(command: C): CommandHandler<C> {
  // The table's mapped type pairs each `type` with its handler; TypeScript
  // cannot follow that through an indexed access, hence the one cast.
  return HANDLERS[command.type] as unknown as CommandHandler<C>;
}

/**
 * The run decider: what `command` means for a run in `state`, as events
 * (seq continuing from `state.lastSeq`). Pure and total: a refused command
 * yields exactly one `CommandRejected`, which changes nothing but the seq.
 * An accepted command may yield no event at all (a heartbeat with plenty of
 * lease left).
 *
 * @example
 *   const events = decide(command, state); // CEL unless `deps` says otherwise
 *   const next = events.reduce(evolve, state);
 */
export function decide(
  command: RunCommand,
  state: RunState,
  deps: RunDeciderDeps = defaultRunDeps,
): RunEvent[] {
  const tx = new RunTransaction(state, command.runId, command.metadata.at, command.metadata.by);
  const refused = handlerFor(command)(command, tx, deps);
  if (refused === null) return [...tx.events];
  if (tx.events.length > 0) {
    throw new Error(`handler for ${command.type} emitted events and then refused: ${refused.code}`);
  }
  return rejectCommand(
    state,
    { runId: command.runId, type: command.type, metadata: command.metadata },
    refused,
  );
}

/** What a refused command is known by: enough to number and attribute its `CommandRejected`. */
export interface RefusedCommand {
  readonly runId: string;
  /** `Unknown` for a record whose `type` names no command. */
  readonly type: RunCommandType | 'Unknown';
  readonly metadata: { readonly commandId: string; readonly at: number; readonly by?: string };
}

/**
 * The one `CommandRejected` for a refused command. The shell uses it too, for
 * a record on the run's partition it could not decode as a command (code
 * `InvalidCommand`): an executor's malformed report is then visible on the
 * run it was about, not only in the dead letters.
 */
export function rejectCommand(state: RunState, command: RefusedCommand, refused: RunRejection): RunEvent[] {
  const rejected = new RunTransaction(state, command.runId, command.metadata.at, command.metadata.by);
  rejected.emit({
    type: 'CommandRejected',
    commandType: command.type,
    commandId: command.metadata.commandId,
    code: refused.code,
    message: refused.message,
  });
  return [...rejected.events];
}
