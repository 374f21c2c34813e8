import {
  signalSetContext,
  signalSetRequestId,
  triggerParams,
  type SignalExpressionEvaluator,
  type SignalJoinEvent,
} from '@baton/domain/signals';
import { deadLetterRecord, Topics, type RunRequest } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';

type Joined = Extract<SignalJoinEvent, { type: 'SignalsJoined' }>;

/**
 * The run request of a joined set, its params evaluated over `signals`; a
 * dead letter of the completing offer, naming the param, when they cannot be.
 * Its time and principal are the completing signal's, so routing the offer
 * again asks for the same run.
 */
export function joinedRunRecord(
  joined: Joined,
  record: LogRecord,
  expressions: SignalExpressionEvaluator,
  now: number,
): OutgoingRecord {
  const { workflowId, version, triggerIndex } = joined;
  const params = triggerParams(joined.trigger, signalSetContext(joined.signals), expressions);
  if (!params.ok)
    return deadLetterRecord(
      record,
      `signal trigger not fired: workflow ${workflowId} v${version} triggers.signals[${triggerIndex}].params.${params.name}: ${params.message}`,
      [],
      now,
    );
  const completing = Object.values(joined.signals).find((s) => s.signalId === joined.completedBy);
  const request: RunRequest = {
    schemaVersion: 1,
    workflowId,
    version,
    requestId: signalSetRequestId(joined.completedBy, triggerIndex),
    params: params.value,
    requestedAt: completing?.sentAt ?? now,
    ...(completing?.sentBy === undefined ? {} : { requestedBy: completing.sentBy }),
  };
  return { topic: Topics.runRequests, key: workflowId, value: JSON.stringify(request) };
}
