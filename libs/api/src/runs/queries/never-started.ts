import type { DroppedRunRequest, RecordedDropReason, RunQueries } from '@baton/readmodel';
import { GoneError, type NotFoundError } from '../../http/api.errors';

/** What to answer for a run the read model does not have: 410 if its request was dropped, else `notFound`. */
export async function missingRun(
  queries: Pick<RunQueries, 'getDroppedRequest'>,
  runId: string,
  notFound: NotFoundError,
): Promise<Error> {
  const dropped = await queries.getDroppedRequest(runId);
  return dropped ? runNeverStarted(dropped) : notFound;
}

/** Why a dropped request's run never started, per reason, in the words of a user who asked for it. */
const DROP_EXPLANATIONS: Readonly<
  Record<RecordedDropReason, (drop: DroppedRunRequest, at: string) => string>
> = {
  first_only_busy: (drop, at) =>
    `workflow ${drop.workflowId}'s run strategy first_only dropped its request ${drop.requestId} at ${at} ` +
    '(another run was running or waiting to start)',
  superseded: (drop, at) =>
    `workflow ${drop.workflowId}'s run strategy serial_latest_only or last_only dropped its request ${drop.requestId} at ${at} ` +
    '(a newer request took its place in the queue)',
  cancelled: (drop, at) =>
    `an operator cancelled its request ${drop.requestId} at ${at} while it waited in workflow ${drop.workflowId}'s queue`,
};

/**
 * 410 Gone: the run id was answered to a request (202), and the run will
 * never exist. A reason this API does not know yet (written by a newer
 * projector) is shown as its code.
 */
export function runNeverStarted(drop: DroppedRunRequest): GoneError {
  const at = new Date(drop.droppedAt).toISOString();
  const explain = Object.prototype.hasOwnProperty.call(DROP_EXPLANATIONS, drop.reason)
    ? DROP_EXPLANATIONS[drop.reason](drop, at)
    : `workflow ${drop.workflowId}'s queue dropped its request ${drop.requestId} at ${at} (reason ${drop.reason})`;
  return new GoneError(`run ${drop.runId} never started: ${explain}`);
}
