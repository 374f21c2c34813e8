/**
 * Runs keyed by their next deadline, earliest first: a binary heap with lazy
 * deletion (an entry counts only while it matches the run's current
 * deadline), so updating a run's deadline is O(log n) and nothing is scanned.
 */
export class DeadlineQueue {
  private readonly current = new Map<string, number>();
  private heap: { at: number; runId: string }[] = [];

  /** Sets (or clears, with null) the run's next deadline. */
  set(runId: string, at: number | null): void {
    if (at === null) {
      this.current.delete(runId);
      return;
    }
    if (this.current.get(runId) === at) return;
    this.current.set(runId, at);
    this.push({ at, runId });
  }

  delete(runId: string): void {
    this.current.delete(runId);
  }

  /** The earliest live deadline, or null. */
  peek(): number | null {
    this.dropStale();
    return this.heap.length === 0 ? null : this.heap[0].at;
  }

  /** Removes and returns the runs whose deadline is at or before `now`. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) return due;
      this.pop();
      this.current.delete(top.runId);
      due.push(top.runId);
    }
  }

  get size(): number {
    return this.current.size;
  }

  private dropStale(): void {
    while (this.heap.length > 0 && this.current.get(this.heap[0].runId) !== this.heap[0].at) this.pop();
    // Keep the heap from filling with dead entries when deadlines move often.
    if (this.heap.length > 64 && this.heap.length > 4 * this.current.size) this.rebuild();
  }

  private rebuild(): void {
    const entries = [...this.current].map(([runId, at]) => ({ at, runId }));
    this.heap = [];
    for (const entry of entries) this.push(entry);
  }

  private push(entry: { at: number; runId: string }): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (heap.length === 0 || !last) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && heap[left].at < heap[smallest].at) smallest = left;
      if (right < heap.length && heap[right].at < heap[smallest].at) smallest = right;
      if (smallest === i) return;
      [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
      i = smallest;
    }
  }
}
