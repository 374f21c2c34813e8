import type { WorkflowCommand } from '@baton/domain/workflow-queue';
import type { WorkflowRegistry } from '@baton/readmodel';

/**
 * The one-time seeding of an installation upgraded from a release whose API
 * wrote the registry tables directly: those workflows have rows and no
 * registry event on the log, so no engine's catalog knows them. For each
 * (`workflows.from_log` still false) this makes the commands that rebuild it
 * on the log: every version oldest first as a `PushWorkflowVersion` with
 * `expectedVersion` (the writer refuses it unless it is the next number, so
 * seeding twice, or from two projectors at once, adds nothing), the active
 * one with `activate`, then a `DeactivateWorkflow` if none was active.
 * Command ids are fixed per version, so the outcome rows are written once.
 */
export async function registrySeedCommands(
  registry: Pick<WorkflowRegistry, 'unseeded'>,
  now: number,
): Promise<WorkflowCommand[]> {
  const commands: WorkflowCommand[] = [];
  for (const { summary, versions } of await registry.unseeded()) {
    const { workflowId, activeVersion } = summary;
    for (const { version, definition, source, pushedBy } of versions) {
      commands.push({
        type: 'PushWorkflowVersion',
        workflowId,
        definition,
        source,
        activate: version === activeVersion,
        expectedVersion: version,
        metadata: { commandId: `seed/${workflowId}/v${version}`, at: now, by: pushedBy ?? 'system:seed' },
      });
    }
    if (activeVersion === null) {
      commands.push({
        type: 'DeactivateWorkflow',
        workflowId,
        metadata: { commandId: `seed/${workflowId}/deactivate`, at: now, by: 'system:seed' },
      });
    }
  }
  return commands;
}
