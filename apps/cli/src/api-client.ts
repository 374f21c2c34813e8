import type {
  ApiTokenView,
  BreakpointsAnswer,
  CreatedToken,
  PushResult,
  RunActionAnswer,
  RunDetail,
  RunEventsPage,
  RunPage,
  SendSignalAnswer,
  StartRunResponse,
  StepLogs,
  WorkflowCommandAnswer,
  WorkflowQueue,
  WorkflowSummary,
  WorkflowVersion,
} from '@baton/api/responses';
import type { RestartMode } from '@baton/domain/run/run.commands';
import type { JsonObject } from '@baton/domain/shared/json';

export type { ApiTokenView, RunActionAnswer, WorkflowCommandAnswer, BreakpointsAnswer };

export const DEFAULT_BATON_URL = 'http://localhost:8080';

/** One problem the server found in a request, as the API reports it (400). */
export interface ApiFieldError {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** The server answered, but not with 2xx: its message and errors, verbatim. */
export class BatonApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly ApiFieldError[],
  ) {
    super(message);
    this.name = 'BatonApiError';
  }
}

/** Nothing answered at the base URL (refused, unknown host, timed out). */
export class BatonUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    readonly detail: string,
  ) {
    super(`cannot reach Baton at ${baseUrl}: is it running? (npm start)`);
    this.name = 'BatonUnreachableError';
  }
}

export interface StartRunRequest {
  readonly params?: JsonObject;
  readonly requestId?: string;
  readonly version?: number;
  readonly breakpoints?: readonly string[];
}

export interface RestartRunRequest {
  readonly mode: RestartMode;
  /** With `from_step` only. */
  readonly stepId?: string;
  /** Replace these params; the others keep the run's values. */
  readonly params?: JsonObject;
}

export type WorkflowControl = 'pause' | 'resume' | 'unblock';

export interface SendSignalRequest {
  readonly name: string;
  readonly params: JsonObject;
  /** The idempotency key: a signal sent twice with one id is delivered once. */
  readonly signalId?: string;
}

export interface ListRunsFilter {
  readonly workflowId?: string;
  readonly status?: string;
  readonly limit?: number;
  readonly cursor?: string;
  /** Runs whose id starts with this (top-level runs only). */
  readonly runIdPrefix?: string;
}

export type Fetch = typeof fetch;

export interface CreateTokenRequest {
  readonly name: string;
  readonly role: string;
  readonly scopes?: readonly string[];
}

export interface BatonClientOptions {
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` on every request. */
  readonly token?: string;
  readonly fetch?: Fetch;
  /** Per request; a server that accepts the connection and never answers is unreachable too. */
  readonly timeoutMs?: number;
}

/**
 * A small typed client for Baton's REST API (`/api/v1`). Non-2xx answers
 * become `BatonApiError` carrying the server's message and field errors;
 * network failures become `BatonUnreachableError`.
 *
 * @example
 *   const client = new BatonClient({ baseUrl: 'http://localhost:8080' });
 *   const { runId } = await client.startRun('sales.daily', { params: { mode: 'full' } });
 *   const run = await client.findRun(runId); // null until projected
 */
export class BatonClient {
  readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;
  private readonly token: string | undefined;

  constructor(options: BatonClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `activate: false` keeps the active version (`?activate=false`); the server activates by default. */
  pushWorkflow(
    text: string,
    format: 'yaml' | 'json',
    options: { readonly activate?: boolean } = {},
  ): Promise<PushResult> {
    const activate = options.activate === false ? 'false' : undefined;
    return this.request('POST', `/workflows${query({ activate })}`, {
      body: text,
      contentType: format === 'json' ? 'application/json' : 'application/yaml',
    });
  }

  startRun(workflowId: string, request: StartRunRequest): Promise<StartRunResponse> {
    return this.request('POST', `/workflows/${encodeURIComponent(workflowId)}/runs`, { json: request });
  }

  listRuns(filter: ListRunsFilter): Promise<RunPage> {
    return this.request('GET', `/runs${query({ ...filter })}`);
  }

  /** Every workflow with its active version, by id. */
  listWorkflows(): Promise<WorkflowSummary[]> {
    return this.request('GET', '/workflows');
  }

  /** One version of a workflow with its normalized definition (each step's `pool` among others). */
  getWorkflowVersion(workflowId: string, version: number): Promise<WorkflowVersion> {
    return this.request('GET', `${workflowPath(workflowId)}/versions/${version}`);
  }

  getRun(runId: string): Promise<RunDetail> {
    return this.request('GET', `/runs/${encodeURIComponent(runId)}`);
  }

  /** Like `getRun`, but null on 404: a run just started is not projected yet. */
  async findRun(runId: string): Promise<RunDetail | null> {
    try {
      return await this.getRun(runId);
    } catch (error) {
      if (error instanceof BatonApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** The run's events after `afterSeq`, by seq (a page; `nextAfterSeq` continues). */
  listRunEvents(runId: string, afterSeq: number): Promise<RunEventsPage> {
    return this.request('GET', `${runPath(runId)}/events${query({ afterSeq })}`);
  }

  getStepLogs(runId: string, stepId: string, attempt?: number): Promise<StepLogs> {
    const path = `/runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(stepId)}/logs`;
    return this.request('GET', `${path}${query({ attempt })}`);
  }

  restartRun(runId: string, request: RestartRunRequest): Promise<RunActionAnswer> {
    return this.request('POST', `${runPath(runId)}/restart`, { json: request });
  }

  /** Graceful: nothing new starts, running steps finish. */
  stopRun(runId: string, reason?: string): Promise<RunActionAnswer> {
    return this.request('POST', `${runPath(runId)}/stop`, { json: withReason(reason) });
  }

  /** Now: running steps are cancelled. */
  killRun(runId: string, reason?: string): Promise<RunActionAnswer> {
    return this.request('POST', `${runPath(runId)}/kill`, { json: withReason(reason) });
  }

  skipStep(runId: string, stepId: string, reason?: string): Promise<RunActionAnswer> {
    return this.request('POST', `${stepPath(runId, stepId)}/skip`, { json: withReason(reason) });
  }

  resumeStep(runId: string, stepId: string): Promise<RunActionAnswer> {
    return this.request('POST', `${stepPath(runId, stepId)}/resume`, { json: {} });
  }

  activateVersion(workflowId: string, version: number): Promise<WorkflowSummary> {
    return this.request('POST', `${workflowPath(workflowId)}/versions/${version}/activate`);
  }

  deactivateWorkflow(workflowId: string): Promise<WorkflowSummary> {
    return this.request('POST', `${workflowPath(workflowId)}/deactivate`);
  }

  controlWorkflow(workflowId: string, control: WorkflowControl): Promise<WorkflowCommandAnswer> {
    return this.request('POST', `${workflowPath(workflowId)}/${control}`);
  }

  /** Replaces the steps every new run of the workflow pauses before (none clears them). */
  setWorkflowBreakpoints(workflowId: string, stepIds: readonly string[]): Promise<BreakpointsAnswer> {
    return this.request('PUT', `${workflowPath(workflowId)}/breakpoints`, { json: { stepIds } });
  }

  /** The first `limit` queued runs (the server's default without); `queuedCount` tells how many wait in all. */
  getWorkflowQueue(workflowId: string, limit?: number): Promise<WorkflowQueue> {
    return this.request('GET', `${workflowPath(workflowId)}/queue${query({ limit })}`);
  }

  sendSignal(signal: SendSignalRequest): Promise<SendSignalAnswer> {
    return this.request('POST', '/signals', { json: signal });
  }

  /** The answer holds the token text, shown this once. */
  createToken(request: CreateTokenRequest): Promise<CreatedToken> {
    return this.request('POST', '/tokens', { json: request });
  }

  listTokens(): Promise<ApiTokenView[]> {
    return this.request('GET', '/tokens');
  }

  revokeToken(tokenId: string): Promise<ApiTokenView> {
    return this.request('DELETE', `/tokens/${encodeURIComponent(tokenId)}`);
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    payload?: { readonly json?: unknown; readonly body?: string; readonly contentType?: string },
  ): Promise<T> {
    const url = `${this.baseUrl}/api/v1${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    // A POST always says it is JSON: the API refuses what a browser could post cross-site.
    const json = payload?.json ?? (method === 'POST' && payload?.body === undefined ? {} : undefined);
    if (json !== undefined) {
      body = JSON.stringify(json);
      headers['content-type'] = 'application/json';
    } else if (payload?.body !== undefined) {
      body = payload.body;
      headers['content-type'] = payload.contentType ?? 'text/plain';
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new BatonUnreachableError(this.baseUrl, describeNetworkError(error, this.timeoutMs));
    }
    const parsed = parseJson(text);
    if (!response.ok) throw toApiError(response, parsed, text);
    return parsed as T;
  }
}

function runPath(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}`;
}

function stepPath(runId: string, stepId: string): string {
  return `${runPath(runId)}/steps/${encodeURIComponent(stepId)}`;
}

function workflowPath(workflowId: string): string {
  return `/workflows/${encodeURIComponent(workflowId)}`;
}

function withReason(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}

function query(values: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Nest answers `{ statusCode, message, error }` where `message` may be a list
 * (class-validator); Baton's own 400s add `errors: [{ path, message, line?, column? }]`.
 */
function toApiError(response: Response, body: unknown, text: string): BatonApiError {
  const fallback = `HTTP ${response.status} ${response.statusText}`.trim();
  if (typeof body !== 'object' || body === null) {
    const snippet = text.trim().slice(0, 200);
    return new BatonApiError(response.status, snippet === '' ? fallback : `${fallback}: ${snippet}`, []);
  }
  const record = body as Record<string, unknown>;
  const errors = Array.isArray(record.errors) ? record.errors.filter(isFieldError) : [];
  let message = fallback;
  if (typeof record.message === 'string' && record.message !== '') message = record.message;
  else if (Array.isArray(record.message) && record.message.length > 0) message = record.message.join('; ');
  return new BatonApiError(response.status, message, errors);
}

function isFieldError(value: unknown): value is ApiFieldError {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.path === 'string' && typeof record.message === 'string';
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  // Duck-typed, not `instanceof`: fetch's errors may come from another realm (test sandboxes).
  const failure = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (failure.name === 'TimeoutError' || failure.name === 'AbortError')
    return `no answer within ${timeoutMs / 1000}s`;
  // undici wraps the socket error: `TypeError: fetch failed` with `cause: Error: connect ECONNREFUSED ...`.
  return failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
}
