import type { WorkflowDefinition } from '@baton/domain';
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
