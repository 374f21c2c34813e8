import { runIdFor, type RunRequest } from '@baton/contracts';
import type { JsonObject, WorkflowDefinition } from '@baton/domain';
import type { EventArchive } from '@baton/archive';
import type { Clock } from '@baton/platform';
import type {
  DroppedRunRequest,
  Page,
  RecordedDropReason,
  RunDetail,
  RunEventRecord,
  RunQueries,
  RunSummary,
  StepLogs,
  WorkflowRegistry,
} from '@baton/readmodel';
import {
  ConflictError,
  type FieldError,
  GoneError,
  InvalidRequestError,
  NotFoundError,
} from '../http/api.errors';
import type { IdGenerator } from '../ids';
import type { ChildRunsQueryDto } from './child-runs.dto';
import { ParamSealer } from './param-sealer';
import { checkRunParams } from './run-params.check';
import type { ListRunsQueryDto, RunEventsQueryDto, StartRunDto } from './runs.dto';
import type { RunPublisher } from './run-publisher';

export interface StartRunAnswer {
  readonly runId: string;
  readonly requestId: string;
  readonly workflowId: string;
  readonly version: number;
}

const DEFAULT_RUNS_PAGE = 50;
const DEFAULT_EVENTS_PAGE = 100;

/**
 * Runs through the API. Starting only publishes to the log and answers 202:
 * the engine admits and decides asynchronously, and the read model shows the
 * outcome once projected (actions on a run: `RunActionsService`). Reads come
 * from the read model only.
 */
export class RunsService {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly queries: RunQueries,
    private readonly publisher: RunPublisher,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** The permanent history; read when the read model no longer has a run's events. */
    private readonly archive: Pick<EventArchive, 'readStream'> | null = null,
    private readonly secrets: ParamSealer = new ParamSealer(null),
  ) {}

  /**
   * Checks the workflow, version and params against the registry, then
   * publishes a `RunRequest` pinned to the version checked (the active one
   * unless named), so activating another version meanwhile cannot change
   * what was accepted. The run id is `runIdFor(workflowId, requestId)`: the
   * same request id always answers the same run id, and the engine starts it once.
   */
  /** `by`: the caller's principal subject; the run's events carry it (the audit trail). */
  async start(workflowId: string, body: StartRunDto, by: string): Promise<StartRunAnswer> {
    const found = await this.registry.getVersion(workflowId, body.version ?? 'active');
    if (!found) {
      if (!(await this.registry.get(workflowId))) {
        throw new NotFoundError(`workflow "${workflowId}" does not exist; push it first`);
      }
      if (body.version === undefined) {
        throw new ConflictError(
          `workflow "${workflowId}" is deactivated (no active version): activate one ` +
            `(POST /api/v1/workflows/${workflowId}/versions/{version}/activate) or name a version`,
        );
      }
      throw new NotFoundError(`workflow "${workflowId}" has no version ${body.version}`);
    }
    const params = body.params ?? {};
    const errors = [
      ...checkRunParams(found.definition, params),
      ...unknownBreakpoints(found.definition, body.breakpoints ?? []),
    ];
    if (errors.length > 0) {
      throw new InvalidRequestError(
        `the request does not fit workflow ${workflowId} v${found.version}: ${errors[0].message}`,
        errors,
      );
    }
    const requestId = body.requestId ?? this.ids.next();
    const request: RunRequest = {
      schemaVersion: 1,
      workflowId,
      version: found.version,
      requestId,
      params: this.secrets.seal(found.definition, params),
      requestedAt: this.clock.now(),
      ...(body.breakpoints === undefined ? {} : { breakpoints: body.breakpoints }),
      requestedBy: by,
    };
    await this.publisher.requestRun(request);
    return { runId: runIdFor(workflowId, requestId), requestId, workflowId, version: found.version };
  }

  /** `scopes`: the caller's workflow-id prefixes (null: every workflow); runs of other workflows are left out. */
  list(query: ListRunsQueryDto, scopes: readonly string[] | null = null): Promise<Page<RunSummary>> {
    return this.queries.listRuns({
      ...(query.workflowId === undefined ? {} : { workflowId: query.workflowId }),
      ...(scopes === null ? {} : { workflowPrefixes: scopes }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.runIdPrefix === undefined ? {} : { runIdPrefix: query.runIdPrefix }),
      ...(query.createdAfter === undefined ? {} : { createdAfter: query.createdAfter }),
      ...(query.createdBefore === undefined ? {} : { createdBefore: query.createdBefore }),
      includeChildren: query.includeChildren === 'true',
      limit: query.limit ?? DEFAULT_RUNS_PAGE,
    });
  }

  /** Child runs of a run, in iteration order; like its events, an unknown run simply has none (yet). */
  /**
   * `scopes` as in `list`: a subworkflow child of another team's workflow is
   * left out of the page (the page may then be short; its cursor still holds).
   */
  async children(
    runId: string,
    query: ChildRunsQueryDto,
    scopes: readonly string[] | null = null,
  ): Promise<Page<RunSummary>> {
    const page = await this.queries.listChildRuns(runId, {
      ...(query.stepId === undefined ? {} : { stepId: query.stepId }),
      ...(query.attempt === undefined ? {} : { attempt: query.attempt }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      limit: query.limit ?? DEFAULT_RUNS_PAGE,
    });
    if (scopes === null) return page;
    return {
      ...page,
      items: page.items.filter((child) => scopes.some((p) => child.workflowId.startsWith(p))),
    };
  }

  /** A run, or one waiting in its workflow's queue (status `queued`); 410 if its request was dropped. */
  async get(runId: string): Promise<RunDetail> {
    const run = (await this.queries.getRun(runId)) ?? (await this.queries.getQueuedRun(runId));
    if (!run) throw await this.missingRun(runId, runNotFound(runId));
    return run;
  }

  /**
   * What is stored so far; an unknown run simply has none (its events may not
   * be projected yet), but a run whose request was dropped never will: 410.
   * When the read model has nothing (rebuilt after the log's retention
   * dropped the run), the archive answers instead.
   */
  async events(
    runId: string,
    query: RunEventsQueryDto,
  ): Promise<{ items: RunEventRecord[]; nextAfterSeq: number | null }> {
    const afterSeq = query.afterSeq ?? 0;
    const limit = query.limit ?? DEFAULT_EVENTS_PAGE;
    const stored = await this.queries.getRunEvents(runId, { afterSeq, limit, type: query.type });
    // The archive answers for runs the read model no longer has (not for a filter that matched nothing).
    const page =
      stored.items.length > 0 || !this.archive || query.type !== undefined
        ? stored
        : await this.archivedEvents(runId, afterSeq, limit);
    // A run has events from seq 1: none from the start means the run is not (yet) known.
    if (page.items.length > 0 || afterSeq > 0) return page;
    const dropped = await this.queries.getDroppedRequest(runId);
    if (dropped) throw runNeverStarted(dropped);
    return page;
  }

  private async archivedEvents(
    runId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ items: RunEventRecord[]; nextAfterSeq: number | null }> {
    const items: RunEventRecord[] = [];
    let more = false;
    for await (const event of this.archive!.readStream(runId, { fromSeq: afterSeq + 1 })) {
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push({
        seq: event.seq,
        type: event.type,
        at: event.at,
        payload: JSON.parse(event.json) as JsonObject,
      });
    }
    return { items, nextAfterSeq: more ? items[items.length - 1].seq : null };
  }

  async logs(runId: string, stepId: string, attempt?: number): Promise<StepLogs> {
    const logs = await this.queries.getStepLogs(runId, stepId, attempt);
    if (logs) return logs;
    const which = attempt === undefined ? '' : ` attempt ${attempt}`;
    throw await this.missingRun(
      runId,
      new NotFoundError(`no logs stored for step "${stepId}"${which} of run ${runId}`),
    );
  }

  /** What to answer for a run the read model does not have: 410 if its request was dropped, else `notFound`. */
  private async missingRun(runId: string, notFound: NotFoundError): Promise<Error> {
    const dropped = await this.queries.getDroppedRequest(runId);
    return dropped ? runNeverStarted(dropped) : notFound;
  }
}

function runNotFound(runId: string): NotFoundError {
  return new NotFoundError(`run ${runId} is unknown (or not projected yet: retry in a moment)`);
}

/** Why a dropped request's run never started, per reason, in the words of a user who asked for it. */
const DROP_EXPLANATIONS: Readonly<
  Record<RecordedDropReason, (drop: DroppedRunRequest, at: string) => string>
> = {
  first_only_busy: (drop, at) =>
    `workflow ${drop.workflowId}'s run strategy first_only dropped its request ${drop.requestId} at ${at} ` +
    '(another run was running or waiting to start)',
  superseded: (drop, at) =>
    `workflow ${drop.workflowId}'s run strategy serial_latest_only or last_only dropped its request ${drop.requestId} at ${at} ` +
    '(a newer request took its place in the queue)',
  cancelled: (drop, at) =>
    `an operator cancelled its request ${drop.requestId} at ${at} while it waited in workflow ${drop.workflowId}'s queue`,
};

/**
 * 410 Gone: the run id was answered to a request (202), and the run will
 * never exist. A reason this API does not know yet (written by a newer
 * projector) is shown as its code.
 */
function runNeverStarted(drop: DroppedRunRequest): GoneError {
  const at = new Date(drop.droppedAt).toISOString();
  const explain = Object.prototype.hasOwnProperty.call(DROP_EXPLANATIONS, drop.reason)
    ? DROP_EXPLANATIONS[drop.reason](drop, at)
    : `workflow ${drop.workflowId}'s queue dropped its request ${drop.requestId} at ${at} (reason ${drop.reason})`;
  return new GoneError(`run ${drop.runId} never started: ${explain}`);
}

function unknownBreakpoints(definition: WorkflowDefinition, breakpoints: readonly string[]): FieldError[] {
  const steps = new Set(definition.steps.map((step) => step.id));
  return breakpoints.flatMap((stepId, index) =>
    steps.has(stepId)
      ? []
      : [
          {
            path: `$.breakpoints[${index}]`,
            message: `workflow ${definition.id} v${definition.version} has no step "${stepId}"; its steps are: ${[...steps].join(', ')}`,
          },
        ],
  );
}
