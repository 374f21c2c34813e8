import type { Principal } from '@baton/auth';
import { principalCan } from '@baton/auth';
import { DEFAULT_DEFINITION_LIMITS, type DefinitionError, type DefinitionLimits } from '@baton/definitions';
import { type ImportIssue, importMaestro, renderBatonYaml } from '@baton/maestro-import';
import type { PushResult } from '@baton/readmodel';
import { ForbiddenError, InvalidRequestError } from '../http/api.errors';
import type { WorkflowsService } from '../workflows/workflows.service';

/** `POST /import/maestro`: the Baton workflow, its YAML text, the report, and the push when asked. */
export interface MaestroImportAnswer {
  readonly workflowId: string;
  readonly valid: boolean;
  readonly definition: Record<string, unknown>;
  readonly source: string;
  readonly issues: readonly ImportIssue[];
  readonly errors: readonly DefinitionError[];
  readonly pushed: PushResult | null;
}

/**
 * Converts a Maestro workflow definition with `@baton/maestro-import` (pure,
 * nothing stored) and, with `push`, pushes the result as `POST /workflows`
 * would, which needs the admin permission and a scope covering its id.
 */
export class MaestroImportService {
  constructor(
    private readonly workflows: WorkflowsService,
    private readonly limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
  ) {}

  async convert(source: string, push: boolean, caller: Principal): Promise<MaestroImportAnswer> {
    const result = importMaestro(source, this.limits);
    if (!result.ok) throw new InvalidRequestError(result.message, [{ path: '$', message: result.message }]);
    const workflowId = String(result.definition.id);
    const yaml = renderBatonYaml(result.definition, result.issues, 'sent to POST /api/v1/import/maestro');
    let pushed: PushResult | null = null;
    if (push) {
      if (!principalCan(caller, 'administer')) {
        throw new ForbiddenError(
          `${caller.subject} may convert but not push workflows (push needs the admin role)`,
        );
      }
      // Refused as the push would refuse it; the converted document is meant to be valid.
      pushed = await this.workflows.push(yaml, 'application/yaml', caller);
    }
    return {
      workflowId,
      valid: result.valid,
      definition: result.definition,
      source: yaml,
      issues: result.issues,
      errors: result.errors,
      pushed,
    };
  }
}
