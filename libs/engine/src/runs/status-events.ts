import type { Run, RunEvent } from '@baton/domain';
import { CLOUDEVENTS_CONTENT_TYPE, statusCloudEvent, Topics } from '@baton/contracts';
import type { OutgoingRecord } from '@baton/eventlog';

/** The status CloudEvent of a run event as the record the run writer commits with it, or null (not public). */
export function statusEventRecord(event: RunEvent, run: Run, source: string): OutgoingRecord | null {
  const cloudEvent = statusCloudEvent(event, run.definition, source);
  if (!cloudEvent) return null;
  return {
    topic: Topics.statusEvents,
    key: event.runId,
    value: JSON.stringify(cloudEvent),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}
