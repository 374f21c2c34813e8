import type { RunDetail, RunEventRecord, RunSummary, StepLogs, StepView } from '@baton/readmodel';
import { authHeader, E2E_ADMIN_TOKEN } from './env';
import { sleep } from './processes';

export type { RunDetail, RunSummary, StepLogs, StepView };

export const TERMINAL = ['succeeded', 'failed', 'cancelled'] as const;

export function isTerminal(run: { readonly status: string }): boolean {
  return (TERMINAL as readonly string[]).includes(run.status);
}

/** An HTTP answer the test did not expect. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

/**
 * The REST API as the end-to-end suites use it: plain `fetch`, no product
 * code (the suites test the API's contract, not its client).
 *
 * @example
 *   const api = new BatonApi('http://127.0.0.1:8080'); // as the suites' admin (E2E_ADMIN_TOKEN)
 *   await api.push(yaml);
 *   const runId = await api.start('etl', { region: 'eu' }, 'req-1');
 *   const run = await api.waitForRun(runId, isTerminal, 30_000);
 */
export class BatonApi {
  constructor(
    readonly baseUrl: string,
    /** Sent as the bearer token on every call. */
    readonly token: string = E2E_ADMIN_TOKEN,
  ) {}

  /** The headers of every call: the bearer token, and the content type when there is a body. */
  headers(contentType?: string): Record<string, string> {
    return { ...authHeader(this.token), ...(contentType ? { 'content-type': contentType } : {}) };
  }

  async push(yaml: string): Promise<{ workflowId: string; version: number }> {
    return this.json('POST', '/api/v1/workflows', yaml, 'application/yaml', [201]);
  }

  /** Answers the run id (202: the run exists once the engine admitted it and the projector caught up). */
  async start(workflowId: string, params: Record<string, unknown>, requestId: string): Promise<string> {
    const answer = await this.json<{ runId: string }>(
      'POST',
      `/api/v1/workflows/${encodeURIComponent(workflowId)}/runs`,
      JSON.stringify({ params, requestId }),
      'application/json',
      [202],
    );
    return answer.runId;
  }

  /** Starts many runs, at most `concurrency` requests at a time; run ids in the order of `requests`. */
  async startMany(
    requests: ReadonlyArray<{ workflowId: string; params: Record<string, unknown>; requestId: string }>,
    concurrency = 16,
  ): Promise<string[]> {
    const runIds: string[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i];
        runIds[i] = await this.start(r.workflowId, r.params, r.requestId);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return runIds;
  }

  /** Null while the run is not projected (404). */
  async getRun(runId: string): Promise<RunDetail | null> {
    const response = await fetch(`${this.baseUrl}/api/v1/runs/${runId}`, {
      headers: this.headers(),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new ApiError(response.status, await response.text(), `GET run ${runId}`);
    return (await response.json()) as RunDetail;
  }

  /** Every run the read model holds (all pages), optionally of one workflow. */
  async listRuns(workflowId?: string): Promise<RunSummary[]> {
    const runs: RunSummary[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '500' });
      if (workflowId) query.set('workflowId', workflowId);
      if (cursor) query.set('cursor', cursor);
      const page: { items: RunSummary[]; nextCursor: string | null } = await this.json(
        'GET',
        `/api/v1/runs?${query}`,
      );
      runs.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return runs;
  }

  /** The child runs of a run (foreach and while iterations, subworkflows), first page. */
  async children(runId: string): Promise<RunSummary[]> {
    const page: { items: RunSummary[] } = await this.json('GET', `/api/v1/runs/${runId}/children?limit=500`);
    return page.items;
  }

  async events(runId: string): Promise<RunEventRecord[]> {
    const events: RunEventRecord[] = [];
    let afterSeq: number | null = 0;
    while (afterSeq !== null) {
      const page: { items: RunEventRecord[]; nextAfterSeq: number | null } = await this.json(
        'GET',
        `/api/v1/runs/${runId}/events?afterSeq=${afterSeq}&limit=500`,
      );
      events.push(...page.items);
      afterSeq = page.items.length === 0 ? null : page.nextAfterSeq;
    }
    return events;
  }

  async logs(runId: string, stepId: string, attempt?: number): Promise<StepLogs> {
    const query = attempt === undefined ? '' : `?attempt=${attempt}`;
    return this.json('GET', `/api/v1/runs/${runId}/steps/${stepId}/logs${query}`);
  }

  async cancel(runId: string, reason = 'cancelled by the e2e suite'): Promise<void> {
    await this.json(
      'POST',
      `/api/v1/runs/${runId}/cancel`,
      JSON.stringify({ reason }),
      'application/json',
      [202],
    );
  }

  /**
   * Polls `GET /runs/{id}` until `predicate` holds. Connection errors are
   * retried (a process may be restarting); the timeout error shows the last
   * state seen.
   */
  async waitForRun(
    runId: string,
    predicate: (run: RunDetail) => boolean = isTerminal,
    timeoutMs = 30_000,
  ): Promise<RunDetail> {
    const deadline = Date.now() + timeoutMs;
    let last: RunDetail | null = null;
    let lastError: unknown = null;
    while (Date.now() < deadline) {
      try {
        last = await this.getRun(runId);
        if (last && predicate(last)) return last;
      } catch (error) {
        lastError = error;
      }
      await sleep(100);
    }
    throw new Error(
      `run ${runId}: condition not met after ${timeoutMs} ms; last state: ${describeRun(last)}` +
        (lastError ? `; last error: ${String(lastError)}` : ''),
    );
  }

  /**
   * Polls the run list until every run in `runIds` is projected and
   * satisfies `predicate` (default: terminal). Answers their summaries by id.
   */
  async waitForAll(
    runIds: readonly string[],
    predicate: (run: RunSummary) => boolean = isTerminal,
    timeoutMs = 60_000,
    onProgress?: (done: number, total: number) => void,
  ): Promise<Map<string, RunSummary>> {
    const deadline = Date.now() + timeoutMs;
    const wanted = new Set(runIds);
    let seen = new Map<string, RunSummary>();
    let lastError: unknown = null;
    let lastDone = -1;
    while (Date.now() < deadline) {
      try {
        seen = new Map((await this.listRuns()).filter((r) => wanted.has(r.runId)).map((r) => [r.runId, r]));
        const done = runIds.filter((id) => {
          const run = seen.get(id);
          return run !== undefined && predicate(run);
        }).length;
        if (done !== lastDone) onProgress?.(done, runIds.length);
        lastDone = done;
        if (done === runIds.length) return seen;
      } catch (error) {
        lastError = error;
      }
      await sleep(250);
    }
    const pending = runIds.filter((id) => !(seen.get(id) && predicate(seen.get(id)!)));
    const byStatus = new Map<string, number>();
    for (const id of pending) {
      const status = seen.get(id)?.status ?? 'not projected';
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    }
    throw new Error(
      `${pending.length} of ${runIds.length} runs not done after ${timeoutMs} ms ` +
        `(${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')}); e.g. ${pending.slice(0, 5).join(', ')}` +
        (lastError ? `; last error: ${String(lastError)}` : ''),
    );
  }

  private async json<T>(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
    expected: readonly number[] = [200],
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      body,
      headers: this.headers(contentType),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new ApiError(response.status, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }
}

/** A short text of a run's state, for failure messages. */
export function describeRun(run: RunDetail | null): string {
  if (!run) return 'not projected';
  const steps = run.steps.map((s) => `${s.stepId}=${s.status}#${s.attempt}`).join(' ');
  return `${run.status} [${steps}]${run.failure ? ` failure: ${JSON.stringify(run.failure)}` : ''}`;
}

export function step(run: RunDetail, stepId: string): StepView {
  const found = run.steps.find((s) => s.stepId === stepId);
  if (!found) throw new Error(`run ${run.runId} has no step ${stepId}: ${describeRun(run)}`);
  return found;
}
