import type { Migration } from './migration';

/**
 * The read model's first schema. PostgreSQL 15+ and PGlite (18) alike.
 *
 * Type choices, and why:
 * - ids are `text`: run ids, step ids and workflow ids are user- or
 *   engine-made strings, never generated here.
 * - times are `timestamptz` (readable in psql, usable in SQL); the query
 *   layer hands out epoch milliseconds, like the events.
 * - `seq` and Kafka offsets are `bigint`; the adapters parse int8 into a JS
 *   number when exact (`parseInt8`). Versions and attempts are `integer`.
 * - statuses are `text` without CHECK: the run and step state machines
 *   are still growing (pause, foreach, ...) and a new status must not need a
 *   migration before the projector can write it. The projector is the only
 *   writer and writes the domain's own literals.
 *
 * Idempotent projection (libs/projector): events of a run carry seq 1, 2,
 * 3... with no gaps. The projector applies an event to runs/steps/attempts
 * only when `seq > runs.last_seq` (reading the run row `FOR UPDATE` in its
 * batch transaction) and inserts it into `run_events` with `ON CONFLICT DO
 * NOTHING`; it commits its log offset after the transaction, so a re-delivered
 * batch changes nothing.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE workflows (
  workflow_id     text PRIMARY KEY,
  -- The version new runs use. NULL only inside the transaction of the first push.
  active_version  integer,
  -- The version counter: pushes lock this row and take latest_version + 1.
  latest_version  integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

-- Immutable once written: a version is never updated or deleted.
CREATE TABLE workflow_versions (
  workflow_id  text NOT NULL REFERENCES workflows (workflow_id),
  version      integer NOT NULL CHECK (version > 0),
  -- The normalized WorkflowDefinition (with its version stamped in).
  definition   jsonb NOT NULL,
  -- The document as pushed (YAML or JSON), for display and download.
  source       text NOT NULL,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (workflow_id, version)
);

ALTER TABLE workflows ADD CONSTRAINT workflows_active_version_fk
  FOREIGN KEY (workflow_id, active_version) REFERENCES workflow_versions (workflow_id, version);

-- One row per run, upserted by the projector from the run's events.
-- No foreign key to workflows: the log, not the registry, is the source of a
-- run (a run carries its definition), and projections rebuild from the log.
CREATE TABLE runs (
  run_id            text PRIMARY KEY,
  workflow_id       text NOT NULL,
  workflow_version  integer NOT NULL,
  status            text NOT NULL,
  params            jsonb NOT NULL DEFAULT '{}'::jsonb,
  request_id        text NOT NULL,
  -- When the run was requested (RunStarted.scheduledAt): the list order.
  created_at        timestamptz NOT NULL,
  started_at        timestamptz,
  ended_at          timestamptz,
  timeout_at        timestamptz,
  -- RunFailed / RunCancelled details; NULL otherwise.
  failure_reason    text,
  failure_step_id   text,
  failure_message   text,
  -- The highest per-run event seq already applied to this row and its steps.
  last_seq          bigint NOT NULL,
  updated_at        timestamptz NOT NULL,
  -- A run request is idempotent per workflow: the same request id is one run.
  CONSTRAINT runs_request_unique UNIQUE (workflow_id, request_id)
);

-- Keyset pagination, newest first: (created_at, run_id) is the total order.
-- The unique (workflow_id, request_id) index cannot serve it; these do.
CREATE INDEX runs_created_idx ON runs (created_at DESC, run_id DESC);
CREATE INDEX runs_workflow_created_idx ON runs (workflow_id, created_at DESC, run_id DESC);
CREATE INDEX runs_status_created_idx ON runs (status, created_at DESC, run_id DESC);

CREATE TABLE steps (
  run_id         text NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  step_id        text NOT NULL,
  status         text NOT NULL,
  -- The attempt in flight, or the last one; 0 before the step was first ready.
  attempt        integer NOT NULL DEFAULT 0,
  -- Resolved params of the current attempt (StepReady.params).
  params         jsonb,
  outputs        jsonb,
  ready_at       timestamptz,
  started_at     timestamptz,
  ended_at       timestamptz,
  error_kind     text,
  error_message  text,
  skip_reason    text,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (run_id, step_id)
);

CREATE TABLE step_attempts (
  run_id            text NOT NULL,
  step_id           text NOT NULL,
  attempt           integer NOT NULL CHECK (attempt > 0),
  status            text NOT NULL,
  executor_id       text,
  ready_at          timestamptz,
  started_at        timestamptz,
  ended_at          timestamptz,
  lease_expires_at  timestamptz,
  error_kind        text,
  message           text,
  updated_at        timestamptz NOT NULL,
  PRIMARY KEY (run_id, step_id, attempt),
  FOREIGN KEY (run_id, step_id) REFERENCES steps (run_id, step_id) ON DELETE CASCADE
);

-- The tails of an attempt's output, as the executor reported them.
CREATE TABLE step_logs (
  run_id       text NOT NULL,
  step_id      text NOT NULL,
  attempt      integer NOT NULL,
  stdout_tail  text NOT NULL DEFAULT '',
  stderr_tail  text NOT NULL DEFAULT '',
  -- True when the tails were cut (the executor keeps only the last bytes).
  truncated    boolean NOT NULL DEFAULT false,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (run_id, step_id, attempt)
);

-- Every event of every run, as published: GET /runs/{id}/events, and the
-- check "read model equals the fold of the log". No foreign key to runs: a
-- command rejected for a run that never started still has events.
CREATE TABLE run_events (
  run_id          text NOT NULL,
  seq             bigint NOT NULL,
  type            text NOT NULL,
  schema_version  integer NOT NULL,
  at              timestamptz NOT NULL,
  -- The complete event (envelope included), byte-for-byte what evolve folds.
  payload         jsonb NOT NULL,
  PRIMARY KEY (run_id, seq)
);
`,
};
