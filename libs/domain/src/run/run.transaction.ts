import { evolve } from './run.evolve';
import { RUN_EVENT_SCHEMA_VERSION, type RunEvent, type RunEventDraft } from './run.events';
import type { Run, RunState } from './run.state';

/**
 * The events one command produces, applied as they are written (Zeebe's
 * "write event, apply it" step) so each handler step sees the state its
 * earlier events made. It never mutates a state: `evolve` returns new ones and
 * the transaction only moves its pointer. Discarded when the command is
 * rejected.
 */
export class RunTransaction {
  private current: RunState;
  private readonly written: RunEvent[] = [];

  constructor(
    state: RunState,
    private readonly runId: string,
    /** The command's time; every event of this command carries it. */
    readonly at: number,
    /** The command's `metadata.by`: every event of this command carries it (the audit trail). */
    private readonly by?: string,
  ) {
    this.current = state;
  }

  get state(): RunState {
    return this.current;
  }

  /** The started run; only for code that runs after a "run exists" guard. */
  get run(): Run {
    if (this.current.status === 'absent') throw new Error(`run ${this.runId} has not started`);
    return this.current;
  }

  get events(): readonly RunEvent[] {
    return this.written;
  }

  emit(draft: RunEventDraft): void {
    const event = {
      ...draft,
      runId: this.runId,
      seq: this.current.lastSeq + 1,
      schemaVersion: RUN_EVENT_SCHEMA_VERSION,
      at: this.at,
      // Only written when known, so the events of platform commands keep their shape.
      ...(this.by === undefined ? {} : { by: this.by }),
    } as RunEvent;
    this.current = evolve(this.current, event);
    this.written.push(event);
  }
}
