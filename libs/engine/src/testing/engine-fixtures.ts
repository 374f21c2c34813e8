import { DEFAULT_RUN_LIMITS, type WorkflowDefinition } from '@baton/domain';
import { parseWorkflowDocument } from '@baton/definitions';
import type { LogRecord } from '@baton/eventlog';

/** A validated definition from YAML (version 1), for engine tests that need real workflows. */
export function definitionFromYaml(yaml: string): WorkflowDefinition {
  const result = parseWorkflowDocument(yaml, 'yaml');
  if (!result.ok) throw new Error(`invalid workflow in test: ${JSON.stringify(result.errors)}`);
  return { ...result.definition, version: 1 };
}

let offset = 0;

/** A run-commands record as the log would deliver it. */
export function commandRecord(value: unknown, key?: string): LogRecord {
  const runId = (value as { runId?: string }).runId ?? 'none';
  return {
    topic: 'baton.run-commands',
    partition: 0,
    offset: offset++,
    key: key ?? runId,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    headers: {},
    timestamp: 0,
  };
}

/** The batch context of `processCommands` specs: engine time 1000, a 30 s lease. */
export const processContext = {
  now: 1_000,
  leaseMs: 30_000,
  source: 'baton/engine',
  limits: DEFAULT_RUN_LIMITS,
} as const;

/** Command metadata as a sender writes it (the engine stamps its own time over `at`). */
export const meta = (commandId: string) => ({ commandId, at: 5 });

/** The engine's `StartRun` of run `r1` (request `q1`) for `definition`. */
export function startRunCommand(definition: WorkflowDefinition) {
  return {
    type: 'StartRun',
    runId: 'r1',
    definition,
    params: {},
    requestId: 'q1',
    scheduledAt: 0,
    metadata: meta('c1'),
  };
}
