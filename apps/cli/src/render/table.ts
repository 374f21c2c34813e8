import { visibleLength } from './style';

/**
 * A cell is its text, possibly coloured; widths count visible characters so
 * colours never shift a column.
 */
export type Row = readonly string[];

/**
 * Left-aligned columns separated by two spaces, a header row first; trailing
 * blanks trimmed so piped output has none.
 *
 * @example
 *   renderTable(['RUN', 'STATUS'], [['r-1', 'running']]);
 *   // "RUN  STATUS\nr-1  running\n"
 */
export function renderTable(header: Row, rows: readonly Row[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => visibleLength(row[column] ?? ''))));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell + ' '.repeat(widths[column]! - visibleLength(cell)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** `key  value` lines with the keys aligned (a run's header in `baton get`). */
export function renderFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${value}\n`).join('');
}
