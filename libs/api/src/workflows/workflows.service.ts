import {
  DEFAULT_DEFINITION_LIMITS,
  detectFormat,
  parseWorkflowDocument,
  type DefinitionLimits,
  type DocumentFormat,
} from '@baton/definitions';
import type {
  PushResult,
  RegistryClient,
  WorkflowRegistry,
  WorkflowSummary,
  WorkflowVersion,
} from '@baton/readmodel';
import { inScope, type Principal } from '@baton/auth';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '../http/api.errors';
import { checkCalledWorkflows } from './subworkflow-calls.check';

/** `GET /workflows/{id}`: the summary, the active version's definition and source, and every version. */
export interface WorkflowDetail extends WorkflowSummary {
  readonly definition: WorkflowVersion['definition'];
  readonly source: string;
  /** Newest first. */
  readonly versions: readonly {
    readonly version: number;
    readonly active: boolean;
    readonly createdAt: number;
    readonly pushedBy: string | null;
  }[];
}

/**
 * Workflow definitions through the API: parse and validate a pushed document
 * (every error, with its path and line/column), then send it as a command to
 * the workflow's single writer, which numbers versions and treats an
 * identical re-push as a no-op; the answer waits (bounded) for the outcome
 * in the read model, so what a push answered is readable at once. Reads come
 * from the registry projection.
 */
export class WorkflowsService {
  constructor(
    private readonly registry: WorkflowRegistry,
    /** Pushes, activations and deactivations, as commands answered from the projection. */
    private readonly commands: Pick<RegistryClient, 'push' | 'activate' | 'deactivate'>,
    /** The deployment's bounds (`BATON_LIMIT_*`, see `definitionLimitsFromEnv`). */
    private readonly limits: DefinitionLimits = DEFAULT_DEFINITION_LIMITS,
  ) {}

  /**
   * `source` is the body exactly as sent; `contentType` picks JSON or YAML
   * (guessed when it says neither). The caller must cover the document's
   * workflow id (a scoped token) and is recorded as the version's pusher.
   * `activate` makes the pushed version the active one (see `PushWorkflow`).
   */
  async push(
    source: string,
    contentType: string | undefined,
    caller: Principal,
    activate = true,
  ): Promise<PushResult> {
    const format = formatOf(contentType, source);
    const result = parseWorkflowDocument(source, format, this.limits);
    if (!result.ok) {
      const count = result.errors.length;
      throw new InvalidRequestError(
        `the workflow document has ${count} error${count === 1 ? '' : 's'}`,
        result.errors,
      );
    }
    if (!inScope(caller, result.definition.id)) {
      throw new ForbiddenError(
        `${caller.subject} may push workflows starting with ${caller.scopes?.join(', ')} only, not ${result.definition.id}`,
      );
    }
    await checkCalledWorkflows(this.registry, result.definition, source, format, (id) => inScope(caller, id));
    return this.commands.push({ definition: result.definition, source, pushedBy: caller.subject, activate });
  }

  /** The workflows the caller's scopes cover (every one for an unscoped caller). */
  async list(caller: Principal): Promise<WorkflowSummary[]> {
    return (await this.registry.list()).filter((workflow) => inScope(caller, workflow.workflowId));
  }

  async get(workflowId: string): Promise<WorkflowDetail> {
    const summary = await this.registry.get(workflowId);
    if (!summary) throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
    const versions = await this.registry.listVersions(workflowId);
    const active = versions.find((v) => v.version === summary.activeVersion) ?? versions[0];
    return {
      ...summary,
      definition: active.definition,
      source: active.source,
      versions: versions.map(({ version, active, createdAt, pushedBy }) => ({
        version,
        active,
        createdAt,
        pushedBy,
      })),
    };
  }

  async getVersion(workflowId: string, version: number): Promise<WorkflowVersion> {
    const found = await this.registry.getVersion(workflowId, version);
    if (found) return found;
    if (!(await this.registry.get(workflowId))) {
      throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
    }
    throw new NotFoundError(`workflow "${workflowId}" has no version ${version}`);
  }

  /** Makes `version` the one new runs use; answers the updated summary. */
  async activate(workflowId: string, version: number): Promise<WorkflowSummary> {
    await this.commands.activate(workflowId, version);
    const summary = await this.registry.get(workflowId);
    if (!summary) throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
    return summary;
  }

  /** Leaves no version active (new runs must name one); answers the updated summary. */
  async deactivate(workflowId: string): Promise<WorkflowSummary> {
    await this.commands.deactivate(workflowId);
    const summary = await this.registry.get(workflowId);
    if (!summary) throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
    return summary;
  }
}

function formatOf(contentType: string | undefined, text: string): DocumentFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type.endsWith('yaml')) return 'yaml';
  return detectFormat(text);
}
