import type { SignalRecord } from '@baton/domain/signals';
import { decodeMessage, type Decoded } from '@baton/contracts';
import type { LogRecord } from '@baton/eventlog';
import { isSignalRecordType, SIGNAL_RECORD_DTOS } from './signal-record.dto';

const JOIN_PREFIX = '@join/';

/**
 * Decodes and validates one record of `baton.signals`. The record key must
 * be the signal name: the key chose the partition, and a record on another
 * name's partition would be decided against state this router does not own.
 */
export function decodeSignalRecord(record: LogRecord): Decoded<SignalRecord> {
  let plain: unknown;
  try {
    plain = record.value === null ? undefined : JSON.parse(record.value);
  } catch (error) {
    return { ok: false, reason: `value is not JSON: ${(error as Error).message}`, problems: [] };
  }
  const type = typeof plain === 'object' && plain !== null ? (plain as { type?: unknown }).type : undefined;
  if (!isSignalRecordType(type)) {
    return {
      ok: false,
      reason: `unknown signal record type ${JSON.stringify(type)}`,
      problems: [{ path: '$.type', message: `must be one of ${Object.keys(SIGNAL_RECORD_DTOS).join(', ')}` }],
    };
  }
  const decoded = decodeMessage(SIGNAL_RECORD_DTOS[type], record.value) as Decoded<SignalRecord>;
  // A join's key and a signal name never meet (names start with a letter): an
  // offer elsewhere would overwrite a name's waits with a join, and back.
  if (
    decoded.ok &&
    decoded.value.type === 'SignalOffered' &&
    !(typeof decoded.value.name === 'string' && decoded.value.name.startsWith(JOIN_PREFIX))
  ) {
    return {
      ok: false,
      reason: `a SignalOffered must be keyed by a join ('${JOIN_PREFIX}...'), not '${decoded.value.name}'`,
      problems: [{ path: '$.name', message: `must start with ${JOIN_PREFIX}` }],
    };
  }
  if (decoded.ok && decoded.value.name !== record.key) {
    return {
      ok: false,
      reason: `record key '${record.key}' is not the signal name '${decoded.value.name}'`,
      problems: [{ path: '$.name', message: 'must equal the record key' }],
    };
  }
  return decoded;
}
