import type { Triggers, WorkflowDefinition } from '@baton/domain/workflow/workflow-definition';
import { jsonParam, type SqlClient } from '@baton/sql';

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
 * Workflow definitions and their versions, in the read-model database.
 *
 * Every accepted push is an immutable new version 1, 2, 3... unless its
 * normalized definition equals the latest version's (re-pushing the same file,
 * even reformatted, is a no-op). The first version becomes active; later ones
 * when pushed with `activate: true`, or through `activate`, which also ends a
 * `deactivate`. Two pushes at once serialize on the workflow row
 * (`SELECT ... FOR UPDATE`), so they never get the same number; the
 * (workflow_id, version) primary key backs that up.
 *
 * @example
 *   const registry = new WorkflowRegistry(sql);
 *   const { version, created } = await registry.push({ definition, source: yamlText });
 *   const running = await registry.getVersion('nightly-etl', 'active');
 */
export class WorkflowRegistry {
  constructor(
    private readonly sql: SqlClient,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  async push({ definition, source, pushedBy, activate = false }: PushWorkflow): Promise<PushResult> {
    const workflowId = definition.id;
    return this.sql.transaction(async (tx) => {
      const now = new Date(this.clock());
      // Creates the row once; a concurrent first push waits here for the
      // other's commit, then finds the row.
      await tx.query(
        `INSERT INTO workflows (workflow_id, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (workflow_id) DO NOTHING`,
        [workflowId, now],
      );
      const [row] = await tx.query<{ latest_version: number; active_version: number | null }>(
        'SELECT latest_version, active_version FROM workflows WHERE workflow_id = $1 FOR UPDATE',
        [workflowId],
      );
      const latest = row!.latest_version;
      const active = row!.active_version;
      const version = latest + 1;
      // The caller's draft may carry a stale `version`; the registry owns it.
      const stamped: WorkflowDefinition = { ...definition, version };
      const definitionJson = jsonParam(stamped);
      if (latest > 0) {
        // jsonb equality ignores key order and formatting: "same normalized definition".
        const [same] = await tx.query<{ same: boolean }>(
          `SELECT (definition - 'version') = ($3::jsonb - 'version') AS same
             FROM workflow_versions WHERE workflow_id = $1 AND version = $2`,
          [workflowId, latest, definitionJson],
        );
        if (same?.same) {
          if (!activate || active === latest) {
            return { workflowId, version: latest, created: false, activeVersion: active };
          }
          await tx.query('UPDATE workflows SET active_version = $2, updated_at = $3 WHERE workflow_id = $1', [
            workflowId,
            latest,
            now,
          ]);
          return { workflowId, version: latest, created: false, activeVersion: latest };
        }
      }
      await tx.query(
        `INSERT INTO workflow_versions (workflow_id, version, definition, source, created_at, pushed_by)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
        [workflowId, version, definitionJson, source, now, pushedBy ?? null],
      );
      const activeVersion = activate || latest === 0 ? version : active;
      await tx.query(
        `UPDATE workflows SET latest_version = $2, active_version = $3, updated_at = $4 WHERE workflow_id = $1`,
        [workflowId, version, activeVersion, now],
      );
      return { workflowId, version, created: true, activeVersion };
    });
  }

  /** Makes `version` the one new runs use. Throws the NotFound errors above. */
  async activate(workflowId: string, version: number): Promise<void> {
    const updated = await this.sql.query<{ workflow_id: string }>(
      `UPDATE workflows w SET active_version = $2, updated_at = $3
        WHERE w.workflow_id = $1
          AND EXISTS (SELECT 1 FROM workflow_versions v WHERE v.workflow_id = $1 AND v.version = $2)
        RETURNING w.workflow_id`,
      [workflowId, version, new Date(this.clock())],
    );
    if (updated.length > 0) return;
    if (!(await this.get(workflowId))) throw new WorkflowNotFoundError(workflowId);
    throw new WorkflowVersionNotFoundError(workflowId, version);
  }

  /**
   * Leaves the workflow with no active version: requests for the active
   * version find none, and pushes add versions without activating them,
   * until `activate`. Deactivating twice changes nothing. Throws WorkflowNotFoundError.
   */
  async deactivate(workflowId: string): Promise<void> {
    const updated = await this.sql.query<{ workflow_id: string }>(
      `UPDATE workflows
          SET active_version = NULL,
              updated_at = CASE WHEN active_version IS NULL THEN updated_at ELSE $2 END
        WHERE workflow_id = $1
        RETURNING workflow_id`,
      [workflowId, new Date(this.clock())],
    );
    if (updated.length === 0) throw new WorkflowNotFoundError(workflowId);
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
