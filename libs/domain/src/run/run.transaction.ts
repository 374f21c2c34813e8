import { EventTransaction, sequencedStamp } from '../decider';
import { evolve } from './run.evolve';
import { RUN_EVENT_SCHEMA_VERSION, type RunEvent, type RunEventDraft } from './run.events';
import type { Run, RunState } from './run.state';

/**
 * The events one run command produces (see `EventTransaction`): numbered
 * from the run's `lastSeq`, stamped with the command's time and author, and
 * applied by `evolve` as they are emitted. Discarded when the command is
 * rejected.
 */
export class RunTransaction extends EventTransaction<RunState, RunEvent, RunEventDraft> {
  constructor(
    state: RunState,
    private readonly runId: string,
    /** The command's time; every event of this command carries it. */
    readonly at: number,
    /** The command's `metadata.by`: every event of this command carries it (the audit trail). */
    by?: string,
  ) {
    super(state, {
      stamp: sequencedStamp<RunState, RunEvent, RunEventDraft, 'runId'>({
        keyField: 'runId',
        key: runId,
        schemaVersion: RUN_EVENT_SCHEMA_VERSION,
        at,
        ...(by === undefined ? {} : { by }),
      }),
      evolve,
    });
  }

  /** The started run; only for code that runs after a "run exists" guard. */
  get run(): Run {
    const state = this.state;
    if (state.status === 'absent') throw new Error(`run ${this.runId} has not started`);
    return state;
  }
}
