import type { Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import type { ArchiveEvent } from '../event-archive.port';

/**
 * Edge validation of a `baton.run-events` record for the archive. Only the
 * envelope is checked (what the archive stores and keys on): the archive
 * keeps every event of every schema version, including types and versions
 * newer than this process knows, so it checks less than the projector does.
 */
export function decodeArchiveRecord(record: LogRecord): Decoded<ArchiveEvent> {
  if (record.value === null) return refused('empty record value (tombstone)');
  let value: unknown;
  try {
    value = JSON.parse(record.value);
  } catch (error) {
    return refused(`value is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refused('value must be a JSON object');
  }
  const event = value as Record<string, unknown>;
  const problems: { path: string; message: string }[] = [];
  const want = (field: string, ok: boolean, message: string) => {
    if (!ok) problems.push({ path: `$.${field}`, message });
  };
  want('runId', typeof event.runId === 'string' && event.runId !== '', 'must be a non-empty string');
  want('seq', Number.isSafeInteger(event.seq) && (event.seq as number) >= 1, 'must be an integer >= 1');
  want('type', typeof event.type === 'string' && event.type !== '', 'must be a non-empty string');
  want(
    'schemaVersion',
    Number.isSafeInteger(event.schemaVersion) && (event.schemaVersion as number) >= 1,
    'must be an integer >= 1',
  );
  want('at', typeof event.at === 'number' && Number.isFinite(event.at), 'must be a number (epoch ms)');
  if (problems.length > 0) return { ok: false, reason: 'invalid run event envelope', problems };
  if (event.runId !== record.key) {
    return {
      ok: false,
      reason: `record key '${record.key}' is not the event's run id '${String(event.runId)}'`,
      problems: [{ path: '$.runId', message: 'must equal the record key' }],
    };
  }
  return {
    ok: true,
    value: {
      runId: event.runId as string,
      seq: event.seq as number,
      type: event.type as string,
      schemaVersion: event.schemaVersion as number,
      at: event.at as number,
      json: record.value,
    },
  };
}

function refused(reason: string): Decoded<ArchiveEvent> {
  return { ok: false, reason, problems: [] };
}
