// The shapes the UI reads, as the API's OpenAPI document describes them (/api/docs-json).

export interface WorkflowSummary {
  workflowId: string;
  activeVersion: number | null;
  latestVersion: number;
  name: string | null;
  description: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ParamSpec {
  name: string;
  type: string;
  default?: unknown;
  required: boolean;
  description?: string;
}

export interface EdgeSpec {
  from: string;
  to: string;
  condition?: unknown;
}

export interface StepSpec {
  id: string;
  type: string;
  body?: { steps: StepSpec[]; edges: EdgeSpec[] };
  workflowId?: string;
  [key: string]: unknown;
}

export interface Definition {
  id: string;
  version: number;
  name?: string;
  steps: StepSpec[];
  edges: EdgeSpec[];
  params: ParamSpec[];
  triggers: {
    cron: { schedule: string; timezone?: string; params?: object }[];
    signals: (
      | { signal: string; match?: object; params?: object }
      | { all: Record<string, { signal: string; match?: object }>; join?: string[]; condition?: string }
    )[];
  };
  runStrategy: { kind: string; maxConcurrent?: number } | null;
}

export interface WorkflowVersionInfo {
  version: number;
  createdAt: number;
  [key: string]: unknown;
}

export interface WorkflowDetail extends WorkflowSummary {
  definition: Definition | null;
  source: string | null;
  versions: WorkflowVersionInfo[];
}

export interface WorkflowVersion {
  workflowId: string;
  version: number;
  definition: Definition;
  source: string;
}

export interface Failure {
  reason: string;
  stepId: string | null;
  message: string;
}

export interface RunSummary {
  runId: string;
  workflowId: string;
  workflowVersion: number;
  status: string;
  requestId: string;
  runAttempt: number;
  parent: { runId: string; stepId: string; attempt: number; index: number; depth: number } | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  failure: Failure | null;
  lastSeq: number;
}

export interface Attempt {
  attempt: number;
  runAttempt: number | null;
  status: string;
  executorId: string | null;
  readyAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  errorKind: string | null;
  message: string | null;
}

export interface Progress {
  total: number | null;
  started: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}

export interface StepView {
  stepId: string;
  status: string;
  attempt: number;
  params: object | null;
  outputs: object | null;
  readyAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  skipReason: string | null;
  skipMessage: string | null;
  signal: string | null;
  progress: Progress | null;
  attempts: Attempt[];
}

export interface RunDetail extends RunSummary {
  params: Record<string, unknown>;
  breakpoints: string[];
  stopping: { reason: string } | null;
  steps: StepView[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface StepLogs {
  attempt: number;
  stdoutTail: string;
  stderrTail: string;
  truncated: boolean;
  updatedAt: number;
}

export interface WorkflowQueue {
  workflowId: string;
  runStrategy: { kind: string; maxConcurrent?: number } | null;
  paused: boolean;
  blockedBy: string | null;
  running: { runId: string }[];
  runningCount: number;
  queued: { position: number; runId: string; requestId: string; version: number; queuedAt: number }[];
  queuedCount: number;
  recentlyDropped: { runId: string; requestId: string; reason: string }[];
}

export interface StatusEvent {
  id: string;
  type: string;
  data: {
    runId: string;
    workflowId: string;
    seq: number;
    at: number;
    scope: 'run' | 'step';
    status: string;
    stepId?: string;
    attempt?: number;
    reason?: string;
  };
}
