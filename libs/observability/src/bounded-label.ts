/** What a label becomes once a `BoundedLabel` has passed its cap of distinct values. */
export const OVERFLOW_LABEL = 'other';

/** The cap on distinct `workflow` label values per process (docs/operations.md, "Per-workflow metrics"). */
export const MAX_WORKFLOW_LABELS = 100;

/**
 * Keeps a label's cardinality bounded: the first `max` distinct values pass
 * as they are, every later one becomes `other`. A value that passed once
 * always passes (a series never changes name mid-life); which values pass
 * depends on the order the process meets them, and restarts from empty.
 *
 * @example
 *   const workflow = new BoundedLabel(2);
 *   workflow.of('a'); workflow.of('b'); // 'a', 'b'
 *   workflow.of('c');                   // 'other'
 *   workflow.of('a');                   // 'a'
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number = MAX_WORKFLOW_LABELS) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OVERFLOW_LABEL;
    this.seen.add(value);
    return value;
  }
}
