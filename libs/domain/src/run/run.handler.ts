import type { Handler } from '../decider';
import type { RunCommand } from './run.commands';
import type { RunDeciderDeps } from './run.deps';
import type { RunRejection } from './run.errors';
import type { RunTransaction } from './run.transaction';

/**
 * One command type's processor: validates against `tx.state` and returns a
 * rejection before emitting anything, or emits the command's events.
 */
export type CommandHandler<C extends RunCommand> = Handler<C, RunTransaction, RunDeciderDeps, RunRejection>;
