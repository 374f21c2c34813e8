import { deadLetterRecord } from '@baton/contracts';
import type { LogRecord, OutgoingRecord } from '@baton/eventlog';
import {
  ArchiveConflictError,
  type ArchiveEvent,
  type EventArchive,
  type StreamAppend,
} from '../event-archive.port';
import { decodeArchiveRecord } from './archive-record';

export interface ArchivedRecords {
  readonly appended: number;
  readonly duplicates: number;
  /** Undecodable records and records of streams the archive refused, with why; to send. */
  readonly deadLetters: readonly OutgoingRecord[];
}

/** Consecutive events of one run within the batch, and the records they came from. */
interface Segment {
  readonly runId: string;
  readonly events: ArchiveEvent[];
  readonly records: LogRecord[];
}

function appendOf(segment: Segment): StreamAppend {
  return { runId: segment.runId, expectedRevision: segment.events[0]!.seq - 1, events: segment.events };
}

/**
 * Archives a batch of `baton.run-events` records (one partition, in offset
 * order): decodes them, groups each run's events into appends, and appends
 * them in as few `archive.append` calls as possible (one, unless a run's
 * events in the batch are not consecutive, e.g. a re-delivered tail).
 *
 * A conflict (`ArchiveConflictError`: a gap or a different event under a
 * taken seq) would refuse the same records forever and stall the partition,
 * so the call is retried one stream at a time and a stream refused on its
 * own becomes dead letters with the archive's reason. Any other error is
 * thrown: the caller's batch is re-delivered and, appends being idempotent,
 * archived again without duplicates.
 */
export async function archiveRecords(
  archive: EventArchive,
  records: readonly LogRecord[],
  now: number,
): Promise<ArchivedRecords> {
  const deadLetters: OutgoingRecord[] = [];
  const byRun = new Map<string, Segment[]>();
  for (const record of records) {
    const decoded = decodeArchiveRecord(record);
    if (!decoded.ok) {
      deadLetters.push(deadLetterRecord(record, decoded.reason, decoded.problems, now));
      continue;
    }
    const event = decoded.value;
    const segments = byRun.get(event.runId) ?? [];
    byRun.set(event.runId, segments);
    const last = segments[segments.length - 1];
    if (last && last.events[last.events.length - 1]!.seq + 1 === event.seq) {
      last.events.push(event);
      last.records.push(record);
    } else {
      segments.push({ runId: event.runId, events: [event], records: [record] });
    }
  }

  let appended = 0;
  let duplicates = 0;
  // Round k holds the k-th segment of every run: one append per run per call.
  const rounds = Math.max(0, ...[...byRun.values()].map((segments) => segments.length));
  for (let round = 0; round < rounds; round++) {
    const segments = [...byRun.values()].flatMap((s) => (s[round] ? [s[round]!] : []));
    try {
      for (const result of await archive.append(segments.map(appendOf))) {
        appended += result.appended;
        duplicates += result.duplicates;
      }
      continue;
    } catch (error) {
      if (!(error instanceof ArchiveConflictError)) throw error;
    }
    for (const segment of segments) {
      try {
        const [result] = await archive.append([appendOf(segment)]);
        appended += result!.appended;
        duplicates += result!.duplicates;
      } catch (error) {
        if (!(error instanceof ArchiveConflictError)) throw error;
        for (const record of segment.records) {
          deadLetters.push(
            deadLetterRecord(record, `the archive refused the event: ${error.message}`, [], now),
          );
        }
      }
    }
  }
  return { appended, duplicates, deadLetters };
}
