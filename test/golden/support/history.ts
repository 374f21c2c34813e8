import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LogRecord } from '@baton/eventlog';

/**
 * Golden histories (STYLE.md, principle 11): what real runs wrote on the log,
 * one JSON line per record, as `npm run golden:record` read it back from the
 * all-in-one's embedded log. `value` is the record's JSON value parsed (so a
 * diff of two recordings reads field by field); everything else is as on the log.
 */
export interface HistoryLine {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: unknown;
}

export const GOLDEN_DIR = resolve(__dirname, '..');
export const HISTORIES_DIR = join(GOLDEN_DIR, 'histories');
export const EXPECTED_DIR = join(GOLDEN_DIR, 'expected');
export const WORKFLOWS_DIR = join(GOLDEN_DIR, 'workflows');

export function lineOf(record: LogRecord): HistoryLine {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key,
    headers: record.headers,
    value: record.value === null ? null : (JSON.parse(record.value) as unknown),
  };
}

/** The record a line was read from (values are re-encoded: JSON.stringify of the parsed value). */
export function recordOf(line: HistoryLine): LogRecord {
  return {
    topic: line.topic,
    partition: line.partition,
    offset: line.offset,
    timestamp: line.timestamp,
    key: line.key,
    headers: line.headers,
    value: line.value === null ? null : JSON.stringify(line.value),
  };
}

/** The names of the recorded histories (file names without `.jsonl`), sorted. */
export function historyNames(): string[] {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.jsonl'))
    .map((file) => file.slice(0, -'.jsonl'.length))
    .sort();
}

export function readHistory(name: string): HistoryLine[] {
  return readFileSync(join(HISTORIES_DIR, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HistoryLine);
}

export function writeHistory(name: string, lines: readonly HistoryLine[]): void {
  writeFileSync(
    join(HISTORIES_DIR, `${name}.jsonl`),
    lines.map((line) => JSON.stringify(line)).join('\n') + '\n',
  );
}
