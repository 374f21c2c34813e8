import { parseWorkflowDocument } from '@baton/definitions';
import type { WorkflowDefinition } from '@baton/domain';
import type { RunDetail, StepView, VersionSelector, WorkflowVersion } from '@baton/readmodel';
import { CommandStamp } from '../../command-stamp';
import type { RunActionCommand } from '../run-publisher';

/** The time every command of these fixtures is stamped with. */
export const AT = 1_800_000_000_000;

/** A stamp with a fixed clock and ids `id-1`, `id-2`, …, so command ids are predictable. */
export function fixedStamp(): CommandStamp {
  let next = 0;
  return new CommandStamp({ now: () => AT }, { next: () => `id-${++next}` });
}

export function definitionOf(yaml: string): WorkflowDefinition {
  const parsed = parseWorkflowDocument(yaml, 'yaml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  // The registry numbers pushed versions; these fixtures are version 1.
  return { ...parsed.definition, version: 1 };
}

/** etl v1: extract → load, a required `day` param. */
export const ETL = definitionOf(`id: etl
params:
  day: { type: string, required: true }
steps:
  - { id: extract, type: noop }
  - { id: load, type: noop, depends_on: [extract] }
`);

export function stepView(stepId: string, status: string): StepView {
  return {
    stepId,
    status,
    attempt: 1,
    params: null,
    outputs: null,
    readyAt: null,
    startedAt: null,
    endedAt: null,
    errorKind: null,
    errorMessage: null,
    skipReason: null,
    skipMessage: null,
    signal: null,
    progress: null,
    attempts: [],
  };
}

/** A top-level run of etl v1 with the fields the handlers read; `overrides` say what differs. */
export function runDetail(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    runId: 'run-1',
    workflowId: ETL.id,
    workflowVersion: ETL.version,
    status: 'running',
    requestId: 'req-1',
    runAttempt: 1,
    parent: null,
    createdAt: AT - 1_000,
    startedAt: AT - 900,
    endedAt: null,
    timeoutAt: null,
    failure: null,
    lastSeq: 3,
    updatedAt: AT - 500,
    params: { day: '2026-12-03' },
    breakpoints: [],
    stopping: null,
    steps: [],
    ...overrides,
  };
}

/** Keeps what a handler publishes on `baton.run-commands`. */
export class RecordingRunPublisher {
  readonly sent: RunActionCommand[] = [];

  async sendRunCommand(command: RunActionCommand): Promise<void> {
    this.sent.push(command);
  }
}

/** Answers `getRun` with the run given (null: unknown) and `getVersion` with etl v1 when asked for it. */
export function readModelWith(run: RunDetail | null) {
  return {
    queries: { getRun: async (runId: string) => (run?.runId === runId ? run : null) },
    registry: {
      getVersion: async (workflowId: string, version: VersionSelector) =>
        workflowId === ETL.id && (version === ETL.version || version === 'active') ? versionOf(ETL) : null,
    },
  };
}

/** The registry's row for a definition (active, pushed at AT). */
export function versionOf(definition: WorkflowDefinition): WorkflowVersion {
  return {
    workflowId: definition.id,
    version: definition.version,
    active: true,
    definition,
    source: '',
    createdAt: AT,
    pushedBy: null,
  };
}
