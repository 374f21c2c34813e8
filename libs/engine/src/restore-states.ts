import type { RunState } from '@baton/domain';
import { Topics } from '@baton/contracts';
import type { EventLog } from '@baton/eventlog';

/**
 * Rebuilds the states of one partition's runs from the compacted state topic:
 * the latest snapshot per run wins. Called when the engine gains the
 * partition, after its transactional producer has fenced any previous owner,
 * so every committed snapshot is visible and none is still in flight.
 */
export async function restoreStates(log: EventLog, partition: number): Promise<Map<string, RunState>> {
  const states = new Map<string, RunState>();
  for await (const record of log.readPartition(Topics.runState, partition)) {
    if (record.value === null) states.delete(record.key);
    else states.set(record.key, JSON.parse(record.value) as RunState);
  }
  return states;
}
