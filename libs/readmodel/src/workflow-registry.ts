import type { Triggers, WorkflowDefinition } from '@baton/domain/workflow/workflow-definition';
import type { SqlClient } from '@baton/sql';

/** A validated definition before the registry numbers it. */
export type WorkflowDefinitionDraft = Omit<WorkflowDefinition, 'version'>;

export interface PushWorkflow {
  readonly definition: WorkflowDefinitionDraft;
  /** The document as the user wrote it (YAML or JSON). */
  readonly source: string;
  /** Who pushed it (an API principal's subject), for the audit trail. */
  readonly pushedBy?: string;
  /**
   * Make the pushed version the active one (the API and `baton push` do, by
   * default: Maestro activates what you push), ending a deactivation; an
   * unchanged re-push activates the latest version it returns. Unset or
   * false: the active version stays as it is, except that a workflow's first
   * version is always active.
   */
  readonly activate?: boolean;
}

export interface PushResult {
  readonly workflowId: string;
  readonly version: number;
  /** False when the definition equals the latest version's: that version is returned. */
  readonly created: boolean;
  /** The workflow's active version after the push (null: deactivated, and not activated by it). */
  readonly activeVersion: number | null;
}

export interface WorkflowSummary {
  readonly workflowId: string;
  /** Null once deactivated: runs of "the active version" are refused until a version is activated. */
  readonly activeVersion: number | null;
  readonly latestVersion: number;
  /** Of the active version (of the latest while deactivated). */
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface WorkflowVersion {
  readonly workflowId: string;
  readonly version: number;
  readonly active: boolean;
  readonly definition: WorkflowDefinition;
  readonly source: string;
  readonly createdAt: number;
  /** Who pushed it; null for versions pushed before the audit trail existed. */
  readonly pushedBy: string | null;
}

export type VersionSelector = number | 'active' | 'latest';

/** The triggers of a workflow's active version. */
export interface ActiveTriggers {
  readonly workflowId: string;
  /** The active version, whose triggers these are. */
  readonly version: number;
  readonly triggers: Triggers;
  /** Epoch ms of the workflow's last push or activation: no trigger of this version fired before it. */
  readonly updatedAt: number;
}

export class WorkflowNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`workflow "${workflowId}" does not exist; push it first`);
    this.name = 'WorkflowNotFoundError';
  }
}

export class WorkflowVersionNotFoundError extends Error {
  constructor(
    readonly workflowId: string,
    readonly version: number,
  ) {
    super(`workflow "${workflowId}" has no version ${version}`);
    this.name = 'WorkflowVersionNotFoundError';
  }
}

/**
 * How a registry command (push, activate, deactivate) ended, as the workflow
 * queue projector recorded it by command id: the event that answered it
 * (`activeVersion`: the workflow's active version after it) or its rejection.
 */
export type RegistryOutcome =
  | {
      readonly type: 'WorkflowVersionPushed' | 'WorkflowPushUnchanged' | 'WorkflowVersionActivated';
      readonly version: number;
      readonly activeVersion: number | null;
    }
  | { readonly type: 'WorkflowDeactivated'; readonly activeVersion: null }
  | { readonly type: 'WorkflowCommandRejected'; readonly code: string; readonly message: string };

/**
 * Workflow definitions and their versions, as the read model holds them: a
 * projection of the registry events on the workflow-keyed log (the workflow
 * queue projector writes `workflows`, `workflow_versions` and
 * `workflow_registry_outcomes`). Nothing writes here but that projector: a
 * push is a `PushWorkflowVersion` command decided by the workflow's single
 * writer (libs/domain/src/workflow-queue), which numbers the versions.
 *
 * @example
 *   const registry = new WorkflowRegistry(sql);
 *   const running = await registry.getVersion('nightly-etl', 'active');
 *   const answer = await registry.outcome('api-push/0f3c...'); // null until projected
 */
export class WorkflowRegistry {
  constructor(private readonly sql: SqlClient) {}

  /** The recorded outcome of the registry command `commandId`; null while it is not projected (or never sent). */
  async outcome(commandId: string): Promise<RegistryOutcome | null> {
    const [row] = await this.sql.query<{ outcome: RegistryOutcome }>(
      'SELECT outcome FROM workflow_registry_outcomes WHERE command_id = $1',
      [commandId],
    );
    return row?.outcome ?? null;
  }

  /**
   * Workflows whose rows an older release wrote directly (no registry event
   * projected for them yet), with every version oldest first: what the
   * one-time seeding publishes as commands.
   */
  async unseeded(): Promise<{ summary: WorkflowSummary; versions: WorkflowVersion[] }[]> {
    const rows = await this.sql.query<{ workflow_id: string }>(
      'SELECT workflow_id FROM workflows WHERE NOT from_log ORDER BY workflow_id',
    );
    const out: { summary: WorkflowSummary; versions: WorkflowVersion[] }[] = [];
    for (const { workflow_id } of rows) {
      const summary = await this.get(workflow_id);
      if (summary) out.push({ summary, versions: (await this.listVersions(workflow_id)).reverse() });
    }
    return out;
  }

  async get(workflowId: string): Promise<WorkflowSummary | null> {
    const [row] = await this.sql.query<SummaryRow>(`${SUMMARY_SQL} WHERE w.workflow_id = $1`, [workflowId]);
    return row ? toSummary(row) : null;
  }

  /** All workflows with their active version, by id. */
  async list(): Promise<WorkflowSummary[]> {
    const rows = await this.sql.query<SummaryRow>(`${SUMMARY_SQL} ORDER BY w.workflow_id`);
    return rows.map(toSummary);
  }

  async getVersion(workflowId: string, selector: VersionSelector): Promise<WorkflowVersion | null> {
    const column =
      selector === 'active' ? 'w.active_version' : selector === 'latest' ? 'w.latest_version' : '$2';
    const params = typeof selector === 'number' ? [workflowId, selector] : [workflowId];
    const [row] = await this.sql.query<VersionRow>(
      `${VERSION_SQL} WHERE v.workflow_id = $1 AND v.version = ${column}`,
      params,
    );
    return row ? toVersion(row) : null;
  }

  /** Every version of a workflow, newest first; empty when it does not exist. */
  async listVersions(workflowId: string): Promise<WorkflowVersion[]> {
    const rows = await this.sql.query<VersionRow>(
      `${VERSION_SQL} WHERE v.workflow_id = $1 ORDER BY v.version DESC`,
      [workflowId],
    );
    return rows.map(toVersion);
  }

  /**
   * The triggers of every active version that has any, by workflow id: what
   * the cron scheduler and the signal router poll. A workflow with no active
   * version starts nothing.
   */
  async activeTriggers(): Promise<ActiveTriggers[]> {
    const rows = await this.sql.query<TriggersRow>(
      `SELECT w.workflow_id, w.active_version, v.definition -> 'triggers' AS triggers, w.updated_at
         FROM workflows w
         JOIN workflow_versions v ON v.workflow_id = w.workflow_id AND v.version = w.active_version
        WHERE jsonb_array_length(COALESCE(v.definition -> 'triggers' -> 'cron', '[]'::jsonb)) > 0
           OR jsonb_array_length(COALESCE(v.definition -> 'triggers' -> 'signals', '[]'::jsonb)) > 0
        ORDER BY w.workflow_id`,
    );
    return rows.map((row) => ({
      workflowId: row.workflow_id,
      version: row.active_version,
      triggers: { cron: row.triggers.cron ?? [], signals: row.triggers.signals ?? [] },
      updatedAt: row.updated_at.getTime(),
    }));
  }
}

interface TriggersRow {
  workflow_id: string;
  active_version: number;
  triggers: Partial<Triggers>;
  updated_at: Date;
}

interface SummaryRow {
  workflow_id: string;
  active_version: number | null;
  latest_version: number;
  definition: WorkflowDefinition;
  created_at: Date;
  updated_at: Date;
}

const SUMMARY_SQL = `
  SELECT w.workflow_id, w.active_version, w.latest_version, v.definition, w.created_at, w.updated_at
    FROM workflows w
    JOIN workflow_versions v
      ON v.workflow_id = w.workflow_id AND v.version = COALESCE(w.active_version, w.latest_version)`;

function toSummary(row: SummaryRow): WorkflowSummary {
  return {
    workflowId: row.workflow_id,
    activeVersion: row.active_version,
    latestVersion: row.latest_version,
    name: row.definition.name,
    description: row.definition.description,
    tags: row.definition.tags,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
  };
}

interface VersionRow {
  workflow_id: string;
  version: number;
  active: boolean;
  definition: WorkflowDefinition;
  source: string;
  created_at: Date;
  pushed_by: string | null;
}

const VERSION_SQL = `
  SELECT v.workflow_id, v.version, COALESCE(v.version = w.active_version, false) AS active,
         v.definition, v.source, v.created_at, v.pushed_by
    FROM workflow_versions v
    JOIN workflows w ON w.workflow_id = v.workflow_id`;

function toVersion(row: VersionRow): WorkflowVersion {
  return {
    workflowId: row.workflow_id,
    version: row.version,
    active: row.active,
    definition: row.definition,
    source: row.source,
    createdAt: row.created_at.getTime(),
    pushedBy: row.pushed_by,
  };
}
