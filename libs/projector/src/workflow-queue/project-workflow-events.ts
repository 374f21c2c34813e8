import type { WorkflowEvent } from '@baton/domain/workflow-queue';
import { deadLetterRecord, Topics } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import type { SqlClient } from '@baton/sql';
import { decodeWorkflowEvent } from './workflow-event.codec';
import { projectWorkflowEvents, type QueueProjectionResult } from './workflow-queue-projection';

export interface ProjectedWorkflowEvents {
  readonly result: QueueProjectionResult;
  /** Records that did not decode, with the reason; to send. */
  readonly deadLetters: readonly OutgoingRecord[];
}

/**
 * Decodes a batch of `baton.workflow-events` records and projects the
 * decodable ones in ONE transaction; `now` stamps the dead letters. A SQL
 * failure is thrown, and the caller re-delivers the batch (the decoding
 * checks every field the SQL writes, so a failure is the database's, not
 * the record's).
 */
export async function projectWorkflowEventRecords(
  sql: SqlClient,
  records: readonly LogRecord[],
  now: number,
): Promise<ProjectedWorkflowEvents> {
  const events: WorkflowEvent[] = [];
  const deadLetters: OutgoingRecord[] = [];
  for (const record of records) {
    if (record.topic !== Topics.workflowEvents) {
      deadLetters.push(
        deadLetterRecord(record, `the workflow queue projector does not read topic ${record.topic}`, [], now),
      );
      continue;
    }
    const decoded = decodeWorkflowEvent(record);
    if (decoded.ok) events.push(decoded.value);
    else deadLetters.push(deadLetterRecord(record, decoded.reason, decoded.problems, now));
  }
  const result =
    events.length === 0
      ? { applied: 0, duplicates: 0, gaps: [] }
      : await sql.transaction((tx) => projectWorkflowEvents(tx, events));
  return { result, deadLetters };
}
