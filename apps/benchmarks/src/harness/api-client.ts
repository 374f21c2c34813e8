/** The few REST calls the harness makes (the same API the CLI uses). */
export interface RunSummary {
  readonly runId: string;
  readonly status: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly lastSeq: number;
}

/** A step of `GET /runs/{id}`, as far as the harness reads it. */
export interface StepView {
  readonly stepId: string;
  readonly status: string;
  readonly outputs: Record<string, unknown> | null;
}

export interface RunDetail extends RunSummary {
  readonly steps: readonly StepView[];
}

export interface RunEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: number;
  readonly payload: { readonly stepId?: string; readonly [field: string]: unknown };
}

/**
 * The admin token the harness starts every process with (BATON_ADMIN_TOKEN)
 * and sends on every call; the harness's processes listen on loopback only.
 */
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export class ApiClient {
  private readonly auth: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    token: string = BENCH_ADMIN_TOKEN,
  ) {
    this.auth = { authorization: `Bearer ${token}` };
  }

  async pushWorkflow(yaml: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/v1/workflows`, {
      method: 'POST',
      headers: { ...this.auth, 'content-type': 'application/yaml' },
      body: yaml,
    });
    if (response.status !== 201) throw new Error(`push failed: ${response.status} ${await response.text()}`);
  }

  /** Requests a run; `sentAt` is the harness clock just before the request left. */
  async startRun(workflowId: string, requestId: string): Promise<{ runId: string; sentAt: number }> {
    const sentAt = Date.now();
    const response = await fetch(`${this.baseUrl}/api/v1/workflows/${workflowId}/runs`, {
      method: 'POST',
      headers: { ...this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ requestId }),
    });
    if (response.status !== 202) throw new Error(`start failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { runId: string };
    return { runId: body.runId, sentAt };
  }

  /** The run as projected (with its steps), or null while the read model has not seen it. */
  async run(runId: string): Promise<RunDetail | null> {
    const response = await get(`${this.baseUrl}/api/v1/runs/${runId}`, this.auth);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`get run failed: ${response.status}`);
    return (await response.json()) as RunDetail;
  }

  /** Every run of a workflow in one status (all pages). */
  async runs(workflowId: string, status: string): Promise<RunSummary[]> {
    const all: RunSummary[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ workflowId, status, limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const response = await get(`${this.baseUrl}/api/v1/runs?${query.toString()}`, this.auth);
      if (!response.ok) throw new Error(`list runs failed: ${response.status}`);
      const page = (await response.json()) as { items: RunSummary[]; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /**
   * How many runs of a workflow the list shows, by status: every page of
   * `GET /runs?workflowId=` (500 a page, plus `extra` query fields), counted
   * as it goes. A refused query (400) resolves to null, so a caller can try
   * a field an older API does not know.
   */
  async countRuns(
    workflowId: string,
    extra: Record<string, string> = {},
  ): Promise<{ total: number; byStatus: Record<string, number>; pages: number } | null> {
    const byStatus: Record<string, number> = {};
    let total = 0;
    let pages = 0;
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ workflowId, ...extra, limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const response = await get(`${this.baseUrl}/api/v1/runs?${query.toString()}`, this.auth);
      if (response.status === 400 && pages === 0) return null;
      if (!response.ok) throw new Error(`list runs failed: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as { items: RunSummary[]; nextCursor: string | null };
      pages++;
      total += page.items.length;
      for (const run of page.items) byStatus[run.status] = (byStatus[run.status] ?? 0) + 1;
      cursor = page.nextCursor;
    } while (cursor);
    return { total, byStatus, pages };
  }

  /** One page of a run's events after `afterSeq` (the tail of a long run without reading all of it). */
  async eventsAfter(runId: string, afterSeq: number, limit = 500): Promise<RunEvent[]> {
    const query = new URLSearchParams({ afterSeq: String(Math.max(0, afterSeq)), limit: String(limit) });
    const response = await get(`${this.baseUrl}/api/v1/runs/${runId}/events?${query.toString()}`, this.auth);
    if (!response.ok) throw new Error(`events failed: ${response.status}`);
    return ((await response.json()) as { items: RunEvent[] }).items;
  }

  async events(runId: string): Promise<RunEvent[]> {
    const all: RunEvent[] = [];
    let afterSeq = 0;
    for (;;) {
      const query = new URLSearchParams({ afterSeq: String(afterSeq), limit: '500' });
      const response = await get(
        `${this.baseUrl}/api/v1/runs/${runId}/events?${query.toString()}`,
        this.auth,
      );
      if (!response.ok) throw new Error(`events failed: ${response.status}`);
      const page = (await response.json()) as { items: RunEvent[]; nextAfterSeq: number | null };
      all.push(...page.items);
      if (page.nextAfterSeq === null || page.items.length === 0) return all;
      afterSeq = page.nextAfterSeq;
    }
  }

  /** Waits until the API answers /health. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const response = await fetch(`${this.baseUrl}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.baseUrl} not healthy within ${timeoutMs} ms`);
      await sleep(200);
    }
  }
}

/** Sums a Prometheus metric (every label set) from a /metrics text; 0 when absent. */
export async function scrapeMetric(baseUrl: string, name: string): Promise<number> {
  const response = await get(`${baseUrl}/metrics`);
  const text = await response.text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

/**
 * Failures after which a GET is worth sending again: a reused keep-alive
 * connection the server closed meanwhile (reset, closed socket), and no
 * answer within fetch's 300 s (the server's event loop is busy).
 */
const RETRYABLE = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']);
const GET_ATTEMPTS = 6;

/**
 * A GET, sent again (up to `GET_ATTEMPTS` in all) after a retryable failure.
 * The all-in-one process may not answer HTTP at all while a long fan-out
 * runs, then close the idle connections the moment it gets its event loop
 * back, which may be just as the next request goes out on one; a GET may
 * safely be repeated.
 */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { headers });
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (attempt >= GET_ATTEMPTS || code === undefined || !RETRYABLE.has(code)) throw error;
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
